// `ehr-check run --plan F` through the built CLI: each exit code of DESIGN §2, and the report file written
// before any non-zero exit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/contracts/validate.js';
import type { Report } from '../../src/model/report.js';
import { closedPortUrl, startWorld, type World } from '../bidirectional/world.js';
import { runCli } from '../helpers/cli.js';
import { ledgers, PLAN_FIXTURES, readJson, tempDir, writePlanFile } from './plan-file.js';

const FAST = { trials: 1, timeoutSeconds: 3, realTimeSeconds: 1, nearRealTimeSeconds: 2 };

describe('ehr-check run exit codes', () => {
  let deep: World;
  let faulty: World;
  beforeAll(async () => {
    [deep, faulty] = await Promise.all([startWorld({ behavior: 'deep' }), startWorld({ behavior: 'deep', faults: ['confirm-without-write'] })]);
  });
  afterAll(async () => {
    await Promise.allSettled([deep?.close(), faulty?.close()]);
  });

  async function planFor(world: World, label: string): Promise<{ dir: string; plan: string }> {
    const dir = await tempDir(label);
    const plan = await writePlanFile(dir, { ehrBaseUrl: world.sandbox.fhirBaseUrl, vendorBaseUrl: world.vendor.baseUrl, freshness: FAST });
    return { dir, plan };
  }

  it('0 when the gate passes: a deep vendor with verified claims', async () => {
    const { dir, plan } = await planFor(deep, 'exit0');
    const out = join(dir, 'report.json');
    const result = await runCli(['run', '--plan', plan, '--allow-writes', '--json', out], { cwd: dir });
    expect(result.stderr).not.toMatch(/^ehr-check: /m);
    expect(result.code).toBe(0);
    const report = await readJson<Report>(out);
    expect(() => validateReport(report)).not.toThrow();
    expect(report.gate).toMatchObject({ passed: true, minScore: 70, require: ['bidirectional'] });
    expect(report.checks.find((c) => c.id === 'bidirectional')?.status).toBe('pass');
    expect(result.stdout).toMatch(/^Loopback Reference Vendor: grade A, 100\/100 · based on all \d+ findings\nCI gate: passed \(min score 70; required: bidirectional\)$/m);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [report.runId] });
  }, 60_000);

  it('1 when the gate fails (--fail-under 99 on a vendor that confirms bookings it never writes), report written first', async () => {
    const { dir, plan } = await planFor(faulty, 'exit1');
    const out = join(dir, 'report.json');
    const junit = join(dir, 'report.xml');
    const result = await runCli(['run', '--plan', plan, '--allow-writes', '--fail-under', '99', '--json', out, '--junit', junit], { cwd: dir });
    expect(result.code).toBe(1);
    const report = await readJson<Report>(out);
    expect(report.gate.passed).toBe(false);
    expect(report.gate.minScore).toBe(99);
    expect(report.gate.reasons.join('\n')).toMatch(/under the minimum 99/);
    expect(report.gate.reasons.join('\n')).toMatch(/write-lands failed on epic/);
    expect(existsSync(junit)).toBe(true);
    expect(result.stdout).toMatch(/^Loopback Reference Vendor: grade [A-F], [\d.]+\/100 · .*\nCI gate: failed — score [\d.]+ is under the minimum 99; /m);
  }, 60_000);

  it('1 for the gate, not the run, when the check the gate requires did not pass (--require)', async () => {
    const { dir, plan } = await planFor(faulty, 'require');
    const result = await runCli(['run', '--plan', plan, '--allow-writes', '--check', 'bidirectional', '--require', 'bidirectional', '--fail-under', '0', '--quiet'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/bidirectional failed/);
  }, 60_000);

  it('2 for --fail-under 101, before anything is probed or written', async () => {
    const { dir, plan } = await planFor(deep, 'exit2-fail-under');
    const result = await runCli(['run', '--plan', plan, '--allow-writes', '--fail-under', '101'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fail-under takes a score from 0 to 100/);
    expect(result.stdout).toBe('');
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [] });
  });

  it('2 for an invalid plan, naming each problem by file and field', async () => {
    const dir = await tempDir('exit2-plan');
    const out = join(dir, 'report.json');
    const result = await runCli(['run', '--plan', join(PLAN_FIXTURES, 'invalid.plan.yaml'), '--json', out], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/invalid\.plan\.yaml: \/connections\/0\/ehr\/auth\/type: must be one of/);
    expect(result.stderr).toMatch(/invalid\.plan\.yaml: \/connections\/0\/vendor: fhir vendor needs baseUrl/);
    expect(result.stderr).toMatch(/invalid\.plan\.yaml: \/checks\/freshness\/trials: expected a whole number 1\.\.100, got 0/);
    expect(existsSync(out)).toBe(false);
  });

  it('2 for a plan file that is not there, or an unknown --check', async () => {
    const dir = await tempDir('exit2-usage');
    const missing = await runCli(['run', '--plan', join(dir, 'nope.yaml')], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml/);
    const { plan } = await planFor(deep, 'exit2-check');
    const unknown = await runCli(['run', '--plan', plan, '--check', 'speed'], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--check speed: unknown check; use one of bidirectional, coverage, freshness/);
  });

  it('3 when no connection is reachable, after writing the report it was asked for', async () => {
    const dir = await tempDir('exit3');
    const plan = await writePlanFile(dir, { ehrBaseUrl: await closedPortUrl('/fhir/R4'), vendorBaseUrl: await closedPortUrl('/fhir'), freshness: FAST });
    const out = join(dir, 'unreachable.json');
    const md = join(dir, 'unreachable.md');
    const result = await runCli(['run', '--plan', plan, '--allow-writes', '--json', out, '--markdown', md], { cwd: dir });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/could not be carried out: no connection was reachable/);
    const report = await readJson<Report>(out);
    expect(() => validateReport(report)).not.toThrow();
    expect(report.connections).toEqual([expect.objectContaining({ system: 'epic', live: false })]);
    const live = report.checks.flatMap((c) => c.findings).find((f) => f.id === 'connection-live');
    // no answer at all cannot be judged either way: an error, not a failed verdict
    expect(live?.status).toBe('error');
    expect(JSON.stringify(live?.evidence)).toMatch(/"cause":"connect"/);
    expect(existsSync(md)).toBe(true);
    // the buyer's setup failed, not the vendor: not evaluated, no grade, and the headline says why
    expect(report).toMatchObject({ score: null, grade: null, verdict: { status: 'not-evaluated' } });
    expect(report.verdict!.reason).toMatch(/^the plan's only connection could not be reached or used, so nothing about the vendor was judged/);
    expect(result.stdout).toMatch(/^Loopback Reference Vendor: NOT EVALUATED — the plan's only connection could not be reached/);
    expect(result.stdout).not.toMatch(/grade F/);
    // nothing was written anywhere, so there is nothing to undo
    expect(report.cleanup).toMatchObject({ created: 0, removed: 0, leftover: [] });
  }, 60_000);
});
