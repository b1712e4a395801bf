// Every output a command was asked for is checked before the first probe (README "Exit codes"): a bad path is
// exit 2 naming the option, the path and the fix, with no request sent, no ledger opened, nothing written and
// no stack trace. And a write that still fails at the end leaves the other reports written and says which one
// it could not write, with exit 3.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/contracts/validate.js';
import type { Report } from '../../src/model/report.js';
import { startWorld, type World } from '../bidirectional/world.js';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { samplePath } from '../report/samples.js';
import { startCli } from './cli-process.js';
import { ledgers, readJson, tempDir, writePlanFile } from './plan-file.js';

const STACK_FRAME = /^\s+at /m;
const FAST = { trials: 1, timeoutSeconds: 3, realTimeSeconds: 1, nearRealTimeSeconds: 2 };

/** Answers nothing useful and counts what reaches it: an EHR and vendor that must not be called. */
async function startTripwire(): Promise<{ origin: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A refusal before any work: exit 2, the words expected, no stack, nothing on stdout. */
function expectRefusedUpFront(result: CliResult, ...wanted: RegExp[]): void {
  expect(result.code, result.stderr).toBe(2);
  for (const w of wanted) expect(result.stderr).toMatch(w);
  expect(result.stderr).not.toMatch(STACK_FRAME);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.stdout).toBe('');
}

const nobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
/** As root, the folder test runs the CLI as `nobody`; that needs a checkout `nobody` can read (not one under /root). */
const otherUserCanRun = !nobody || spawnSync(process.execPath, [BIN, '--version'], { ...nobody, stdio: 'ignore' }).status === 0;
if (!otherUserCanRun) console.warn('skipping the unwritable-folder test: running as root, and user nobody cannot read this checkout');

/** The CLI as a user who is not root (root may write anywhere), so a folder's permissions mean something. */
function runAsUser(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], ...nobody });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('run: every output checked before the first probe', () => {
  let tripwire: Awaited<ReturnType<typeof startTripwire>>;
  let dir: string;
  let plan: string;
  const listing = async () => (await readdir(dir)).sort();

  beforeAll(async () => {
    tripwire = await startTripwire();
    dir = await tempDir('outputs');
    plan = await writePlanFile(dir, { ehrBaseUrl: `${tripwire.origin}/fhir/R4`, vendorBaseUrl: `${tripwire.origin}/vendor`, freshness: FAST });
    await mkdir(join(dir, 'reports'));
    await writeFile(join(dir, 'a-file'), 'not a folder\n');
  });
  afterAll(async () => {
    await tripwire.close();
    await chmod(join(dir, 'locked'), 0o755).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it.each<[string, string[], RegExp[]]>([
    ['a folder that does not exist', ['--json', 'missing/r.json'], [/^ehr-check: --json missing\/r\.json: the folder .*missing does not exist: create it first \(mkdir -p .*missing\)/m]],
    ['a path that is a folder', ['--json', 'reports'], [/^ehr-check: --json reports: .*reports is a folder: give a file name inside it, e\.g\. .*reports\/report\.json/m]],
    ['a folder that is a file', ['--html', 'a-file/r.html'], [/^ehr-check: --html a-file\/r\.html: .*a-file is a file, not a folder/m]],
    ['--junit to stdout', ['--junit', '-'], [/^ehr-check: --junit -: only --json can print to stdout \(-\); give --junit a file name, e\.g\. --junit report\.xml/m]],
    ['two outputs on one file', ['--json', 'reports/r.out', '--markdown', 'reports/r.out'], [/^ehr-check: --markdown reports\/r\.out: --json writes the same file/m]],
  ])('%s: exit 2, no request, no ledger, and the good outputs not written either', async (_case, outputs, wanted) => {
    const before = await listing();
    const result = await runCli(['run', '--plan', plan, '--allow-writes', '--html', 'reports/fine.html', ...outputs], { cwd: dir });
    expectRefusedUpFront(result, ...wanted);
    expect(tripwire.requests).toEqual([]);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [] });
    expect(await listing()).toEqual(before);
    expect(await readdir(join(dir, 'reports'))).toEqual([]);
  });

  it.skipIf(!otherUserCanRun)('a folder this user may not write in: exit 2, naming the folder and the fix', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o555 });
    await chmod(locked, 0o555);
    // A user other than root reads the plan: the test folder is opened to it, the output folder is not writable.
    if (nobody) await chmod(dir, 0o755);
    const result = await runAsUser(['run', '--plan', plan, '--allow-writes', '--markdown', 'locked/r.md'], dir);
    expectRefusedUpFront(result, /^ehr-check: --markdown locked\/r\.md: this user may not write in the folder .*locked \(EACCES\): choose a writable folder or change its permissions/m);
    expect(tripwire.requests).toEqual([]);
    expect(await readdir(locked)).toEqual([]);
  });

  it('a private key file that is not there: exit 2 naming the plan field, before any request', async () => {
    const keyed = await tempDir('outputs-key');
    const keyPlan = await writePlanFile(keyed, {
      ehrBaseUrl: `${tripwire.origin}/fhir/R4`,
      vendorBaseUrl: `${tripwire.origin}/vendor`,
      ehrAuth: { type: 'backend-services', clientId: 'ehr-check', privateKeyFile: './keys/ehr.pem', alg: 'RS384' },
    });
    const result = await runCli(['run', '--plan', keyPlan, '--allow-writes', '--json', 'r.json'], { cwd: keyed });
    expectRefusedUpFront(
      result,
      /^ehr-check: plan\.yaml: \/connections\/0\/ehr\/auth\/privateKeyFile: cannot read the private key file .*keys\/ehr\.pem \(ENOENT\): put the RS384 private key registered for client ehr-check there/m,
    );
    expect(tripwire.requests).toEqual([]);
    expect(await ledgers(keyed)).toEqual({ open: [], cleaned: [] });
    expect(existsSync(join(keyed, 'r.json'))).toBe(false);
    await rm(keyed, { recursive: true, force: true });
  });

  it('a key of the wrong kind for its algorithm, and a CHPL export that is not there: both named, before any request', async () => {
    const keyed = await tempDir('outputs-wrong-key');
    await mkdir(join(keyed, 'keys'));
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    await writeFile(join(keyed, 'keys', 'ehr.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const keyPlan = await writePlanFile(keyed, {
      ehrBaseUrl: `${tripwire.origin}/fhir/R4`,
      vendorBaseUrl: `${tripwire.origin}/vendor`,
      ehrAuth: { type: 'backend-services', clientId: 'ehr-check', privateKeyFile: './keys/ehr.pem', alg: 'RS384' },
    });
    await appendFile(keyPlan, 'chpl:\n  exportFile: ./chpl-export.json\n');
    const result = await runCli(['run', '--plan', keyPlan, '--allow-writes'], { cwd: keyed });
    expectRefusedUpFront(
      result,
      /^ehr-check: plan\.yaml: \/connections\/0\/ehr\/auth\/privateKeyFile: .*ehr\.pem is not an RSA key of 2048 bits or more, which RS384 needs \(it is ec secp384r1\)/m,
      /^ehr-check: plan\.yaml: \/chpl\/exportFile: cannot read .*chpl-export\.json \(ENOENT\)/m,
    );
    expect(result.stderr).not.toContain('BEGIN');
    expect(tripwire.requests).toEqual([]);
    expect(await ledgers(keyed)).toEqual({ open: [], cleaned: [] });
    await rm(keyed, { recursive: true, force: true });
  });

  it('an operator script that is not there: exit 2, before any request', async () => {
    const result = await runCli(['run', '--plan', plan, '--operator-script', 'nope.yaml', '--json', 'reports/r.json'], { cwd: dir });
    expectRefusedUpFront(result, /nope\.yaml: file not found/);
    expect(tripwire.requests).toEqual([]);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [] });
  });
});

describe('demo and compare: checked before a sandbox starts or a table is printed', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('demo-outputs');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('demo --html ok.html --json /nonexistent-dir/r.json: exit 2 at once, naming the per-vendor file; ok.html not written', async () => {
    const result = await runCli(['demo', '--html', join(dir, 'ok.html'), '--json', '/nonexistent-dir/r.json'], { cwd: dir });
    expectRefusedUpFront(
      result,
      /^ehr-check: --json \/nonexistent-dir\/r\.deep\.json, \/nonexistent-dir\/r\.shallow\.json, \/nonexistent-dir\/r\.batch\.json, .*: the folder \/nonexistent-dir does not exist: create it first \(mkdir -p \/nonexistent-dir\)/m,
    );
    expect(result.stderr).not.toMatch(/--html/);
    // Refused before the embedded sandboxes started: no progress at all.
    expect(result.stderr).not.toMatch(/starting embedded EHR sandboxes/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("demo checks each vendor's own file: a folder named like report.shallow.json is refused", async () => {
    await mkdir(join(dir, 'report.shallow.json'));
    const result = await runCli(['demo', '--json', 'report.json'], { cwd: dir });
    expectRefusedUpFront(result, /^ehr-check: --json report\.shallow\.json: .*report\.shallow\.json is a folder/m);
    expect(result.stderr).not.toMatch(/starting embedded EHR sandboxes/);
    expect(await readdir(dir)).toEqual(['report.shallow.json']);
  });

  it('compare --html into a missing folder: exit 2 before the table is printed', async () => {
    const result = await runCli(['compare', samplePath('deep'), '--html', join(dir, 'nowhere', 'c.html')], { cwd: dir });
    expectRefusedUpFront(result, /^ehr-check: --html .*nowhere\/c\.html: the folder .*nowhere does not exist/m);
  });
});

describe('a report that cannot be written at the end', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'deep' });
  });
  afterAll(() => world?.close());

  it('leaves the other reports written, names the one it could not write, exit 3, no stack trace', async () => {
    const dir = await tempDir('outputs-late');
    const plan = await writePlanFile(dir, { ehrBaseUrl: world.sandbox.fhirBaseUrl, vendorBaseUrl: world.vendor.baseUrl, freshness: FAST });
    await mkdir(join(dir, 'kept'));
    await mkdir(join(dir, 'gone'));
    const cli = startCli(['run', '--plan', plan, '--allow-writes', '--json', 'kept/r.json', '--html', 'gone/r.html', '--markdown', 'kept/r.md'], { cwd: dir });
    // The paths were fine when checked; once probing has begun, the HTML's folder is replaced by a file (a mount
    // that went away, a cleanup job): root or not, nothing can be written under it any more.
    await cli.waitForStderr(/checking the EHR and vendor endpoints/, 30_000);
    await rm(join(dir, 'gone'), { recursive: true });
    await writeFile(join(dir, 'gone'), 'no longer a folder\n');
    const result = await cli.exited;

    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^ehr-check: --html gone\/r\.html: not written \(ENOTDIR: not a directory\); check that the folder gone still exists and has space$/m);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.stderr).toContain('Report written: kept/r.json, kept/r.md');
    // The terminal report was still printed, and the other files are whole.
    expect(result.stdout).toContain('Loopback Reference Vendor');
    expect(result.stdout).toMatch(/Writes and cleanup/);
    const report = await readJson<Report>(join(dir, 'kept', 'r.json'));
    expect(() => validateReport(report)).not.toThrow();
    expect(await readdir(join(dir, 'kept'))).toEqual(['r.json', 'r.md']);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [report.runId] });
    await rm(dir, { recursive: true, force: true });
  }, 60_000);
});
