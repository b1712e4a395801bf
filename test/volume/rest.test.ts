// The volume check through the `http` kind: the reference REST vendor accepts a booking (201) and writes it to the
// EHR a moment later. Honest, every booking lands once after its delay; without deduplication (a keyless API's
// retry is a second booking), an overbooking EHR holds both, found on their slots and by the key they carry.
import { afterAll, describe, expect, it } from 'vitest';
import { evaluatePlan, testPlan } from '../helpers/run.js';
import { restConnection, startRestWorld, type RestWorld } from '../vendor-http/world.js';
import { SMALL_BURST } from './world.js';
import { RUN_TAG, searchEhr } from '../helpers/ehr-truth.js';

const worlds: RestWorld[] = [];
afterAll(async () => {
  await Promise.allSettled(worlds.map((w) => w.close()));
});

async function burstOn(world: RestWorld) {
  const loaded = testPlan([restConnection(world)], { freshness: { trials: 1, timeoutSeconds: 8, realTimeSeconds: 4, nearRealTimeSeconds: 8 } });
  loaded.plan.checks.volume = SMALL_BURST;
  return evaluatePlan(loaded, { checks: ['volume'] });
}

describe('the volume check with a REST vendor (vendor.kind http)', () => {
  it('passes for the honest one: each accepted booking reached the EHR once, its delay measured as lag', async () => {
    const world = await startRestWorld();
    worlds.push(world);
    const run = await burstOn(world);
    const f = run.finding('writes-at-volume', 'athenahealth');
    expect(f.status, f.message).toBe('pass');
    expect(f.evidence).toMatchObject({ attempted: 12, landed: 12, duplicates: 0, lostKeys: [], vendorKind: 'http' });
    // The vendor writes 300 ms after it answers: the lag under load cannot be less.
    expect(f.evidence.lagP50Ms as number).toBeGreaterThanOrEqual(250);
    expect(run.report.cleanup.leftover).toEqual([]);
  });

  it('fails for one that does not deduplicate, on an overbooking EHR', async () => {
    const world = await startRestWorld({ faults: ['no-dedupe'] }, { allowOverbooking: true });
    worlds.push(world);
    const run = await burstOn(world);
    const f = run.finding('writes-at-volume', 'athenahealth');
    expect(f.status, f.message).toBe('fail');
    expect(f.evidence.duplicates as number).toBeGreaterThan(0);
    const tagged = await searchEhr<{ status: string }>(world.sandbox.fhirBaseUrl, 'Appointment', { _tag: `${RUN_TAG}|${run.runId}` });
    expect(tagged.filter((a) => a.status !== 'cancelled')).toEqual([]);
  });
});
