// A full evaluation on the `epic` flavor (Epic's R4 surface: Appointment read/search, no Slot, no Appointment
// create) with a deep vendor that books through the EHR's own console, and ehr-check's operator steps answered
// by the script of fixtures/operator-scripts. Every finding is judged, none is an error: what the API verifies is
// `api`, what needed a person says so with when they were asked and confirmed, and what cannot be verified on
// Epic is `skip` with the reason. Then the same through the CLI, without a terminal and without a script.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReport } from '../../src/contracts/validate.js';
import type { Finding, Report } from '../../src/model/report.js';
import type { OperatorStepRecord } from '../../src/operator/types.js';
import { runCli } from '../helpers/cli.js';
import { activeRunAppointments, consoleSlotStatuses, evaluateWith, planFor, STAFF_SCRIPT, staffScriptOperator, startRealWorld, type Evaluation, type RealWorld } from './world.js';

const PROBED = ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race'];
const BY_PERSON = ['read-through', 'conflict-refused', 'ehr-to-vendor-lag'] as const;
const BY_API = ['write-lands', 'write-idempotent', 'patient-matched', 'vendor-to-ehr-lag'] as const;
const NEEDS_PERSON = /^needs a person at the EHR: run in a terminal, or give --operator-script \(/;

function expectConfirmedSteps(f: Finding, by: 'script' | 'tty'): OperatorStepRecord[] {
  const steps = f.evidence.operatorSteps as OperatorStepRecord[];
  expect(steps.length, f.id).toBeGreaterThan(0);
  for (const step of steps) {
    expect(step, f.id).toMatchObject({ by, outcome: 'done', askedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), confirmedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(Date.parse(step.confirmedAt!)).toBeGreaterThanOrEqual(Date.parse(step.askedAt));
    expect(step.tookMs).toBeGreaterThanOrEqual(0);
  }
  return steps;
}

describe('a full run on the epic flavor, with the scripted operator', () => {
  let world: RealWorld;
  let before: Record<string, string>;
  let run: Evaluation;

  beforeAll(async () => {
    world = await startRealWorld('epic');
    before = await consoleSlotStatuses(world.sandbox);
    run = await evaluateWith(planFor(world, 'epic'), await staffScriptOperator(world));
  }, 60_000);
  afterAll(async () => world?.close());

  it('judges every finding, and none is an error', () => {
    const errors = run.findings.filter((f) => f.status === 'error').map((f) => `${f.id}: ${f.message}`);
    expect(errors).toEqual([]);
    expect(run.findings.filter((f) => f.connection === 'epic').map((f) => f.id)).toEqual(expect.arrayContaining(PROBED));
    expect(() => validateReport(run.report)).not.toThrow();
  });

  it('the findings that needed a person say so, with when the steps were asked and confirmed', () => {
    for (const id of BY_PERSON) {
      const f = run.finding(id);
      expect(f.status, `${id}: ${f.message}`).toBe('pass');
      expect(f.evidence).toMatchObject({ method: 'operator', methodReason: expect.any(String), via: expect.any(Array) });
      expectConfirmedSteps(f, 'script');
    }
    expect(run.finding('read-through').evidence).toMatchObject({ readBy: 'operator' });
    expect((run.finding('conflict-refused').evidence.operatorSteps as OperatorStepRecord[]).map((s) => s.kind)).toEqual(['block-slot', 'free-slot']);
    expect(run.finding('conflict-refused').evidence).toMatchObject({ blockedBy: 'operator', vendorStatus: 409, ehrBookings: [] });
    const lag = run.finding('ehr-to-vendor-lag').evidence;
    expect(lag).toMatchObject({ via: ['Appointment:search-type(patient,date)'], trials: 2, censored: 0, methods: ['operator-book-slot'] });
    expect((lag.operatorSteps as OperatorStepRecord[]).map((s) => s.kind)).toEqual(['book-slot', 'cancel']);
  });

  it('what the API can verify is verified by API', () => {
    for (const id of BY_API) {
      const f = run.finding(id);
      expect(f.status, `${id}: ${f.message}`).toBe('pass');
      expect(f.evidence.method).toBe('api');
    }
    expect(run.finding('write-lands').evidence.via).toEqual(['Appointment:search-type(identifier)']);
  });

  it('what cannot be verified on Epic is skipped, with the reason', () => {
    const race = run.finding('double-booking-race');
    expect(race).toMatchObject({ status: 'skip', evidence: { method: 'impossible' } });
    expect(race.message).toMatch(/^cannot be measured on this EHR: a person cannot act at the same moment as the vendor/);
  });

  it('leaves the EHR as it was: no booking of the run active, every slot as before', async () => {
    expect(await activeRunAppointments(world.sandbox, run.runId)).toEqual([]);
    expect(await consoleSlotStatuses(world.sandbox)).toEqual(before);
    // Epic's API deletes no Patient, so the run created none: it booked for one of the EHR's own. Nothing is left.
    expect(run.report.cleanup.leftover).toEqual([]);
  });
});

describe('the epic flavor through the CLI', () => {
  let world: RealWorld;
  let dir: string;
  let planFile: string;

  beforeAll(async () => {
    world = await startRealWorld('epic');
    dir = await mkdtemp(join(tmpdir(), 'ehrc-epic-'));
    planFile = join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(planFor(world, 'epic', { trials: 1 })));
  }, 30_000);
  afterAll(async () => world?.close());

  const readReport = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as Report;
  const findingsOf = (report: Report) => new Map(report.checks.flatMap((c) => c.findings).filter((f) => f.connection === 'epic').map((f) => [f.id, f]));

  it('without a terminal and without a script, skips what needs a person with the reason, and still writes the report', async () => {
    const out = join(dir, 'no-operator.json');
    const cli = await runCli(['run', '--plan', planFile, '--allow-writes', '--json', out, '--quiet'], { cwd: dir, timeoutMs: 60_000 });
    expect([0, 1], cli.stderr).toContain(cli.code);
    const report = await readReport(out);
    const findings = findingsOf(report);
    for (const id of BY_PERSON) {
      expect(findings.get(id), id).toMatchObject({ status: 'skip', evidence: { method: 'operator' } });
      expect(findings.get(id)!.message).toMatch(NEEDS_PERSON);
    }
    // Bookings need a slot the EHR holds free, which on Epic only a person can read.
    expect(findings.get('write-lands')!.message).toMatch(/needs a person at the EHR.*the EHR offers no Slot search/);
    expect(findings.get('double-booking-race')).toMatchObject({ status: 'skip', evidence: { method: 'impossible' } });
    expect(findings.get('patient-matched')).toMatchObject({ status: 'pass', evidence: { method: 'api' } });
    expect([...findings.values()].filter((f) => f.status === 'error')).toEqual([]);
  }, 90_000);

  it('with --operator-script, the script answers the steps', async () => {
    const out = join(dir, 'scripted.json');
    const cli = await runCli(['run', '--plan', planFile, '--allow-writes', '--operator-script', STAFF_SCRIPT, '--json', out, '--quiet'], {
      cwd: dir,
      env: { EHRC_STAFF_URL: world.sandbox.staffUrl },
      timeoutMs: 60_000,
    });
    expect([0, 1], cli.stderr).toContain(cli.code);
    const findings = findingsOf(await readReport(out));
    for (const id of BY_PERSON) {
      expect(findings.get(id), id).toMatchObject({ status: 'pass', evidence: { method: 'operator' } });
      expectConfirmedSteps(findings.get(id)!, 'script');
    }
    expect([...findings.values()].filter((f) => f.status === 'error')).toEqual([]);
  }, 90_000);

  it('a broken script is bad input: exit 2 naming the file and field, before anything is written', async () => {
    const script = join(dir, 'broken-ops.yaml');
    await writeFile(script, 'version: 1\nsteps:\n  - kind: block-slot\n    http: { method: POST, url: "{{env.EHRC_STAFF_URL}}/slots/{{appointment.id}}/block" }\n');
    const out = join(dir, 'never.json');
    const cli = await runCli(['run', '--plan', planFile, '--allow-writes', '--operator-script', script, '--json', out], { cwd: dir, env: { EHRC_STAFF_URL: world.sandbox.staffUrl } });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('broken-ops.yaml: /steps/0/http/url: {{appointment.id}}: block-slot steps carry no appointment');
    expect(existsSync(out)).toBe(false);
    const unset = await runCli(['run', '--plan', planFile, '--operator-script', STAFF_SCRIPT], { cwd: dir, env: { EHRC_STAFF_URL: '' } });
    expect(unset.code).toBe(2);
  }, 60_000);
});
