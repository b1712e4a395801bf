// The same vendor gets the same verdicts whatever the EHR does with a slot status it is sent: stored as written
// (the plain sandbox), derived from the slot's bookings (a write of `busy` stays free), or a Slot write answered
// 200 and dropped. Every change ehr-check makes is read back, and the way it held is in the evidence. Where no
// way holds, the finding is `error` with what was tried: never a verdict about the vendor.
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../fixtures/sandbox/index.js';
import type { VendorOptions } from '../../fixtures/vendors/index.js';
import type { CheckId, Finding, FindingId } from '../../src/model/report.js';
import { earlyFreeSlot, evaluateOnce, planFor, runBookings, slotStatuses, staff, taggedWithRun, type Evaluation, type World } from '../bidirectional/world.js';
import { dropSlotWrites, startEhrProxy, type EhrProxy } from '../helpers/ehr-proxy.js';
import { startWorld } from '../helpers/world.js';
import { evaluateWith, planFor as realPlanFor, staffScriptOperator, startRealWorld } from './world.js';

type Behaviour = 'plain' | 'derived' | 'slot-writes-dropped';
const BEHAVIOURS: Behaviour[] = ['plain', 'derived', 'slot-writes-dropped'];

/** The EHR refuses ehr-check's own Appointments (its statement lists create): the vendor's reach it directly. */
const refuseBookings = (method: string, path: string) =>
  method === 'POST' && /\/Appointment$/.test(path) ? { status: 405, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported', diagnostics: 'Appointment create is not offered to this client' }] } } : undefined;
/** …and drops Slot writes too: no way of closing a slot is left to its API. */
const dropSlotWritesRefuseBookings = (method: string, path: string, body: Buffer) => dropSlotWrites(method, path, body) ?? refuseBookings(method, path);

interface Run {
  world: World;
  proxy?: EhrProxy;
  run: Evaluation;
  slotsBefore: Record<string, string>;
}

const opened: Array<{ close(): Promise<void> }> = [];
afterAll(() => Promise.allSettled(opened.map((o) => o.close())));

const started = new Map<string, Promise<Run>>();

/** One world per (behaviour, vendor): a sandbox, the vendor on it, and ehr-check's evaluation, through a proxy where the behaviour needs one. */
function runOn(
  behaviour: Behaviour | 'no-way-left' | 'bookings-refused',
  name: string,
  vendor: Omit<VendorOptions, 'ehrBaseUrl'>,
  checks: CheckId[],
  afterVendor?: (w: World) => Promise<void>,
): Promise<Run> {
  const key = `${behaviour}/${name}`;
  if (!started.has(key)) {
    started.set(
      key,
      (async () => {
        const sandbox: SandboxOptions = behaviour === 'derived' ? { deriveSlotStatus: true } : {};
        // Only ehr-check goes through the proxy: the vendor reaches the EHR as before.
        const answer =
          behaviour === 'plain' || behaviour === 'derived'
            ? undefined
            : { 'slot-writes-dropped': dropSlotWrites, 'no-way-left': dropSlotWritesRefuseBookings, 'bookings-refused': refuseBookings }[behaviour];
        const world = await startWorld({ vendor, sandbox, ...(answer && { probeProxy: { answer } }) });
        opened.push(world);
        await afterVendor?.(world);
        const slotsBefore = await slotStatuses(world.sandbox.fhirBaseUrl);
        const run = await evaluateOnce(planFor(world, { timeoutSeconds: 3 }), { checks });
        return { world, proxy: world.probeProxy, run, slotsBefore };
      })(),
    );
  }
  return started.get(key)!;
}

let closedAfterStart = '';
const VENDORS = {
  honest: () => ['honest', { behavior: 'deep' }, ['bidirectional', 'freshness']] as const,
  neverWrites: () => ['never-writes', { behavior: 'deep', faults: ['confirm-without-write'] }, ['bidirectional']] as const,
  ignoresConflicts: () => ['ignores-conflicts', { behavior: 'deep', faults: ['ignore-conflicts'] }, ['bidirectional']] as const,
  frozen: () => ['frozen', { behavior: 'deep', faults: ['frozen'] }, ['bidirectional', 'freshness']] as const,
  batch: () => ['batch', { behavior: 'batch', syncIntervalMs: 300 }, ['freshness']] as const,
};
type VendorName = keyof typeof VENDORS;

function vendorRun(behaviour: Behaviour, vendor: VendorName): Promise<Run> {
  const [name, options, checks] = VENDORS[vendor]();
  // The frozen vendor's view is taken at start-up; a slot closed by staff after it is one the vendor still offers.
  const afterVendor =
    vendor === 'frozen'
      ? async (w: World) => {
          closedAfterStart = await earlyFreeSlot(w.sandbox);
          await staff(w.sandbox, 'block', closedAfterStart);
        }
      : undefined;
  return runOn(behaviour, name, options as Omit<VendorOptions, 'ehrBaseUrl'>, [...checks], afterVendor);
}

/** Expected verdicts: the same on every EHR behaviour. */
const EXPECTED: Array<[VendorName, FindingId, Finding['status']]> = [
  ['honest', 'read-through', 'pass'],
  ['honest', 'write-lands', 'pass'],
  ['honest', 'write-idempotent', 'pass'],
  ['honest', 'conflict-refused', 'pass'],
  ['honest', 'ehr-to-vendor-lag', 'pass'],
  ['honest', 'double-booking-race', 'pass'],
  ['frozen', 'read-through', 'fail'],
  ['neverWrites', 'write-lands', 'fail'],
  ['neverWrites', 'write-idempotent', 'fail'],
  ['ignoresConflicts', 'conflict-refused', 'fail'],
  ['frozen', 'ehr-to-vendor-lag', 'fail'],
  ['batch', 'double-booking-race', 'fail'],
];

type Ev = Record<string, any>;
const premisesOf = (f: Finding): Ev[] => (f.evidence as Ev).premises ?? [];

describe.each(BEHAVIOURS)('on an EHR whose slot writes are %s', (behaviour) => {
  it.each(EXPECTED)('%s vendor: %s is %s', async (vendor, id, status) => {
    const { run } = await vendorRun(behaviour, vendor);
    const f = run.finding(id);
    expect(f.status, `${id}: ${f.message}`).toBe(status);
  }, 90_000);

  it('confirms a block in the EHR before the vendor is asked, and names the way that held', async () => {
    const { run } = await vendorRun(behaviour, 'honest');
    const conflict = run.finding('conflict-refused');
    const premises = premisesOf(conflict);
    expect(premises.map((p) => p.premise)).toEqual(['patient', 'slot-free', 'block-slot', 'free-slot']);
    expect(premises.every((p) => p.confirmed)).toBe(true);
    const block = premises.find((p) => p.premise === 'block-slot')!;
    if (behaviour === 'slot-writes-dropped') {
      // The EHR answered the Slot write with 200 and kept the slot free: the next way, an EHR-side booking, held.
      expect(block).toMatchObject({ via: 'ehr-appointment', readBy: 'slot-read' });
      expect(block.tried).toEqual([
        { via: 'slot-update', status: 200, held: false, note: 'the EHR shows it free' },
        { via: 'ehr-appointment', status: 201, held: true },
      ]);
      expect((conflict.evidence as Ev).blockedBy).toBe('ehr-appointment');
      expect(premises[3]).toMatchObject({ via: 'remove-booking', confirmed: true });
    } else {
      expect(block).toMatchObject({ via: 'slot-update', readBy: 'slot-read', tried: [{ via: 'slot-update', status: 200, held: true }] });
      expect((conflict.evidence as Ev).vendorMessage).toContain('busy-unavailable');
    }
  }, 90_000);

  it('times the EHR → vendor lag from a change the EHR showed, and confirms each slot free and the patient first', async () => {
    const { run } = await vendorRun(behaviour, 'honest');
    const lag = run.finding('ehr-to-vendor-lag');
    const premises = premisesOf(lag);
    expect(premises[0]).toMatchObject({ premise: 'patient', confirmed: true });
    expect(premises.filter((p) => p.premise === 'slot-free').every((p) => p.confirmed && p.readBy === 'slot-read')).toBe(true);
    const blocks = premises.filter((p) => p.premise === 'block-slot');
    expect(blocks.length).toBeGreaterThan(0);
    for (const b of blocks) expect(b).toMatchObject({ confirmed: true, via: behaviour === 'slot-writes-dropped' ? 'ehr-appointment' : 'slot-update' });
    expect((lag.evidence as Ev).methods).toEqual([behaviour === 'slot-writes-dropped' ? 'ehr-appointment' : 'slot-update']);
  }, 90_000);

  it('reads each race’s EHR side back: every attempt rests on a rival booking the EHR showed (or refused for the vendor’s)', async () => {
    const { run } = await vendorRun(behaviour, 'honest');
    const attempts = (run.finding('double-booking-race').evidence as Ev).attempts as Ev[];
    expect(attempts).toHaveLength(3);
    for (const a of attempts) {
      const rival = a.premises.find((p: Ev) => p.premise === 'rival-booking');
      expect(rival).toMatchObject({ via: 'ehr-appointment', confirmed: true });
      expect(a.premises.find((p: Ev) => p.premise === 'free-slot')).toMatchObject({ confirmed: true });
    }
  }, 90_000);

  it('books only what it confirmed: the test patient read back, the slot read free', async () => {
    const { run } = await vendorRun(behaviour, 'honest');
    expect(premisesOf(run.finding('write-lands'))).toEqual([
      { premise: 'patient', via: 'patient-read', confirmed: true, readBy: 'patient-read', tried: [{ via: 'patient-read', status: null, held: true }] },
      { premise: 'slot-free', slot: (run.finding('write-lands').evidence as Ev).slotId, via: 'slot-read', confirmed: true, readBy: 'slot-read', tried: [{ via: 'slot-read', status: null, held: true }] },
    ]);
    expect(premisesOf(run.finding('read-through'))).toEqual([{ premise: 'free-slots', via: 'slot-search', confirmed: true, readBy: 'slot-search', tried: [{ via: 'slot-search', status: null, held: true }] }]);
  }, 90_000);

  it('leaves the EHR as it was after every run: nothing tagged, no run booking, every slot as before', async () => {
    for (const vendor of Object.keys(VENDORS) as VendorName[]) {
      const { world, run, slotsBefore } = await vendorRun(behaviour, vendor);
      const base = world.sandbox.fhirBaseUrl;
      expect(run.report.cleanup.leftover, vendor).toEqual([]);
      expect(await taggedWithRun(base, run.runId)).toEqual({ Appointment: [], Patient: [] });
      expect(await runBookings(base, run.runId)).toEqual([]);
      expect(await slotStatuses(base), vendor).toEqual(slotsBefore);
    }
  }, 180_000);
});

describe('an EHR on which no way of closing a slot holds', () => {
  const noWay = () => runOn('no-way-left', 'honest', { behavior: 'deep' }, ['bidirectional', 'freshness']);

  it('gives `error` for the findings that rest on a closed slot, with every way tried, and judges the rest', async () => {
    const { run } = await noWay();
    for (const id of ['conflict-refused', 'ehr-to-vendor-lag'] as const) {
      const f = run.finding(id);
      expect(f.status, f.message).toBe('error');
      expect(f.message).toMatch(/could not make Slot \S+ unavailable in the EHR \(slot-update answered 200 \(the EHR shows it free\); ehr-appointment answered 405 \(error: Appointment create is not offered to this client\)\); a person at the EHR could: needs a person at the EHR/);
      expect((f.evidence as Ev).error).toMatchObject({ kind: 'premise', premise: { premise: 'block-slot', via: null, confirmed: false } });
    }
    const race = run.finding('double-booking-race');
    expect(race.status, race.message).toBe('error');
    expect(race.message).toMatch(/could not be raced: the EHR side of the race could not take the slot in the EHR \(ehr-appointment answered 405.*; slot-update answered 200 \(the EHR shows it (free|busy), not busy-unavailable\)\)/);
    for (const id of ['read-through', 'write-lands', 'write-idempotent', 'patient-matched', 'vendor-to-ehr-lag'] as const) {
      expect(run.finding(id).status, id).toBe('pass');
    }
  }, 90_000);

  it('still leaves the EHR as it was', async () => {
    const { world, run, slotsBefore } = await noWay();
    expect(run.report.cleanup.leftover).toEqual([]);
    expect(await slotStatuses(world.sandbox.fhirBaseUrl)).toEqual(slotsBefore);
    expect(await runBookings(world.sandbox.fhirBaseUrl, run.runId)).toEqual([]);
  }, 90_000);
});

describe('an EHR that refuses the race’s rival booking, though its statement lists Appointment create', () => {
  it('runs each race again with the slot closed by Slot update, and says so in every attempt', async () => {
    const { run } = await runOn('bookings-refused', 'honest', { behavior: 'deep' }, ['freshness']);
    const race = run.finding('double-booking-race');
    expect(race.status, race.message).toBe('pass');
    const attempts = (race.evidence as Ev).attempts as Ev[];
    expect(attempts.map((a) => a.ehrMethod)).toEqual(['slot-update', 'slot-update', 'slot-update']);
    const rival = (a: Ev) => a.premises.find((p: Ev) => p.premise === 'rival-booking');
    // The first attempt carries the way that did not hold; the later ones start from the way that did.
    expect(rival(attempts[0]!).tried[0]).toMatchObject({ via: 'ehr-appointment', status: 405, held: false });
    for (const a of attempts) expect(rival(a)).toMatchObject({ via: 'slot-update', confirmed: true });
  }, 90_000);
});

describe('an EHR whose API takes no way of closing a slot, with a person at its screens', () => {
  it('asks the person once the API ways did not hold, and judges by their confirmed change', async () => {
    const world = await startRealWorld('generic');
    opened.push(world);
    const proxy = await startEhrProxy(world.sandbox.fhirBaseUrl, { answer: dropSlotWritesRefuseBookings });
    opened.push(proxy);
    const plan = realPlanFor(world, 'generic', { trials: 1 });
    plan.connections[0]!.ehr.fhirBaseUrl = proxy.fhirBaseUrl;
    const slotsBefore = await slotStatuses(world.sandbox.fhirBaseUrl);
    const run = await evaluateWith(plan, await staffScriptOperator(world), ['bidirectional', 'freshness']);

    const conflict = run.finding('conflict-refused');
    expect(conflict.status, conflict.message).toBe('pass');
    expect((conflict.evidence as Ev).blockedBy).toBe('operator');
    const block = premisesOf(conflict).find((p) => p.premise === 'block-slot')!;
    expect(block).toMatchObject({ via: 'operator', confirmed: true, readBy: 'slot-search' });
    expect(block.tried.map((t: Ev) => [t.via, t.held])).toEqual([['slot-update', false], ['ehr-appointment', false], ['operator', true]]);
    expect(((conflict.evidence as Ev).operatorSteps as Ev[]).map((st) => [st.kind, st.outcome])).toEqual([['block-slot', 'done'], ['free-slot', 'done']]);

    const lag = run.finding('ehr-to-vendor-lag');
    expect(lag.status, lag.message).toBe('pass');
    expect((lag.evidence as Ev).methods).toEqual(['operator']);
    // A person cannot act at the same moment as the vendor: no race is run, and nothing is said about the vendor.
    expect(run.finding('double-booking-race').status).toBe('error');
    expect(run.report.cleanup.leftover).toEqual([]);
    expect(await slotStatuses(world.sandbox.fhirBaseUrl)).toEqual(slotsBefore);
  }, 90_000);
});
