// End to end on loopback: vendors that fall behind, queue, or double-book. Verdicts come from the EHR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshness } from '../../checks/freshness.js';
import { monotonicNow } from '../../src/timing.js';
import { gatherFreshness, type FreshnessEvidence, type LagData, type RaceData } from '../../src/probes/freshness.js';
import { statusesOf } from '../helpers/ehr-truth.js';
import { activeRunAppointments, startFreshnessWorld, type FreshnessWorld } from './world.js';

const base = { trials: 3, timeoutSeconds: 2, realTimeSeconds: 1, nearRealTimeSeconds: 10, seed: 11 };

function data<T>(outcome: FreshnessEvidence['ehrToVendor'] | FreshnessEvidence['race']): T {
  if (outcome.kind !== 'ok') throw new Error(`probe did not run: ${JSON.stringify(outcome).slice(0, 400)}`);
  return outcome.data as T;
}
const judge = (evidence: FreshnessEvidence, settings = base) => freshness.judge({ connections: [{ key: 'generic', system: 'generic', probes: evidence }] }, settings);

describe('a frozen vendor (availability never refreshes)', () => {
  let world: FreshnessWorld;
  beforeAll(async () => {
    world = await startFreshnessWorld({ behavior: 'deep', faults: ['frozen'] });
  }, 30_000);
  afterAll(() => world?.close());

  it('censors every EHR → vendor trial, calls it stale, and stops on time', async () => {
    const started = monotonicNow();
    const evidence = await gatherFreshness(world.ctx, { ...base, raceAttempts: 1 }, world.capability);
    const e2v = data<LagData>(evidence.ehrToVendor);
    const e2vSeconds = e2v.lag.samples.length * (base.timeoutSeconds + 0.2);
    expect(e2v.lag).toMatchObject({ trials: 3, censored: 3, class: 'stale', p50Ms: null, maxMs: null });
    expect(e2v.lag.samples.map((s) => s.change)).toEqual(['block-slot', 'block-slot', 'block-slot']);
    for (const s of e2v.lag.samples) expect(s.lowMs).toBeGreaterThanOrEqual(base.timeoutSeconds * 1000 - 100);
    // trials × (timeout + offset window) and the other two probes, with slack for a busy machine
    expect((monotonicNow() - started) / 1000).toBeLessThan(e2vSeconds + 15);
    const [lag] = judge(evidence);
    expect(lag).toMatchObject({ status: 'fail', evidence: { class: 'stale', censored: 3 } });
    expect(lag!.message).toMatch(/never seen within 2 s in 3 of 3 trials: stale/);
    // every slot it blocked was freed again, even though the vendor never noticed
    expect(await statusesOf(world.sandbox.fhirBaseUrl, e2v.slots)).toEqual(e2v.slots.map(() => 'free'));
  }, 60_000);
});

describe('a shallow vendor (synced copy, bookings queued for later entry)', () => {
  let world: FreshnessWorld;
  beforeAll(async () => {
    world = await startFreshnessWorld({ behavior: 'shallow', syncIntervalMs: 300, bookingQueueMs: 800 });
  }, 30_000);
  afterAll(() => world?.close());

  it('measures its vendor → EHR lag as the queue delay, and its EHR → vendor lag within the sync interval', async () => {
    const evidence = await gatherFreshness(world.ctx, { ...base, timeoutSeconds: 4, raceAttempts: 0 }, world.capability);
    const v2e = data<LagData>(evidence.vendorToEhr);
    expect(v2e.vendorStatuses).toEqual([202, 202, 202]);
    expect(v2e.lag.censored).toBe(0);
    expect(v2e.lag.p50Ms!).toBeGreaterThan(700);
    expect(v2e.lag.p50Ms!).toBeLessThan(1400);
    expect(v2e.lag.samples.every((s) => s.change === 'book-queued')).toBe(true);
    const e2v = data<LagData>(evidence.ehrToVendor);
    expect(e2v.lag.censored).toBe(0);
    expect(e2v.lag.maxMs!).toBeLessThan(1500); // sync every 300 ms, plus a busy machine
    // 0.5 s counts as real-time here, so an 800 ms queue is near-real-time
    const findings = judge(evidence, { ...base, timeoutSeconds: 4, realTimeSeconds: 0.5 });
    expect(findings.find((f) => f.id === 'vendor-to-ehr-lag')).toMatchObject({ status: 'warn', evidence: { class: 'near-real-time' } });
    expect(await activeRunAppointments(world)).toBe(0);
  }, 60_000);
});

describe('the double-booking race, decided by what the EHR holds', () => {
  const raceOnly = { ...base, trials: 0, raceAttempts: 3 };

  it('fails a batch vendor on an EHR that accepts overbooking: the EHR ends up with two bookings', async () => {
    const world = await startFreshnessWorld({ behavior: 'batch', syncIntervalMs: 300 }, { allowOverbooking: true });
    try {
      const evidence = await gatherFreshness(world.ctx, raceOnly, world.capability);
      const race = data<RaceData>(evidence.race);
      expect(race.attempts).toHaveLength(3);
      expect(race.attempts.some((a) => a.doubleBooked && a.ehrAppointmentIds.length === 2)).toBe(true);
      const finding = judge(evidence).find((f) => f.id === 'double-booking-race')!;
      expect(finding.status).toBe('fail');
      expect(finding.message).toMatch(/double-booked: the EHR holds 2 bookings on slot/);
      expect(await statusesOf(world.sandbox.fhirBaseUrl, race.attempts.map((a) => a.slot))).toEqual(['free', 'free', 'free']);
      expect(await activeRunAppointments(world)).toBe(0);
    } finally {
      await world.close();
    }
  }, 60_000);

  it('passes the deep vendor on an EHR that accepts overbooking: it never leaves a second booking of its own', async () => {
    const world = await startFreshnessWorld({ behavior: 'deep' }, { allowOverbooking: true });
    try {
      const evidence = await gatherFreshness(world.ctx, { ...raceOnly, raceAttempts: 6 }, world.capability);
      const race = data<RaceData>(evidence.race);
      expect(race.attempts).toHaveLength(6);
      // Any second booking on a slot is the EHR side booking after the vendor's was already in.
      for (const a of race.attempts) if (a.doubleBooked) expect(a.vendorBookedFirst).toBe(true);
      expect(judge(evidence).find((f) => f.id === 'double-booking-race')!.status).toBe('pass');
      expect(await activeRunAppointments(world)).toBe(0);
    } finally {
      await world.close();
    }
  }, 60_000);

  it('fails a batch vendor that reports the EHR’s refusal as booked, on an EHR without overbooking', async () => {
    const world = await startFreshnessWorld({ behavior: 'batch', syncIntervalMs: 300, faults: ['ignore-conflicts'] });
    try {
      const evidence = await gatherFreshness(world.ctx, raceOnly, world.capability);
      const race = data<RaceData>(evidence.race);
      expect(race.attempts.every((a) => a.ehrAppointmentIds.length <= 1)).toBe(true);
      expect(race.attempts.some((a) => a.confirmedNotHeld)).toBe(true);
      const finding = judge(evidence).find((f) => f.id === 'double-booking-race')!;
      expect(finding.status).toBe('fail');
      expect(finding.message).toMatch(/the vendor confirmed \(HTTP 20[01]\) \d booking\(s\) the EHR does not hold/);
    } finally {
      await world.close();
    }
  }, 60_000);

  it('fails a plain batch vendor on an EHR without overbooking: the EHR holds one booking, the vendor confirmed the other', async () => {
    const world = await startFreshnessWorld({ behavior: 'batch', syncIntervalMs: 300 });
    try {
      const evidence = await gatherFreshness(world.ctx, raceOnly, world.capability);
      const race = data<RaceData>(evidence.race);
      for (const a of race.attempts) expect(a.ehrAppointmentIds).toHaveLength(1);
      expect(race.attempts.some((a) => a.confirmedNotHeld && a.ehrBlockHeld)).toBe(true);
      expect(judge(evidence).find((f) => f.id === 'double-booking-race')!.status).toBe('fail');
      expect(await activeRunAppointments(world)).toBe(0);
    } finally {
      await world.close();
    }
  }, 60_000);
});

describe('without writes', () => {
  it('skips every freshness probe with the reason, and writes nothing', async () => {
    const world = await startFreshnessWorld({ behavior: 'deep' });
    try {
      world.ctx.writesAllowed = false;
      world.ctx.writesBlockedReason = 'writes are off: run with --allow-writes';
      const evidence = await gatherFreshness(world.ctx, base, world.capability);
      expect(judge(evidence).map((f) => [f.status, f.message])).toEqual([
        ['skip', 'writes are off: run with --allow-writes'],
        ['skip', 'writes are off: run with --allow-writes'],
        ['skip', 'writes are off: run with --allow-writes'],
      ]);
      expect(world.ledger.entries()).toHaveLength(0);
    } finally {
      await world.close();
    }
  }, 30_000);
});

describe('interrupted', () => {
  it('stops waiting at once, keeps the trials finished, and still puts the slot back', async () => {
    const world = await startFreshnessWorld({ behavior: 'deep', faults: ['frozen'] });
    try {
      const controller = new AbortController();
      world.ctx.signal = controller.signal;
      setTimeout(() => controller.abort(), 1500);
      const started = monotonicNow();
      const evidence = await gatherFreshness(world.ctx, { ...base, timeoutSeconds: 30 }, world.capability);
      expect(monotonicNow() - started).toBeLessThan(10_000);
      const e2v = data<LagData>(evidence.ehrToVendor);
      expect(e2v.interrupted).toBe(true);
      expect(e2v.lag.trials).toBe(0);
      expect(await statusesOf(world.sandbox.fhirBaseUrl, e2v.slots)).toEqual(e2v.slots.map(() => 'free'));
      const findings = judge(evidence, { ...base, timeoutSeconds: 30 });
      // The vendor → EHR trials ran alongside: those finished before the interruption are kept, and say so.
      const v2e = data<LagData>(evidence.vendorToEhr);
      expect(v2e.interrupted).toBe(true);
      expect(v2e.lag.trials).toBeLessThan(base.trials);
      const v2eFinding = v2e.lag.trials === 0 ? { status: 'error' } : { status: 'pass', message: expect.stringMatching(/interrupted after \d trial/) };
      expect(findings.map((f) => f.status)).toEqual(['error', v2eFinding.status, 'error']);
      expect(findings[1]).toMatchObject(v2eFinding);
      expect(findings[0]!.message).toMatch(/interrupted/);
      expect(findings[2]!.message).toMatch(/interrupted/);
    } finally {
      await world.close();
    }
  }, 30_000);
});
