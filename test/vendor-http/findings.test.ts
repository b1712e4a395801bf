// Every finding the `http` kind supports, end to end through evaluate(): the honest reference REST vendor passes it
// and a faulty one fails it, on a real EHR sandbox, with the shipped mapping (examples/vendor-api.yaml). What the
// findings saw in the EHR is checked against the EHR itself: the records were real, and cleanup removed them.
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../fixtures/sandbox/index.js';
import type { RestVendorOptions } from '../../fixtures/vendors/rest/index.js';
import type { Finding, FindingId } from '../../src/model/report.js';
import { runBookings, searchEhr, slotStatuses, staff } from '../helpers/ehr-truth.js';
import { evaluatePlan, testPlan, type Evaluation } from '../helpers/run.js';
import { earlyFreeSlot } from '../bidirectional/world.js';
import { restConnection, startRestWorld, type RestWorld } from './world.js';

const worlds: RestWorld[] = [];
afterAll(async () => {
  await Promise.allSettled(worlds.map((w) => w.close()));
});

interface Scenario {
  world: RestWorld;
  run: Evaluation;
  slotsBefore: Record<string, string>;
}

/** Lag bounds generous enough that a loaded machine cannot push the honest vendor's 300 ms writes out of real-time. */
const ROOMY = { trials: 1, timeoutSeconds: 8, realTimeSeconds: 4, nearRealTimeSeconds: 8 };

function scenario(vendor: Omit<RestVendorOptions, 'ehrBaseUrl'>, sandbox: SandboxOptions = {}, afterStart?: (w: RestWorld) => Promise<void>): () => Promise<Scenario> {
  let started: Promise<Scenario> | undefined;
  return () =>
    (started ??= (async () => {
      const world = await startRestWorld(vendor, sandbox);
      worlds.push(world);
      await afterStart?.(world);
      const slotsBefore = await slotStatuses(world.sandbox.fhirBaseUrl);
      const freshness = vendor.faults?.length ? undefined : ROOMY;
      const run = await evaluatePlan(testPlan([restConnection(world)], { ...(freshness && { freshness }) }), { checks: ['bidirectional', 'freshness'] });
      return { world, run, slotsBefore };
    })());
}

const honest = scenario({});
const honestOverbooking = scenario({}, { allowOverbooking: true });
const neverWritten = scenario({ faults: ['confirm-without-write'] });
const noDedupe = scenario({ faults: ['no-dedupe'] }, { allowOverbooking: true });
const ignoresConflicts = scenario({ faults: ['ignore-conflicts'] });
const duplicatePatients = scenario({ faults: ['duplicate-patients'] });
let blockedAfterStart = '';
const stale = scenario({ faults: ['frozen'] }, {}, async (w) => {
  blockedAfterStart = await earlyFreeSlot(w.sandbox);
  await staff(w.sandbox, 'block', blockedAfterStart);
});

type Ev = Record<string, any>;
const ev = (f: Finding) => f.evidence as Ev;
const status = async (s: () => Promise<Scenario>, id: FindingId) => (await s()).run.finding(id).status;

/** After the run the EHR holds none of the run's bookings, and every slot is as it was (the stale scenario's block aside). */
async function expectEhrRestored(s: Scenario): Promise<void> {
  const base = s.world.sandbox.fhirBaseUrl;
  expect((await runBookings(base, s.run.runId)).filter((a) => a.status !== 'cancelled')).toEqual([]);
  expect(await slotStatuses(base)).toEqual(s.slotsBefore);
  expect(s.run.report.cleanup.leftover).toEqual([]);
}

/** The Appointments a finding saw were real EHR records, which the probe or cleanup then removed. */
function expectRemoved(s: Scenario, ids: string[]): void {
  const removed = new Set((s.run.report.writes ?? []).filter((w) => w.removed).map((w) => w.id));
  for (const id of ids) expect(removed, `${id} removed`).toContain(id);
}

describe('the honest REST vendor', () => {
  it.each<FindingId>(['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'vendor-to-ehr-lag', 'ehr-to-vendor-lag', 'double-booking-race'])('passes %s', async (id) => {
    const s = await honest();
    expect(s.run.finding(id).status, s.run.finding(id).message).toBe('pass');
  });

  it('is judged as an http vendor, its writes accepted as pending (201) and read back from the EHR', async () => {
    const s = await honest();
    expect(s.run.report.connections[0]!.vendorKind).toBe('http');
    const lands = ev(s.run.finding('write-lands'));
    expect(lands.vendorStatus).toBe(201);
    expect(lands.ehrBookings).toHaveLength(1);
    expect(lands.ehrBookings[0]).toMatchObject({ slot: `Slot/${lands.slotId}`, patient: `Patient/${lands.patientId}` });
    expectRemoved(s, lands.ehrBookings.map((b: { id: string }) => b.id));
    // The lag runs from the request to the EHR holding the booking: at least the vendor's write delay.
    expect(ev(s.run.finding('vendor-to-ehr-lag')).p50Ms).toBeGreaterThanOrEqual(250);
    // Every request went to the vendor's API as the mapping says, redacted into the evidence.
    const urls = (s.run.finding('read-through').evidence as Ev).requests.map((r: { url: string }) => r.url);
    expect(urls.some((u: string) => u.startsWith(`${s.world.vendor.baseUrl}/appointment_slots?`))).toBe(true);
    await expectEhrRestored(s);
  });

  it('passes the repeat and the race on an EHR that accepts overbooking too', async () => {
    expect(await status(honestOverbooking, 'write-idempotent')).toBe('pass');
    expect(await status(honestOverbooking, 'double-booking-race')).toBe('pass');
    await expectEhrRestored(await honestOverbooking());
  });
});

describe('faulty REST vendors fail what they break', () => {
  it('accepted but never written: write-lands and vendor-to-ehr-lag fail, and the EHR holds nothing', async () => {
    const s = await neverWritten();
    const lands = s.run.finding('write-lands');
    expect(lands.status).toBe('fail');
    expect(ev(lands).ehrBookings).toEqual([]);
    expect(s.run.finding('vendor-to-ehr-lag').status).toBe('fail');
    expect(ev(s.run.finding('vendor-to-ehr-lag')).class).toBe('stale');
    expect(await runBookings(s.world.sandbox.fhirBaseUrl, s.run.runId)).toEqual([]);
  });

  it('a retried request written twice: write-idempotent and the race fail on an overbooking EHR', async () => {
    const s = await noDedupe();
    const repeat = s.run.finding('write-idempotent');
    expect(repeat.status).toBe('fail');
    expect(ev(repeat).ehrBookings.length).toBe(2);
    expectRemoved(s, ev(repeat).ehrBookings.map((b: { id: string }) => b.id));
    const race = s.run.finding('double-booking-race');
    expect(race.status).toBe('fail');
    expect(ev(race).attempts.some((a: { doubleBooked: boolean; ehrAppointmentIds: string[] }) => a.doubleBooked && a.ehrAppointmentIds.length >= 2)).toBe(true);
    await expectEhrRestored(s);
  });

  it('books busy slots: conflict-refused fails, the vendor having taken a slot the EHR holds busy', async () => {
    const s = await ignoresConflicts();
    const f = s.run.finding('conflict-refused');
    expect(f.status).toBe('fail');
    expect(ev(f).vendorStatus).toBe(201);
    await expectEhrRestored(s);
  });

  it('duplicate patients: patient-matched fails with a second Patient in the EHR, removed by cleanup', async () => {
    const s = await duplicatePatients();
    const f = s.run.finding('patient-matched');
    expect(f.status).toBe('fail');
    expect(ev(f).ehrPatients).toBe(2);
    // Both records were the run's (it made the "existing" patient first): cleanup removed the original and the duplicate.
    expect(await searchEhr(s.world.sandbox.fhirBaseUrl, 'Patient', { identifier: ev(f).identifier })).toEqual([]);
    expect((s.run.report.writes ?? []).filter((w) => w.resourceType === 'Patient' && w.removed).length).toBeGreaterThanOrEqual(2);
    expect(s.run.report.cleanup.leftover).toEqual([]);
  });

  it('stale availability: read-through offers the slot the EHR closed, and ehr-to-vendor-lag never sees a change', async () => {
    const s = await stale();
    const read = s.run.finding('read-through');
    expect(read.status).toBe('fail');
    // The vendor's slots carry no ids: the phantom is the closed slot, known by its start.
    const [slot] = await searchEhr<{ id: string; status: string; start: string }>(s.world.sandbox.fhirBaseUrl, 'Slot', { _id: blockedAfterStart });
    expect(slot?.status).toBe('busy-unavailable');
    expect(ev(read).phantomSlots.map((id: string) => Date.parse(id.replace(/^vendor-/, '')))).toContain(Date.parse(slot!.start));
    const lag = s.run.finding('ehr-to-vendor-lag');
    expect(lag.status).toBe('fail');
    expect(ev(lag).class).toBe('stale');
  });
});
