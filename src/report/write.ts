// Writes the report files a run was asked for. Each file is written whole or not at all (temp file, then
// rename), and the report is validated against its schema before anything is written.
import { rename, writeFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import type { Report } from '../model/report.js';

export interface OutputOptions {
  json?: string;
  html?: string;
  junit?: string;
  markdown?: string;
}

export async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** Writes every requested output; `--json -` goes to stdout. Returns whether stdout was used for JSON. */
export async function writeOutputs(report: Report, outputs: OutputOptions, io: Io): Promise<{ jsonOnStdout: boolean }> {
  const { validateReport } = await import('../contracts/validate.js');
  validateReport(report);
  const at = (file: string) => resolve(io.cwd, file);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (outputs.json && outputs.json !== '-') await writeAtomically(at(outputs.json), json);
  if (outputs.html) {
    const { formatHtml } = await import('./html.js');
    await writeAtomically(at(outputs.html), formatHtml(report));
  }
  if (outputs.junit) {
    const { formatJUnit } = await import('./junit.js');
    await writeAtomically(at(outputs.junit), formatJUnit(report));
  }
  if (outputs.markdown) {
    const { formatMarkdown } = await import('./markdown.js');
    await writeAtomically(at(outputs.markdown), formatMarkdown(report));
  }
  if (outputs.json === '-') io.out(json);
  return { jsonOnStdout: outputs.json === '-' };
}

/** One report file per vendor for `demo`: `report.json` → `report.deep.json`. */
export function perVendorPath(file: string | undefined, vendor: string): string | undefined {
  if (!file || file === '-') return file;
  const dot = file.lastIndexOf('.');
  return dot > file.lastIndexOf('/') ? `${file.slice(0, dot)}.${vendor}${file.slice(dot)}` : `${file}.${vendor}`;
}
