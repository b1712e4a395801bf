// Writes the report files a run was asked for. Each file is written whole or not at all (temp file, then
// rename), and the report is validated against its schema before anything is written. One file that cannot
// be written (a full disk, a folder removed mid-run) never stops the others: each failure is returned, named.
import { realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import type { Report } from '../model/report.js';
import { requestedOutputs, type OutputFlags, type RequestedOutput } from './output-paths.js';

export type OutputOptions = OutputFlags;

/** Writes one file; injected in tests to stand for a disk that fills up. */
export type FileWriter = (file: string, text: string) => Promise<void>;

export interface FailedOutput extends RequestedOutput {
  /** The system's reason, e.g. `ENOSPC: no space left on device`. */
  reason: string;
}

export interface WriteResult {
  jsonOnStdout: boolean;
  written: RequestedOutput[];
  failed: FailedOutput[];
}

export async function writeAtomically(file: string, text: string): Promise<void> {
  const existing = await stat(file).catch(() => undefined);
  // A device or pipe (/dev/null, /dev/stdout) is written in place: renaming over it would replace it.
  if (existing && !existing.isFile()) {
    await writeFile(file, text);
    return;
  }
  // Through a symlink, the file it points at is replaced, not the link.
  const target = existing ? await realpath(file) : file;
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** `ENOENT: no such file or directory` without the path (the message names the file itself). */
export function systemReason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code === 'string') {
    const words = /^[A-Z0-9]+: ([^,]+)/.exec(e.message ?? '')?.[1];
    return words ? `${e.code}: ${words}` : e.code;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Writes every requested output and reports which were written and which failed; `--json -` goes to stdout.
 * A report that does not match its schema is a bug, and throws before anything is written.
 */
export async function writeOutputs(report: Report, outputs: OutputOptions, io: Io, write: FileWriter = writeAtomically): Promise<WriteResult> {
  const { validateReport } = await import('../contracts/validate.js');
  validateReport(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const render: Record<string, () => Promise<string>> = {
    '--json': async () => json,
    '--html': async () => (await import('./html.js')).formatHtml(report),
    '--junit': async () => (await import('./junit.js')).formatJUnit(report),
    '--markdown': async () => (await import('./markdown.js')).formatMarkdown(report),
  };
  const result: WriteResult = { jsonOnStdout: outputs.json === '-', written: [], failed: [] };
  for (const output of requestedOutputs(outputs)) {
    const text = await render[output.option]!();
    try {
      await write(resolve(io.cwd, output.file), text);
      result.written.push(output);
    } catch (error) {
      result.failed.push({ ...output, reason: systemReason(error) });
    }
  }
  if (result.jsonOnStdout) io.out(json);
  return result;
}

/** One line per file that could not be written, naming the option, the path and the reason. */
export function failedOutputLines(failed: readonly FailedOutput[]): string[] {
  return failed.map((f) => `${f.option} ${f.file}: not written (${f.reason}); check that ${dirname(f.file) === '.' ? 'this folder' : `the folder ${dirname(f.file)}`} still exists and has space`);
}

/** One report file per vendor for `demo`: `report.json` → `report.deep.json`. */
export function perVendorPath(file: string | undefined, vendor: string): string | undefined {
  if (!file || file === '-') return file;
  const dot = file.lastIndexOf('.');
  return dot > file.lastIndexOf('/') ? `${file.slice(0, dot)}.${vendor}${file.slice(dot)}` : `${file}.${vendor}`;
}
