// Writing the report files: one that fails (a full disk, stood in for by a writer that refuses one file) never
// stops the others; devices and symlinks are written through, not replaced.
import { lstat, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { outputPathProblems } from '../../src/report/output-paths.js';
import { failedOutputLines, writeAtomically, writeOutputs, type FileWriter } from '../../src/report/write.js';
import { sample } from './samples.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ehr-check-write-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const io = (): Io & { stdout: () => string } => {
  let out = '';
  return { out: (t) => void (out += t), err: () => {}, env: {}, stdoutIsTTY: false, stdinIsTTY: false, cwd: dir, stdout: () => out };
};

/** A disk with no room left for files whose name ends in `.html`. */
const fullFor = (suffix: string): FileWriter => async (file, text) => {
  if (file.endsWith(suffix)) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', syscall: 'write' });
  await writeAtomically(file, text);
};

describe('writeOutputs', () => {
  it('writes every other output when one fails, and names the one that failed with the reason', async () => {
    const report = sample('deep');
    const result = await writeOutputs(report, { json: 'r.json', html: 'r.html', junit: 'r.xml', markdown: 'r.md' }, io(), fullFor('.html'));
    expect(result.written.map((w) => w.option)).toEqual(['--json', '--junit', '--markdown']);
    expect(result.failed).toEqual([{ option: '--html', file: 'r.html', example: 'report.html', reason: 'ENOSPC: no space left on device' }]);
    expect(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')).runId).toBe(report.runId);
    expect(await readFile(join(dir, 'r.md'), 'utf8')).toContain(report.vendor.name);
    await expect(stat(join(dir, 'r.html'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(failedOutputLines(result.failed)).toEqual(['--html r.html: not written (ENOSPC: no space left on device); check that this folder still exists and has space']);
  });

  it('--json - prints to stdout and writes no file', async () => {
    const out = io();
    const result = await writeOutputs(sample('deep'), { json: '-' }, out);
    expect(result).toEqual({ jsonOnStdout: true, written: [], failed: [] });
    expect(JSON.parse(out.stdout()).runId).toBe(sample('deep').runId);
  });
});

describe('writeAtomically', () => {
  it.skipIf(!process.platform.startsWith('linux') && process.platform !== 'darwin')('writes into a device such as /dev/null instead of renaming a file over it', async () => {
    await writeAtomically('/dev/null', 'nothing\n');
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('replaces the file a symlink points at, and keeps the link', async () => {
    const target = join(dir, 'target.json');
    const link = join(dir, 'link.json');
    await writeFile(target, 'old\n');
    await symlink(target, link);
    await writeAtomically(link, 'new\n');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('new\n');
  });
});

describe('outputPathProblems', () => {
  it('accepts a new file in an existing folder, an existing file, and a device', async () => {
    await writeFile(join(dir, 'exists.json'), '{}\n');
    expect(await outputPathProblems([{ option: '--json', file: 'fresh.json' }, { option: '--html', file: 'exists.json' }, { option: '--junit', file: '/dev/null' }], dir)).toEqual([]);
  });

  it('with createFolders (init --out), a missing folder is fine when the nearest existing one is writable', async () => {
    expect(await outputPathProblems([{ option: '--out', file: 'plans/deeper/plan.yaml' }], dir, { createFolders: true })).toEqual([]);
    expect(await outputPathProblems([{ option: '--out', file: 'plans/deeper/plan.yaml' }], dir)).toEqual([
      { file: '--out plans/deeper/plan.yaml', field: '', message: expect.stringMatching(/the folder .*plans\/deeper does not exist/) },
    ]);
  });
});
