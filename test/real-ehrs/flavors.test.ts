// The other real-EHR shapes: eClinicalWorks (no Appointment in its API at all), Oracle Health Millennium (Slot
// search, Slot patch, Appointment create: everything by API), and the fully automatable generic flavor the demo
// runs on, whose findings keep `method: 'api'`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { activeRunAppointments, consoleSlotStatuses, evaluateWith, nobody, planFor, staffScriptOperator, startRealWorld, type Evaluation, type RealWorld } from './world.js';

const PROBED = ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race'];
const probed = (run: Evaluation): Finding[] => run.findings.filter((f) => PROBED.includes(f.id));
// Without Appointment in the API, a person at the EHR's schedule screen counts bookings and makes the changes.
const BY_PERSON = ['write-lands', 'write-idempotent', 'conflict-refused', 'ehr-to-vendor-lag'] as const;
const IMPOSSIBLE = ['vendor-to-ehr-lag', 'double-booking-race'] as const;

describe('ecw: no Appointment in the EHR’s API', () => {
  let world: RealWorld;
  let before: Record<string, string>;
  let scripted: Evaluation;
  let alone: Evaluation;

  beforeAll(async () => {
    world = await startRealWorld('ecw');
    before = await consoleSlotStatuses(world.sandbox);
    scripted = await evaluateWith(planFor(world, 'eclinicalworks'), await staffScriptOperator(world));
    alone = await evaluateWith(planFor(world, 'eclinicalworks'), nobody());
  }, 90_000);
  afterAll(async () => world?.close());

  it('what a person at the EHR can judge is judged by the scripted person, and passes for the deep vendor; nothing errors', () => {
    for (const id of BY_PERSON) {
      const f = scripted.finding(id);
      expect(f, `${id}: ${f.message}`).toMatchObject({ status: 'pass', evidence: { method: 'operator', methodReason: expect.any(String) } });
    }
    expect(scripted.finding('write-lands').evidence).toMatchObject({ readBy: 'operator', ehrBookings: [expect.any(Object)], slotBookings: 1 });
    const counts = (scripted.finding('write-lands').evidence.operatorSteps as Array<{ kind: string; counted?: unknown }>).filter((s) => s.kind === 'count-bookings');
    expect(counts).toEqual([expect.objectContaining({ by: 'script', outcome: 'done', counted: { forPatient: 1, onSlot: 1 } })]);
    expect(scripted.findings.filter((f) => f.status === 'error')).toEqual([]);
  });

  it('without anyone to ask, those findings are skipped as needing a person; only true impossibilities are impossible', () => {
    for (const id of BY_PERSON) {
      expect(alone.finding(id), id).toMatchObject({ status: 'skip', evidence: { method: 'operator' } });
      expect(alone.finding(id).message).toMatch(/^needs a person at the EHR/);
    }
    for (const run of [scripted, alone]) {
      for (const id of IMPOSSIBLE) {
        const f = run.finding(id);
        expect(f, id).toMatchObject({ status: 'skip', evidence: { method: 'impossible', methodReason: expect.any(String) } });
        expect(f.message).toMatch(/^cannot be measured on this EHR: /);
      }
      expect(run.findings.filter((f) => f.status === 'error')).toEqual([]);
    }
  });

  it('what can still be judged is: the read-through by a person, the patient match by API', () => {
    expect(scripted.finding('read-through')).toMatchObject({ status: 'pass', evidence: { method: 'operator', readBy: 'operator' } });
    expect(alone.finding('read-through')).toMatchObject({ status: 'skip', evidence: { method: 'operator' } });
    for (const run of [scripted, alone]) expect(run.finding('patient-matched')).toMatchObject({ status: 'pass', evidence: { method: 'api', vendorStatus: 200, ehrPatients: 1 } });
  });

  it('leaves the EHR as it was: the person cancelled the run’s bookings, every slot is as before', async () => {
    expect(scripted.report.cleanup.leftover).toEqual([]);
    expect(alone.report.cleanup.leftover).toEqual([]);
    expect(await activeRunAppointments(world.sandbox, scripted.runId)).toEqual([]);
    expect(await consoleSlotStatuses(world.sandbox)).toEqual(before);
  });
});

describe('oracle: everything by API', () => {
  let world: RealWorld;
  let run: Evaluation;

  let before: Record<string, string>;

  beforeAll(async () => {
    world = await startRealWorld('oracle');
    before = await consoleSlotStatuses(world.sandbox);
    run = await evaluateWith(planFor(world, 'oracle-health'), nobody());
  }, 60_000);
  afterAll(async () => world?.close());

  it('every probed finding is `api` and the deep vendor passes it, with no person asked', () => {
    for (const f of probed(run)) {
      expect(f.evidence.method, f.id).toBe('api');
      expect(f.status, `${f.id}: ${f.message}`).toBe('pass');
      expect(f.evidence).not.toHaveProperty('operatorSteps');
    }
    expect(run.finding('read-through').evidence.via).toEqual(['Slot:search-type(schedule,status,start)']);
    // Millennium patches a Slot (it offers no Slot update): the change is made as the planner says.
    expect(run.finding('conflict-refused').evidence).toMatchObject({ via: ['Slot:patch', 'Appointment:search-type(identifier)'], blockedBy: 'slot-patch' });
    expect(run.finding('ehr-to-vendor-lag').evidence).toMatchObject({ via: ['Slot:patch'], methods: ['slot-patch'] });
  });

  it('leaves no booking behind, and every slot as it was', async () => {
    expect(await activeRunAppointments(world.sandbox, run.runId)).toEqual([]);
    expect(await consoleSlotStatuses(world.sandbox)).toEqual(before);
    expect(run.report.cleanup.leftover).toEqual([]);
  });
});

describe('generic: what the demo runs on', () => {
  let world: RealWorld;
  let run: Evaluation;

  beforeAll(async () => {
    world = await startRealWorld('generic', { ehrStaffUrl: undefined });
    run = await evaluateWith(planFor(world, 'epic'), undefined);
  }, 60_000);
  afterAll(async () => world?.close());

  it('every probed finding keeps method `api`, and the deep vendor passes them all', () => {
    expect(probed(run)).toHaveLength(PROBED.length);
    for (const f of probed(run)) {
      expect(f.evidence).toMatchObject({ method: 'api', methodReason: expect.any(String) });
      expect(f.status, `${f.id}: ${f.message}`).toBe('pass');
    }
    expect(run.report.cleanup.leftover).toEqual([]);
  });
});
