// The other real-EHR shapes: eClinicalWorks (no Appointment in its API at all), Oracle Health Millennium (Slot
// search, Slot patch, Appointment create: everything by API), and the fully automatable generic flavor the demo
// runs on, whose findings keep `method: 'api'`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/model/report.js';
import { activeRunAppointments, consoleSlotStatuses, evaluateWith, nobody, planFor, staffScriptOperator, startRealWorld, type Evaluation, type RealWorld } from './world.js';

const PROBED = ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race'];
const probed = (run: Evaluation): Finding[] => run.findings.filter((f) => PROBED.includes(f.id));
const NEEDS_APPOINTMENT = ['write-lands', 'write-idempotent', 'conflict-refused', 'vendor-to-ehr-lag', 'double-booking-race', 'ehr-to-vendor-lag'] as const;

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
  }, 60_000);
  afterAll(async () => world?.close());

  it('every Appointment-dependent finding is skipped as impossible, with the reason; nothing errors', () => {
    for (const run of [scripted, alone]) {
      for (const id of NEEDS_APPOINTMENT) {
        const f = run.finding(id);
        expect(f, id).toMatchObject({ status: 'skip', evidence: { method: 'impossible', methodReason: expect.any(String) } });
        expect(f.message).toMatch(/^cannot be (checked|measured) on this EHR: /);
      }
      expect(run.finding('write-lands').message).toBe("cannot be checked on this EHR: the EHR's API exposes no Appointment: bookings cannot be read");
      expect(run.findings.filter((f) => f.status === 'error')).toEqual([]);
    }
  });

  it('what can still be judged is: the read-through by a person, the patient match by API', () => {
    expect(scripted.finding('read-through')).toMatchObject({ status: 'pass', evidence: { method: 'operator', readBy: 'operator' } });
    expect(alone.finding('read-through')).toMatchObject({ status: 'skip', evidence: { method: 'operator' } });
    for (const run of [scripted, alone]) expect(run.finding('patient-matched')).toMatchObject({ status: 'pass', evidence: { method: 'api', vendorStatus: 200, ehrPatients: 1 } });
  });

  it('touches none of the EHR’s own records: one of its patients was registered again, and kept', async () => {
    expect(scripted.report.cleanup.leftover).toEqual([]);
    expect(alone.report.cleanup.leftover).toEqual([]);
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
