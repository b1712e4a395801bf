import { describe, expect, it } from 'vitest';
import { mulberry32, nextPollDelay, offsetWindowMs, pollPlanFor, pollTimes, seedFrom, startOffsets } from '../../src/freshness/schedule.js';

describe('adaptive polling schedule', () => {
  it('starts fast, grows, respects the cap, and ends exactly at the deadline', () => {
    for (const timeoutMs of [500, 2000, 10_000, 120_000]) {
      const plan = pollPlanFor(timeoutMs);
      const times = pollTimes(timeoutMs, plan);
      expect(times[0]).toBe(0);
      expect(times[1]).toBe(plan.minIntervalMs);
      expect(times[times.length - 1]).toBe(timeoutMs);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      for (const gap of gaps) {
        expect(gap).toBeGreaterThan(0);
        expect(gap).toBeLessThanOrEqual(plan.maxIntervalMs);
      }
      // never decreasing, except the last gap cut short by the deadline
      for (let i = 1; i < gaps.length - 1; i++) expect(gaps[i]!).toBeGreaterThanOrEqual(gaps[i - 1]!);
      expect(times.every((t) => t <= timeoutMs)).toBe(true);
    }
  });

  it('keeps each gap within 5% of the elapsed time once past the floor, so the error bound stays relative', () => {
    const plan = pollPlanFor(120_000);
    const times = pollTimes(120_000, plan);
    for (let i = 1; i < times.length - 1; i++) {
      const gap = times[i + 1]! - times[i]!;
      expect(gap).toBeLessThanOrEqual(Math.max(plan.minIntervalMs, Math.ceil(times[i]! * plan.stepFraction) + 1));
    }
    // a 4 s lag is pinned within ±100 ms (the bench's target is max(100 ms, 5%))
    const around4s = times.findIndex((t) => t >= 4000);
    expect(times[around4s]! - times[around4s - 1]!).toBeLessThanOrEqual(200);
    // and a long timeout that is never met costs a bounded number of polls
    expect(times.length).toBeLessThan(200);
  });

  it('caps the gap at timeout/20 between 100 ms and 2 s', () => {
    expect(pollPlanFor(1000).maxIntervalMs).toBe(100);
    expect(pollPlanFor(10_000).maxIntervalMs).toBe(500);
    expect(pollPlanFor(600_000).maxIntervalMs).toBe(2000);
  });

  it('grows by at most ×1.5 per step', () => {
    const plan = pollPlanFor(120_000);
    expect(nextPollDelay(100_000, 100, plan)).toBe(150);
    expect(nextPollDelay(0, 25, plan)).toBe(25);
  });
});

describe('randomised start offsets', () => {
  it('are deterministic by seed and differ across seeds', () => {
    expect(startOffsets(42, 5, 2000)).toEqual(startOffsets(42, 5, 2000));
    expect(startOffsets(42, 5, 2000)).not.toEqual(startOffsets(43, 5, 2000));
  });

  it('stay inside [0, window) and spread over it', () => {
    const offsets = startOffsets(seedFrom('run-1/epic'), 1000, 2000);
    expect(offsets.every((o) => Number.isInteger(o) && o >= 0 && o < 2000)).toBe(true);
    const low = offsets.filter((o) => o < 1000).length;
    expect(low).toBeGreaterThan(400);
    expect(low).toBeLessThan(600);
  });

  it('window is a tenth of the timeout, at most 2 s', () => {
    expect(offsetWindowMs(2000)).toBe(200);
    expect(offsetWindowMs(120_000)).toBe(2000);
  });

  it('PRNG and seed hash are stable values (reruns reproduce a run)', () => {
    expect(seedFrom('abc')).toBe(seedFrom('abc'));
    expect(seedFrom('abc')).not.toBe(seedFrom('abd'));
    const r = mulberry32(1);
    const values = [r(), r(), r()];
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(3);
  });
});
