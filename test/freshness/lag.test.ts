import { describe, expect, it } from 'vitest';
import { classify, formatLag, lagSample, percentile, summariseLag, type Observation } from '../../src/freshness/lag.js';
import type { LagSample } from '../../src/model/report.js';

const change = { sentAt: 1000, answeredAt: 1010 };
const obs = (sentAt: number, answeredAt: number, shows: Observation['shows']): Observation => ({ sentAt, answeredAt, shows });
const measured = (lagMs: number): LagSample => ({ lagMs, lowMs: lagMs, highMs: lagMs, censored: false, direction: 'ehr-to-vendor' });
const censored = (): LagSample => ({ lagMs: null, lowMs: 2000, highMs: 2000, censored: true, direction: 'ehr-to-vendor' });
const thresholds = { realTimeSeconds: 5, nearRealTimeSeconds: 60, timeoutSeconds: 120 };

describe('lagSample: the conservative interval', () => {
  it('bounds the lag by the last old poll’s start and the first new poll’s end', () => {
    const s = lagSample(change, [obs(1010, 1015, 'old'), obs(1040, 1046, 'old'), obs(1100, 1108, 'new')], 'ehr-to-vendor', 'block-slot');
    // low: 1040 − 1010 (change answered); high: 1108 − 1000 (change sent)
    expect(s).toEqual({ lagMs: 69, lowMs: 30, highMs: 108, censored: false, direction: 'ehr-to-vendor', change: 'block-slot' });
  });

  it('starts at zero when the very first poll already shows the change', () => {
    const s = lagSample(change, [obs(1012, 1020, 'new')], 'vendor-to-ehr');
    expect(s.lowMs).toBe(0);
    expect(s.highMs).toBe(20);
    expect(s.lagMs).toBe(10);
  });

  it('ignores unreadable polls: they prove nothing either way, so the interval widens', () => {
    const s = lagSample(change, [obs(1010, 1015, 'old'), obs(1050, 1060, 'unreadable'), obs(1200, 1205, 'new')], 'ehr-to-vendor');
    expect(s.lowMs).toBe(0);
    expect(s.highMs).toBe(205);
  });

  it('uses only old polls before the first new one (a flapping view does not move the lag later)', () => {
    const s = lagSample(change, [obs(1100, 1105, 'new'), obs(1010, 1012, 'old'), obs(1200, 1201, 'old')], 'ehr-to-vendor');
    expect(s.lowMs).toBe(0);
    expect(s.highMs).toBe(105);
  });

  it('censors a trial never seen: lagMs null, the last old observation as a lower bound', () => {
    const s = lagSample(change, [obs(1010, 1011, 'old'), obs(3010, 3012, 'old')], 'ehr-to-vendor');
    expect(s).toMatchObject({ lagMs: null, censored: true, lowMs: 2000, highMs: 2000 });
  });
});

describe('percentile (nearest rank, censored ranked last)', () => {
  const five = [400, 100, 300, 200, 500].map(measured);
  it.each([
    [50, 300],
    [95, 500],
    [100, 500],
    [20, 100],
    [21, 200],
    [0, 100],
  ])('p%s of 100..500 is %s', (p, want) => expect(percentile(five, p)).toBe(want));

  it('is null when the rank falls on a censored trial', () => {
    const mix = [measured(100), measured(200), censored(), censored(), measured(300)];
    expect(percentile(mix, 50)).toBe(300);
    expect(percentile(mix, 95)).toBeNull();
    expect(percentile([measured(1), censored(), censored()], 50)).toBeNull();
  });

  it('is null with no trials', () => expect(percentile([], 50)).toBeNull());
});

describe('classify', () => {
  it.each([
    ['at the real-time boundary', 5000, 0, 'real-time'],
    ['just past it', 5001, 0, 'near-real-time'],
    ['at the near-real-time boundary', 60_000, 0, 'near-real-time'],
    ['past it', 60_001, 0, 'delayed'],
    ['fast median, one trial never seen', 50, 1, 'delayed'],
    ['median never seen', null, 3, 'stale'],
  ] as const)('%s', (_name, p50, cens, want) => expect(classify(p50, cens, 5, thresholds)).toBe(want));

  it('has no class better than stale without trials', () => expect(classify(null, 0, 0, thresholds)).toBe('stale'));
});

describe('summariseLag', () => {
  it('keeps every sample, counts censored, flags percentiles beyond the timeout and the error bound', () => {
    const samples: LagSample[] = [
      { lagMs: 110, lowMs: 100, highMs: 120, censored: false, direction: 'ehr-to-vendor' },
      { lagMs: 150, lowMs: 130, highMs: 170, censored: false, direction: 'ehr-to-vendor' },
      censored(),
    ];
    const e = summariseLag(samples, { realTimeSeconds: 1, nearRealTimeSeconds: 10, timeoutSeconds: 2 });
    expect(e).toMatchObject({ p50Ms: 150, p95Ms: null, maxMs: null, trials: 3, censored: 1, class: 'delayed', timeoutSeconds: 2 });
    expect(e.beyondTimeout).toEqual(['p95', 'max']);
    expect(e.errorBoundMs).toBe(20);
    expect(e.samples).toHaveLength(3);
  });

  it('is stale when most trials are censored', () => {
    const e = summariseLag([censored(), censored(), measured(10)], thresholds);
    expect(e.class).toBe('stale');
    expect(e.beyondTimeout).toEqual(['p50', 'p95', 'max']);
    expect(e.errorBoundMs).toBe(0);
  });
});

it('formats lags for messages', () => {
  expect(formatLag(120)).toBe('120 ms');
  expect(formatLag(3800)).toBe('3.8 s');
  expect(formatLag(42_000)).toBe('42 s');
  expect(formatLag(null, 120)).toBe('more than 120 s');
});
