// An athenahealth-like EHR: Appointment readable by id only (no Appointment search), no Slot, no scheduling writes
// in its FHIR API, as on athenahealth's real statement. What a person at the EHR's schedule screen can judge is
// judged by one (here the operator script of fixtures/operator-scripts, on the sandbox's staff console): whether
// the booking landed, how many times, on the right slot; a change they make is a lag trial's start. Only what a
// person cannot give stays impossible. An honest vendor passes, faulty ones fail, and the EHR is left as it was.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VendorFault } from '../../fixtures/vendors/types.js';
import type { Finding, FindingId, Report } from '../../src/model/report.js';
import type { OperatorStepRecord } from '../../src/operator/types.js';
import { runCli } from '../helpers/cli.js';
import { activeRunAppointments, consoleSlotStatuses, evaluateWith, planFor, STAFF_SCRIPT, staffScriptOperator, startRealWorld, type RealWorld } from './world.js';

const ATHENA_LIKE = { withhold: { Appointment: { interactions: ['search-type'] } } };
const BY_PERSON: FindingId[] = ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'ehr-to-vendor-lag'];
const IMPOSSIBLE: FindingId[] = ['vendor-to-ehr-lag', 'double-booking-race'];

const worlds: RealWorld[] = [];
afterAll(async () => {
  await Promise.allSettled(worlds.map((w) => w.close()));
});

async function athenaLike(faults: VendorFault[] = []): Promise<RealWorld> {
  const w = await startRealWorld('athena', { faults }, ATHENA_LIKE);
  worlds.push(w);
  return w;
}

const steps = (f: Finding) => (f.evidence.operatorSteps ?? []) as OperatorStepRecord[];

describe('an athena-like EHR judged with a scripted person', () => {
  let world: RealWorld;
  let before: Record<string, string>;
  let findings: Map<string, Finding>;
  let report: Report;
  let runId: string;

  beforeAll(async () => {
    world = await athenaLike();
    before = await consoleSlotStatuses(world.sandbox);
    const run = await evaluateWith(planFor(world, 'athenahealth', { trials: 1 }), await staffScriptOperator(world));
    report = run.report;
    runId = run.runId;
    findings = new Map(run.findings.filter((f) => f.connection === 'athenahealth').map((f) => [f.id, f]));
  }, 90_000);

  it('what a person can judge is operator and passes for the honest vendor; nothing errors', () => {
    for (const id of BY_PERSON) {
      const f = findings.get(id)!;
      expect(f, `${id}: ${f.message}`).toMatchObject({ status: 'pass', evidence: { method: 'operator' } });
      for (const step of steps(f)) expect(step, id).toMatchObject({ by: 'script', outcome: 'done', confirmedAt: expect.any(String) });
    }
    expect([...findings.values()].filter((f) => f.status === 'error').map((f) => `${f.id}: ${f.message}`)).toEqual([]);
  });

  it('the booking was counted by the person: once, on the slot, for the test patient; again after the replay', () => {
    const lands = findings.get('write-lands')!;
    expect(lands.evidence).toMatchObject({ readBy: 'operator', vendorStatus: 201, slotBookings: 1 });
    expect(steps(lands).map((s) => [s.kind, s.counted])).toEqual([['count-bookings', { forPatient: 1, onSlot: 1 }]]);
    const again = findings.get('write-idempotent')!;
    expect(steps(again).map((s) => [s.kind, s.counted])).toEqual([['count-bookings', { forPatient: 1, onSlot: 1 }]]);
    const conflict = findings.get('conflict-refused')!;
    expect(conflict.evidence).toMatchObject({ readBy: 'operator', blockedBy: 'operator', vendorStatus: 409, slotBookings: 0 });
    expect(steps(conflict).map((s) => s.kind)).toEqual(['block-slot', 'count-bookings', 'free-slot']);
  });

  it('the lag is timed from the person’s confirmed block, with the bound widened to their span', () => {
    const lag = findings.get('ehr-to-vendor-lag')!;
    expect(lag.evidence).toMatchObject({ methods: ['operator-block-slot'], trials: 1, censored: 0, via: [] });
    expect(steps(lag).map((s) => s.kind)).toEqual(['block-slot', 'free-slot']);
  });

  it('only what a person cannot give is impossible, with the reason', () => {
    for (const id of IMPOSSIBLE) expect(findings.get(id), id).toMatchObject({ status: 'skip', evidence: { method: 'impossible' } });
    expect(findings.get('vendor-to-ehr-lag')!.message).toMatch(/cannot place it finely enough/);
    expect(findings.get('double-booking-race')!.message).toMatch(/a person cannot act at the same moment/);
  });

  it('leaves the EHR as it was: the person cancelled the run’s bookings, every slot is as before', async () => {
    expect(report.cleanup.leftover).toEqual([]);
    expect(await activeRunAppointments(world.sandbox, runId)).toEqual([]);
    expect(await consoleSlotStatuses(world.sandbox)).toEqual(before);
  });
});

describe('faulty vendors on the athena-like EHR fail, on the person’s count', () => {
  it.each([
    ['confirm-without-write', ['write-lands', 'write-idempotent']],
    ['ignore-conflicts', ['conflict-refused']],
  ] as Array<[VendorFault, FindingId[]]>)('%s', async (fault, failing) => {
    const w = await athenaLike([fault]);
    const before = await consoleSlotStatuses(w.sandbox);
    const run = await evaluateWith(planFor(w, 'athenahealth'), await staffScriptOperator(w), ['bidirectional']);
    for (const id of ['write-lands', 'write-idempotent', 'conflict-refused'] as FindingId[]) {
      const f = run.finding(id);
      expect(f.status, `${id}: ${f.message}`).toBe(failing.includes(id) ? 'fail' : 'pass');
      expect(f.evidence).toMatchObject({ method: 'operator', readBy: 'operator' });
    }
    expect(run.report.cleanup.leftover).toEqual([]);
    expect(await activeRunAppointments(w.sandbox, run.runId)).toEqual([]);
    expect(await consoleSlotStatuses(w.sandbox)).toEqual(before);
  }, 90_000);
});

describe('the athena-like EHR through the CLI with --operator-script', () => {
  it('judges by the script’s answers and writes the report', async () => {
    const w = await athenaLike();
    const dir = await mkdtemp(join(tmpdir(), 'ehrc-athena-'));
    const planFile = join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(planFor(w, 'athenahealth', { trials: 1 })));
    const out = join(dir, 'report.json');
    const cli = await runCli(['run', '--plan', planFile, '--allow-writes', '--operator-script', STAFF_SCRIPT, '--json', out, '--quiet'], {
      cwd: dir,
      env: { EHRC_STAFF_URL: w.sandbox.staffUrl },
      timeoutMs: 90_000,
    });
    expect([0, 1], cli.stderr).toContain(cli.code);
    const report = JSON.parse(await readFile(out, 'utf8')) as Report;
    const byId = new Map(report.checks.flatMap((c) => c.findings).filter((f) => f.connection === 'athenahealth').map((f) => [f.id, f]));
    for (const id of BY_PERSON) expect(byId.get(id), id).toMatchObject({ status: 'pass', evidence: { method: 'operator' } });
    expect(report.cleanup.leftover).toEqual([]);
  }, 120_000);
});
