// The honest (deep) reference vendor books at volume and every booking lands exactly once, on a strict EHR and
// on one that accepts overbooking (where only the vendor's own deduplication keeps a retry from doubling).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePlan } from '../helpers/run.js';
import type { World } from '../helpers/world.js';
import { runBookings, slotStatuses } from '../helpers/ehr-truth.js';
import { activeTagged, startVolumeWorld, volumePlan } from './world.js';

for (const overbooking of [false, true]) {
  describe(`the honest vendor on ${overbooking ? 'an overbooking' : 'a strict'} EHR`, () => {
    let world: World;
    beforeAll(async () => {
      world = await startVolumeWorld({ behavior: 'deep' }, { allowOverbooking: overbooking });
    });
    afterAll(() => world?.close());

    it('passes: every accepted booking landed exactly once, retries in flight included, and cleanup undoes it all', async () => {
      const before = await slotStatuses(world.sandbox.fhirBaseUrl);
      const run = await evaluatePlan(volumePlan(world), { checks: ['volume'] });
      const f = run.finding('writes-at-volume', 'epic');
      expect(f.status, f.message).toBe('pass');
      expect(f.evidence).toMatchObject({ attempted: 12, accepted: 12, landed: 12, duplicates: 0, lostKeys: [], retries: 6 });
      expect(f.evidence.retriesInFlight).toBeGreaterThan(0);
      expect(f.evidence.lagP50Ms).toEqual(expect.any(Number));
      expect(f.evidence).toMatchObject({ method: 'api', vendorMethod: 'api' });
      // The EHR, read apart from the product: nothing of the run is left, every slot as it was.
      expect(run.report.cleanup.leftover).toEqual([]);
      expect((await runBookings(world.sandbox.fhirBaseUrl, run.runId)).filter((a) => a.status !== 'cancelled')).toEqual([]);
      expect(await slotStatuses(world.sandbox.fhirBaseUrl)).toEqual(before);
    });
  });
}

// An EHR that cannot search Appointments by identifier: the burst's bookings are found by the test patient and
// their days (all of them are the one test patient's), or by their slots, reading the keys they carry.
for (const withheld of [['identifier'], ['identifier', 'patient']]) {
  describe(`an EHR without Appointment search by ${withheld.join(' or ')}`, () => {
    let world: World;
    beforeAll(async () => {
      world = await startVolumeWorld({ behavior: 'deep', faults: ['racy-dedup'] }, { allowOverbooking: true, withhold: { Appointment: { searchParams: withheld } } });
    });
    afterAll(() => world?.close());

    it('still counts every key in the EHR, and still finds the racy vendor’s duplicates', async () => {
      const run = await evaluatePlan(volumePlan(world), { checks: ['volume'] });
      const f = run.finding('writes-at-volume', 'epic');
      expect(f.status, f.message).toBe('fail');
      expect((f.evidence.duplicateKeys as string[]).length).toBeGreaterThan(0);
      expect(f.evidence.landed).toBe(12);
      expect(f.evidence.via).toContain(withheld.length === 1 ? 'Appointment:search-type(patient,date)' : 'Appointment:search-type(slot)');
      // Cleanup finds every booking by the run tag; its searches by identifier, which this EHR refuses, are listed.
      expect(run.report.cleanup.leftover.every((l) => /^search Appointment urn:ehr-check:booking\|.*400/.test(l))).toBe(true);
      expect(await activeTagged(world, run.runId)).toEqual([]);
    });
  });
}

describe('a vendor that queues its bookings (HTTP 202) for later entry', () => {
  let world: World;
  beforeAll(async () => {
    world = await startVolumeWorld({ behavior: 'shallow', bookingQueueMs: 600, syncIntervalMs: 300 });
  });
  afterAll(() => world?.close());

  it('is waited for up to the lag bound: each queued booking that lands once counts, its queue delay as lag', async () => {
    const run = await evaluatePlan(volumePlan(world, { retryShare: 0 }), { checks: ['volume'] });
    const f = run.finding('writes-at-volume', 'epic');
    expect(f.status, f.message).toBe('pass');
    const bookings = f.evidence.bookings as Array<{ requests: Array<{ status: number }> }>;
    expect(bookings.every((b) => b.requests[0]!.status === 202)).toBe(true);
    expect(f.evidence.lagP50Ms as number).toBeGreaterThanOrEqual(500);
    expect(f.evidence.waitedMs as number).toBeGreaterThan(0);
    expect(await activeTagged(world, run.runId)).toEqual([]);
  });
});
