// The README's "Your first evaluation", run as a newcomer would: every `npx ehr-check ...` line of that section,
// in order, in an empty folder, through the built CLI, with the plan the README shows. Only the fixed ports 8101
// and 9101 are swapped for free ones (other tests share this machine); the sandbox step is served in the
// background, as the README's "second terminal".
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { REPO } from '../helpers/paths.js';

const STACK_FRAME = /^\s+at /m;

interface Walkthrough {
  commands: string[][];
  planFile: string;
  plan: string;
}

/** The section's shell lines (comments dropped) and its plan, read from the README itself. */
function readWalkthrough(): Walkthrough {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('## Your first evaluation');
  expect(start, 'README has a "Your first evaluation" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/^( *)```(\w+)\n([\s\S]*?)^\1```/gm)].map((m) => ({
    lang: m[2]!,
    text: m[3]!.split('\n').map((line) => line.slice(m[1]!.length)).join('\n'),
  }));
  const commands = blocks
    .filter((b) => b.lang === 'sh')
    .flatMap((b) => b.text.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
    .map((line) => line.split(/\s+/));
  const yaml = blocks.filter((b) => b.lang === 'yaml');
  expect(yaml, 'one plan in the section').toHaveLength(1);
  const planFile = /Write a plan, `([^`]+)`/.exec(section)?.[1];
  expect(planFile, 'the section names the plan file').toBeDefined();
  return { commands, planFile: planFile!, plan: yaml[0]!.text };
}

/** `ehr-check sandbox`, served until the test ends; resolves once it has printed both base URLs. */
function serveSandbox(args: string[], cwd: string): { child: ChildProcess; urls: Promise<{ ehr: string; vendor: string }>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const urls = new Promise<{ ehr: string; vendor: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox printed no URLs within 60 s:\n${stdout}\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d) => {
      stdout += d;
      const ehr = /FHIR base URL\s+(\S+)/.exec(stdout)?.[1];
      const vendor = /Vendor facade\s+(\S+)/.exec(stdout)?.[1];
      if (ehr && vendor) {
        clearTimeout(timer);
        resolve({ ehr, vendor });
      }
    });
    void exited.then(() => reject(new Error(`the sandbox ended before printing its URLs:\n${stdout}\n${stderr}`)));
  });
  return { child, urls, exited };
}

describe('README: your first evaluation', () => {
  let dir: string | undefined;
  let sandbox: ReturnType<typeof serveSandbox> | undefined;
  afterAll(async () => {
    if (sandbox && sandbox.child.exitCode === null) sandbox.child.kill('SIGTERM');
    await sandbox?.exited;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('every command works as written, from the demo to a run of your own', async () => {
    const { commands, planFile, plan } = readWalkthrough();
    expect(commands.length).toBeGreaterThanOrEqual(6);
    for (const command of commands) expect(command.slice(0, 2), command.join(' ')).toEqual(['npx', 'ehr-check']);
    expect(commands.map((c) => c[2])).toEqual(['demo', 'sandbox', 'inspect', 'validate', 'run', 'assert', 'compare']);

    dir = await mkdtemp(join(tmpdir(), 'ehr-check-first-evaluation-'));
    // The README's fixed ports, replaced by the free ones the sandbox gets.
    let origins: Array<[string, string]> = [];
    const localise = (text: string) => origins.reduce((t, [from, to]) => t.split(from).join(to), text);
    const ran: Array<{ args: string[]; result: CliResult }> = [];

    for (const command of commands) {
      const args = command.slice(2).map(localise);
      if (args[0] === 'sandbox') {
        const served = args.map((a, i) => (args[i - 1] === '--port' || args[i - 1] === '--vendor-port' ? '0' : a));
        sandbox = serveSandbox(served, dir);
        const urls = await sandbox.urls;
        const ehrOrigin = new URL(urls.ehr).origin;
        const vendorOrigin = new URL(urls.vendor).origin;
        const port = (flag: string) => args[args.indexOf(flag) + 1];
        origins = [[`http://127.0.0.1:${port('--port')}`, ehrOrigin], [`http://127.0.0.1:${port('--vendor-port')}`, vendorOrigin]];
        // The URLs the README writes are the ones this sandbox serves, but for the port.
        expect(plan).toContain(`http://127.0.0.1:${port('--port')}${new URL(urls.ehr).pathname}`);
        expect(plan).toContain(`http://127.0.0.1:${port('--vendor-port')}${new URL(urls.vendor).pathname}`);
        await writeFile(join(dir, planFile), localise(plan));
        continue;
      }
      const result = await runCli(args, { cwd: dir, timeoutMs: 150_000 });
      ran.push({ args, result });
      expect(result.stderr, args.join(' ')).not.toMatch(STACK_FRAME);
      expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    }

    // 1. The demo said where it wrote each vendor's files, and wrote them.
    const demo = ran.find((r) => r.args[0] === 'demo')!.result;
    for (const vendor of ['deep', 'shallow', 'batch']) {
      for (const ext of ['html', 'json']) {
        expect(existsSync(join(dir, `report.${vendor}.${ext}`)), `report.${vendor}.${ext}`).toBe(true);
        expect(demo.stderr).toContain(`report.${vendor}.${ext}`);
      }
    }
    expect(demo.stderr).toMatch(/Reports written, one set per vendor:\n {2}Deepwater Scheduling +report\.deep\.json {2}report\.deep\.html\n/);
    // Each demo connection names the EHR it stands in for, not a "generic" server.
    const deep = JSON.parse(readFileSync(join(dir, 'report.deep.json'), 'utf8')) as Report;
    expect(deep.connections.map((c) => [c.system, (c as { software?: string }).software])).toEqual([
      ['epic', 'ehr-check sandbox standing in for Epic'],
      ['eclinicalworks', 'ehr-check sandbox standing in for eClinicalWorks'],
    ]);
    expect(JSON.stringify(deep)).not.toContain('generic flavor');

    // 3-5. inspect read the sandbox, the plan validated, and the run judged the vendor it was pointed at.
    expect(ran.find((r) => r.args[0] === 'inspect')!.result.stdout).toMatch(/read-through +│ bidirectional +│ api/);
    expect(ran.find((r) => r.args[0] === 'validate')!.result.stdout).toContain(`${planFile}: valid plan`);
    const run = ran.find((r) => r.args[0] === 'run')!.result;
    expect(run.stderr).toContain('Report written: my-report.json, my-report.html');
    const mine = JSON.parse(readFileSync(join(dir, 'my-report.json'), 'utf8')) as Report;
    expect(mine.vendor.name).toBe('Reference vendor (deep)');
    expect(mine.connections).toEqual([expect.objectContaining({ system: 'oracle-health', live: true })]);
    const findings = mine.checks.flatMap((c) => c.findings);
    expect(findings.find((f) => f.id === 'write-lands')?.status).toBe('pass');
    // What the README says about this run: certification fails, since the plan names no manifest.
    expect(findings.find((f) => f.id === 'certification')?.status).toBe('fail');
    expect(mine.cleanup.leftover).toEqual([]);
    expect(existsSync(join(dir, 'my-report.html'))).toBe(true);

    // 6. assert gated the saved report; compare set it beside the demo's three.
    // (its exit code 0, checked above, is the gate passing at --fail-under 80)
    expect(ran.find((r) => r.args[0] === 'assert')!.result.stdout).toContain('Reference vendor (deep)');
    const compare = ran.find((r) => r.args[0] === 'compare')!.result.stdout;
    for (const name of ['Reference vendor (deep)', 'Deepwater Scheduling', 'Shallowbrook Voice AI', 'Batchwell Automation']) expect(compare).toContain(name);

    // The sandbox stops cleanly, as Ctrl+C would stop it.
    sandbox!.child.kill('SIGINT');
    expect(await sandbox!.exited).toBe(0);
  }, 300_000);
});
