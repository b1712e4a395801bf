// The lag maths of a person's change: the span between asking and confirming widens the change's moment, the
// EHR's own API narrows it again, and the lag interval of src/freshness/lag.ts follows.
import { describe, expect, it } from 'vitest';
import { lagSample, summariseLag, type Observation } from '../../src/freshness/lag.js';
import { personChangeTiming } from '../../src/operator/timing.js';

const look = (sentAt: number, answeredAt: number, shows: Observation['shows']): Observation => ({ sentAt, answeredAt, shows });
const thresholds = { realTimeSeconds: 5, nearRealTimeSeconds: 60, timeoutSeconds: 120 };

describe('personChangeTiming', () => {
  it('without a look at the EHR, the change happened anywhere between asking and confirming', () => {
    expect(personChangeTiming(1_000, 31_000)).toEqual({ sentAt: 1_000, answeredAt: 31_000, askedSpanMs: 30_000, narrowedByEhr: false });
  });

  it('the EHR showing the old state, then the new, narrows it to between those looks', () => {
    const ehr = [look(2_000, 2_010, 'old'), look(10_000, 10_020, 'old'), look(12_000, 12_050, 'new'), look(13_000, 13_010, 'new')];
    expect(personChangeTiming(1_000, 31_000, ehr)).toEqual({ sentAt: 10_000, answeredAt: 12_050, askedSpanMs: 30_000, narrowedByEhr: true });
  });

  it('never beyond the person’s own span: a look before asking or after confirming does not widen it', () => {
    const ehr = [look(500, 600, 'old'), look(40_000, 40_100, 'new')];
    expect(personChangeTiming(1_000, 31_000, ehr)).toMatchObject({ sentAt: 1_000, answeredAt: 31_000, narrowedByEhr: false });
  });

  it('unreadable looks count for nothing', () => {
    const ehr = [look(5_000, 5_010, 'unreadable'), look(20_000, 20_010, 'unreadable')];
    expect(personChangeTiming(1_000, 31_000, ehr)).toMatchObject({ sentAt: 1_000, answeredAt: 31_000, narrowedByEhr: false });
  });

  it('looks that contradict the span (new before asked) are ignored, not trusted', () => {
    const ehr = [look(100, 200, 'new')];
    expect(personChangeTiming(1_000, 31_000, ehr)).toMatchObject({ sentAt: 1_000, answeredAt: 31_000, narrowedByEhr: false });
  });

  it('asked and confirmed given the wrong way round are put in order', () => {
    expect(personChangeTiming(31_000, 1_000)).toMatchObject({ sentAt: 1_000, answeredAt: 31_000, askedSpanMs: 30_000 });
  });
});

describe('the lag interval of a person’s change', () => {
  // The vendor is looked at from the moment the person is asked; it shows the change at 33.1 s.
  const vendor = [look(1_000, 1_020, 'old'), look(20_000, 20_020, 'old'), look(32_000, 32_040, 'old'), look(33_000, 33_100, 'new')];

  it('is widened by the span between asking and confirming: the error bound covers it', () => {
    const sample = lagSample(personChangeTiming(1_000, 31_000), vendor, 'ehr-to-vendor');
    // Low: the last old look after the latest possible change; high: the first new look after the earliest.
    expect(sample).toMatchObject({ lowMs: 1_000, highMs: 32_100, censored: false });
    const bound = summariseLag([sample], thresholds).errorBoundMs!;
    expect(bound).toBeGreaterThanOrEqual(30_000 / 2 - 1_000);
    // The same change made by API in a 20 ms request would be known to within a second.
    const byApi = summariseLag([lagSample({ sentAt: 30_980, answeredAt: 31_000 }, vendor, 'ehr-to-vendor')], thresholds).errorBoundMs!;
    expect(byApi).toBeLessThan(1_100);
    expect(bound).toBeGreaterThan(byApi);
  });

  it('is narrowed again by the EHR’s API showing when the change landed', () => {
    const ehr = [look(29_000, 29_010, 'old'), look(29_500, 29_520, 'new')];
    const narrowed = lagSample(personChangeTiming(1_000, 31_000, ehr), vendor, 'ehr-to-vendor');
    expect(narrowed).toMatchObject({ lowMs: 2_480, highMs: 4_100, censored: false });
    expect(narrowed.lagMs).toBe(3_290);
  });

  it('a vendor never seen is censored whatever the span', () => {
    const sample = lagSample(personChangeTiming(1_000, 31_000), vendor.slice(0, 3), 'ehr-to-vendor');
    expect(sample).toMatchObject({ lagMs: null, censored: true, lowMs: 1_000 });
  });
});
