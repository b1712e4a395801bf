// The honest (deep) reference vendor books at volume and every booking lands exactly once, on a strict EHR and
// on one that accepts overbooking (where only the vendor's own deduplication keeps a retry from doubling).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePlan } from '../helpers/run.js';
import type { World } from '../helpers/world.js';
import { runBookings, slotStatuses } from '../helpers/ehr-truth.js';
import { startVolumeWorld, volumePlan } from './world.js';

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
