// Vendors whose write path is right one at a time and wrong at volume, each judged by what the EHR holds: a
// deduplication that races (search, then write, no lock), a queue that drops work when busy, and throttling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextsFor, evaluatePlan, newRunId } from '../helpers/run.js';
import { cleanupAll } from '../../src/ehr/cleanup.js';
import { gatherVolume } from '../../src/probes/volume/index.js';
import { volume } from '../../checks/volume.js';
import type { World } from '../helpers/world.js';
import { BOOKING_SYSTEM, searchEhr, slotStatuses } from '../helpers/ehr-truth.js';
import { activeTagged, SMALL_BURST, startVolumeWorld, volumePlan } from './world.js';

/** Active Appointments the EHR holds for a booking key, read apart from the product. */
async function heldFor(world: World, key: string): Promise<number> {
  const found = await searchEhr<{ status: string }>(world.sandbox.fhirBaseUrl, 'Appointment', { identifier: `${BOOKING_SYSTEM}|${key}` });
  return found.filter((a) => a.status !== 'cancelled').length;
}

describe('a vendor whose deduplication races, on an overbooking EHR', () => {
  let world: World;
  beforeAll(async () => {
    world = await startVolumeWorld({ behavior: 'deep', faults: ['racy-dedup'] }, { allowOverbooking: true });
  });
  afterAll(() => world?.close());

  it('fails: retries in flight both landed, found in the EHR by key; cleanup removes the duplicates too', async () => {
    const before = await slotStatuses(world.sandbox.fhirBaseUrl);
    const { ctx, ledger, close } = contextsFor(volumePlan(world), { runId: newRunId('volume-race') });
    try {
      const evidence = await gatherVolume(ctx, { ...SMALL_BURST, queueWaitMs: 3_000 });
      const [f] = volume.judge({ connections: [{ key: 'epic', probes: evidence }] });
      expect(f!.status, f!.message).toBe('fail');
      const keys = f!.evidence.duplicateKeys as string[];
      expect(keys.length).toBeGreaterThan(0);
      expect(f!.message).toContain(keys[0]);
      // The oracle, apart from the product: the EHR holds two active bookings for each key named.
      for (const key of keys) expect(await heldFor(world, key)).toBe(2);
      // Only a booking sent twice can have doubled.
      const bookings = f!.evidence.bookings as Array<{ key: string; requests: Array<{ kind: string }> }>;
      for (const key of keys) expect(bookings.find((b) => b.key === key)!.requests.some((r) => r.kind === 'retry')).toBe(true);

      const cleanup = await cleanupAll([ctx], ledger);
      expect(cleanup.summary.leftover).toEqual([]);
      for (const key of keys) expect(await heldFor(world, key)).toBe(0);
      expect(await activeTagged(world, ctx.runId)).toEqual([]);
      expect(await slotStatuses(world.sandbox.fhirBaseUrl)).toEqual(before);
    } finally {
      await close();
    }
  });

  it('fails through the runner too, and the report holds nothing of the run afterwards', async () => {
    const run = await evaluatePlan(volumePlan(world), { checks: ['volume'] });
    const f = run.finding('writes-at-volume', 'epic');
    expect(f.status, f.message).toBe('fail');
    expect(run.report.cleanup.leftover).toEqual([]);
    expect(await activeTagged(world, run.runId)).toEqual([]);
  });

  it('passes on a strict EHR: the EHR itself refuses the second booking of a slot', async () => {
    const strict = await startVolumeWorld({ behavior: 'deep', faults: ['racy-dedup'] });
    try {
      const run = await evaluatePlan(volumePlan(strict), { checks: ['volume'] });
      const f = run.finding('writes-at-volume', 'epic');
      expect(['pass', 'warn'], f.message).toContain(f.status);
      expect(f.evidence).toMatchObject({ duplicates: 0, lostKeys: [] });
    } finally {
      await strict.close();
    }
  });
});

describe('a vendor that drops bookings when busy', () => {
  let world: World;
  beforeAll(async () => {
    world = await startVolumeWorld({ behavior: 'deep', faults: ['drop-when-busy'], busyLimit: 2 });
  });
  afterAll(() => world?.close());

  it('fails, naming the keys it confirmed and never wrote', async () => {
    const run = await evaluatePlan(volumePlan(world, { retryShare: 0 }), { checks: ['volume'] });
    const f = run.finding('writes-at-volume', 'epic');
    expect(f.status, f.message).toBe('fail');
    const lost = f.evidence.lostKeys as string[];
    expect(lost.length).toBeGreaterThan(0);
    expect(f.message).toContain(lost[0]);
    // The EHR holds nothing for a lost key, though the vendor answered 201 for it.
    for (const key of lost) expect(await heldFor(world, key)).toBe(0);
    const answers = (f.evidence.bookings as Array<{ key: string; requests: Array<{ status: number }> }>).filter((b) => lost.includes(b.key)).map((b) => b.requests[0]!.status);
    expect(new Set(answers)).toEqual(new Set([201]));
    expect(f.evidence.landed).toBe(12 - lost.length);
  });

  it('passes at a concurrency it can take', async () => {
    const run = await evaluatePlan(volumePlan(world, { bookings: 6, concurrency: 2, retryShare: 0 }), { checks: ['volume'] });
    const f = run.finding('writes-at-volume', 'epic');
    expect(f.status, f.message).toBe('pass');
  });
});

describe('a vendor that throttles with Retry-After when busy', () => {
  let world: World;
  beforeAll(async () => {
    world = await startVolumeWorld({ behavior: 'deep', faults: ['throttle-when-busy'], busyLimit: 3 });
  });
  afterAll(() => world?.close());

  it('warns, not fails: ehr-check waited as asked, and nothing was lost or doubled', async () => {
    const run = await evaluatePlan(volumePlan(world, { retryShare: 0 }), { checks: ['volume'] });
    const f = run.finding('writes-at-volume', 'epic');
    expect(f.status, f.message).toBe('warn');
    expect(f.evidence.throttledAnswers).toBeGreaterThan(0);
    expect(f.evidence).toMatchObject({ duplicates: 0, lostKeys: [] });
    expect(f.message).toMatch(/throttled \d+ request/);
    // Resends went out after the vendor's Retry-After (1 s), never before.
    // (These tests' client does not retry itself: the probe's own resends are what is seen.)
    for (const b of f.evidence.bookings as Array<{ requests: Array<{ kind: string; sentMs: number; answeredMs: number | null; outcome: string }> }>) {
      b.requests.forEach((r, i) => {
        if (r.kind !== 'resend') return;
        const previous = b.requests[i - 1]!;
        expect(previous.outcome).toBe('throttled');
        expect(r.sentMs - previous.answeredMs!).toBeGreaterThanOrEqual(900);
      });
    }
  });

  it('warns with the product’s own client too, which waits out Retry-After before the probe sees an answer', async () => {
    const run = await evaluatePlan(volumePlan(world, { retryShare: 0 }), { checks: ['volume'], client: {} });
    const f = run.finding('writes-at-volume', 'epic');
    expect(f.status, f.message).toBe('warn');
    expect(f.evidence).toMatchObject({ accepted: 12, landed: 12, duplicates: 0, lostKeys: [] });
    expect(f.evidence.throttledAnswers).toBeGreaterThan(0);
  });
});
