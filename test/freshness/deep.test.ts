// End to end on loopback: a deep vendor (live reads, checked writes) in front of an EHR sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshness } from '../../checks/freshness.js';
import { gatherFreshness, type FreshnessEvidence, type LagData, type RaceData } from '../../src/probes/freshness.js';
import { statusesOf } from '../helpers/ehr-truth.js';
import { activeRunAppointments, startFreshnessWorld, type FreshnessWorld } from './world.js';

const settings = { trials: 4, timeoutSeconds: 3, realTimeSeconds: 1, nearRealTimeSeconds: 10, seed: 7 };

function ok<T>(outcome: FreshnessEvidence['ehrToVendor'] | FreshnessEvidence['race']): T {
  if (outcome.kind !== 'ok') throw new Error(`probe did not run: ${JSON.stringify(outcome)}`);
  return outcome.data as T;
}

describe('deep vendor, no lag', () => {
  let world: FreshnessWorld;
  let evidence: FreshnessEvidence;
  beforeAll(async () => {
    world = await startFreshnessWorld({ behavior: 'deep' });
    evidence = await gatherFreshness(world.ctx, settings, world.capability);
  }, 60_000);
  afterAll(() => world?.close());

  it('measures EHR → vendor changes in both directions as real-time', () => {
    const data = ok<LagData>(evidence.ehrToVendor);
    expect(data.lag.trials).toBe(4);
    expect(data.lag.censored).toBe(0);
    expect(data.lag.p50Ms!).toBeLessThan(400);
    expect(data.lag.class).toBe('real-time');
    expect(data.lag.samples.map((s) => s.change)).toEqual(['block-slot', 'free-slot', 'block-slot', 'free-slot']);
    expect(data.methods).toEqual(['slot-update']);
  });

  it('measures vendor → EHR bookings as real-time (written while the caller waits)', () => {
    const data = ok<LagData>(evidence.vendorToEhr);
    expect(data.vendorStatuses).toEqual([201, 201, 201, 201]);
    expect(data.lag.class).toBe('real-time');
    expect(data.lag.samples.every((s) => s.lowMs === 0)).toBe(true);
  });

  it('never double-books in the race: the EHR refuses the loser', () => {
    const race = ok<RaceData>(evidence.race);
    expect(race.attempts.map((a) => a.order)).toEqual(['simultaneous', 'vendor-first', 'ehr-first']);
    for (const a of race.attempts) {
      expect(a.ehrAppointmentIds).toHaveLength(1);
      expect(a.doubleBooked).toBe(false);
      expect(a.confirmedNotHeld).toBe(false);
    }
  });

  it('judges all three findings as passing, with the change-notification context', () => {
    const findings = freshness.judge({ connections: [{ key: 'generic', system: 'generic', probes: evidence, claim: { freshness: 'real-time', mechanism: 'polling' } }] }, settings);
    expect(findings.map((f) => [f.id, f.status])).toEqual([
      ['ehr-to-vendor-lag', 'pass'],
      ['vendor-to-ehr-lag', 'pass'],
      ['double-booking-race', 'pass'],
    ]);
    expect(findings[0]!.message).toMatch(/: real-time \(as claimed\)$/);
    expect(findings[0]!.evidence.changeNotification).toMatchObject({ subscriptionResource: true });
  });

  it('puts back every slot it touched and leaves no booking behind', async () => {
    const touched = [...ok<LagData>(evidence.ehrToVendor).slots, ...ok<LagData>(evidence.vendorToEhr).slots, ...ok<RaceData>(evidence.race).attempts.map((a) => a.slot)];
    expect(new Set(touched).size).toBe(touched.length);
    expect(await statusesOf(world.sandbox.fhirBaseUrl, touched)).toEqual(touched.map(() => 'free'));
    expect(await activeRunAppointments(world)).toBe(0);
  });

  it('records every write in the ledger before sending it, and reports progress', () => {
    const entries = world.ledger.entries();
    expect(entries.some((e) => e.action === 'block-slot')).toBe(true);
    expect(entries.some((e) => e.action === 'book' && e.target === 'vendor')).toBe(true);
    expect(entries.every((e) => e.result !== undefined)).toBe(true);
    expect(world.progress.some((m) => /EHR → vendor: trial 4\/4/.test(m))).toBe(true);
  });
});

describe('deep vendor with a known 1.5 s lag', () => {
  let world: FreshnessWorld;
  beforeAll(async () => {
    world = await startFreshnessWorld({ behavior: 'deep', lagMs: 1500 });
  }, 30_000);
  afterAll(() => world?.close());

  it('recovers the lag (loose bounds here; the bench holds the precise target)', async () => {
    const evidence = await gatherFreshness(world.ctx, { ...settings, trials: 3, timeoutSeconds: 5 }, world.capability);
    const data = ok<LagData>(evidence.ehrToVendor);
    expect(data.lag.censored).toBe(0);
    expect(data.lag.p50Ms!).toBeGreaterThan(1300);
    expect(data.lag.p50Ms!).toBeLessThan(2000);
    expect(data.lag.class).toBe('near-real-time');
    for (const s of data.lag.samples) expect(s.highMs - s.lowMs).toBeLessThan(600);
    const [finding] = freshness.judge({ connections: [{ key: 'generic', system: 'generic', probes: evidence, claim: { freshness: 'real-time' } }] }, { ...settings, timeoutSeconds: 5 });
    expect(finding!.status).toBe('fail');
    expect(finding!.message).toMatch(/^claims real-time, measured near-real-time \(p50 1\.\d s/);
  }, 60_000);
});
