// What a user sees when something goes wrong: their mistakes and the machine's refusals in one plain line each,
// never a stack trace; a bug in ehr-check as an internal error with its stack and how to report it.
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handleError } from '../../src/cli/handle-error.js';
import type { Io } from '../../src/cli/io.js';
import { EXIT, ReportNotWrittenError, UsageError } from '../../src/errors.js';
import { BIN } from '../helpers/cli.js';
import { runCli } from '../helpers/cli.js';

const STACK_FRAME = /^\s+at /m;

function capture(): Io & { text: () => string } {
  let err = '';
  return { out: () => {}, err: (t) => void (err += t), env: {}, stdoutIsTTY: false, stdinIsTTY: false, cwd: '.', text: () => err };
}

describe('handleError', () => {
  it('a system refusal (ENOENT, EACCES, ...) that reaches it is one line naming the path, exit 3, no stack', async () => {
    const io = capture();
    const error = await readFile('/nonexistent-dir/plan.yaml').catch((e: unknown) => e);
    expect(handleError(error, io)).toBe(EXIT.cannotEvaluate);
    expect(io.text()).toBe('ehr-check: could not open /nonexistent-dir/plan.yaml (ENOENT: no such file or directory); check that the path exists and this user may use it\n');
  });

  it('a typed error of several lines gets the prefix on each', () => {
    const io = capture();
    expect(handleError(new ReportNotWrittenError('--html a.html: not written (ENOSPC)\n--junit b.xml: not written (ENOSPC)'), io)).toBe(3);
    expect(io.text()).toBe('ehr-check: --html a.html: not written (ENOSPC)\nehr-check: --junit b.xml: not written (ENOSPC)\n');
    const usage = capture();
    expect(handleError(new UsageError('--trials takes a whole number from 1 to 100'), usage)).toBe(2);
    expect(usage.text()).not.toMatch(STACK_FRAME);
  });

  it('a bug is an internal error, with its stack and how to report it', () => {
    const io = capture();
    expect(handleError(new TypeError("Cannot read properties of undefined (reading 'live')"), io)).toBe(EXIT.cannotEvaluate);
    expect(io.text()).toMatch(/^ehr-check: internal error \(a bug in ehr-check, not in your input\): TypeError: Cannot read properties/);
    expect(io.text()).toMatch(STACK_FRAME);
    expect(io.text()).toMatch(/please report it with the command you ran, this message, and the --json report/);
  });
});

describe('ehr-check sandbox on a port that is taken', () => {
  it('says so and how to choose another: exit 2, no stack', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      for (const args of [['--port', String(port)], ['--vendor', 'deep', '--vendor-port', String(port)]]) {
        const result = await runCli(['sandbox', ...args], { timeoutMs: 30_000 });
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stderr).toMatch(new RegExp(`^ehr-check: --(vendor-)?port ${port}: that port on 127\\.0\\.0\\.1 is already in use; choose another, or 0 for any free port$`, 'm'));
        expect(result.stderr).not.toMatch(STACK_FRAME);
      }
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

describe('bin/ehr-check.js', () => {
  const copies: string[] = [];
  afterAll(() => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true }))));

  it('in a clone that was never built, says to build it: exit 2, no module trace', async () => {
    const clone = await mkdtemp(join(tmpdir(), 'ehr-check-unbuilt-'));
    copies.push(clone);
    await mkdir(join(clone, 'bin'));
    await copyFile(BIN, join(clone, 'bin', 'ehr-check.js'));
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [join(clone, 'bin', 'ehr-check.js'), 'demo'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`ehr-check: cannot start: it is not built yet: run \`npm ci\` (or \`npm run build\`) in ${clone}\n`);
  });

  it('no user mistake on the command line prints a stack trace', async () => {
    const cases = [
      ['run', '--plan', '/nonexistent-dir/plan.yaml'],
      ['validate', '/'],
      ['assert', '--report', '/dev/null'],
      ['schema', 'nope'],
      ['run'],
      ['sandbox', '--vendor', 'nope'],
      ['sandbox', '--vendor-port', '9101'],
    ];
    for (const args of cases) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).not.toMatch(STACK_FRAME);
      expect(result.stderr, args.join(' ')).not.toMatch(/internal error/);
    }
  });
});
