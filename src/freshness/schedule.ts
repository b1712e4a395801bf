// When to poll, and when to start each trial. Pure.
//
// Adaptive polling: a lag's error bound is half the gap between the last poll that saw the old state and the
// first that saw the new one, so the gap must stay small relative to the lag being measured. Polls start
// fast (25 ms), and each gap is at most `stepFraction` (5%) of the time elapsed since the change, grows by at
// most ×1.5 from the previous gap, and never exceeds a modest cap (timeout/20, between 100 ms and 2 s).
// The relative error bound is then about 2.5% of the lag plus the request time, and the number of polls grows
// only with the logarithm of the lag (about 150 polls for a 120 s timeout that is never met).
// Randomised start offsets: a vendor that syncs on a fixed timer would look fast or slow depending on where
// the change falls in its cycle; a seeded uniform offset before each change samples that phase fairly and
// keeps the run reproducible.
// Concurrent trials: all trials of a direction run at once, each on its own slot. Trial k makes its change at
// k × W + its own offset, W being the offset window: the changes are stratified over N windows, one per
// window, so they sample N × W of a sync timer's cycle evenly (one after another, each trial began within one
// window after the previous trial's change was seen, i.e. just after a sync: N samples of the same phase), and
// the EHR and the vendor never get every change at once.
import { mulberry32 } from '../seeded-random.js';
export { mulberry32, seedFrom } from '../seeded-random.js';

export interface PollPlan {
  minIntervalMs: number;
  maxIntervalMs: number;
  stepFraction: number;
  growth: number;
}

export function pollPlanFor(timeoutMs: number): PollPlan {
  return { minIntervalMs: 25, maxIntervalMs: clamp(timeoutMs / 20, 100, 2000), stepFraction: 0.05, growth: 1.5 };
}

/** The gap before the next poll, given the time since the change and the previous gap. */
export function nextPollDelay(elapsedMs: number, previousDelayMs: number, plan: PollPlan): number {
  const proportional = Math.min(Math.max(0, elapsedMs) * plan.stepFraction, previousDelayMs * plan.growth);
  return Math.round(clamp(proportional, plan.minIntervalMs, plan.maxIntervalMs));
}

/**
 * The moments (ms after the change) at which polls would start if each answered instantly: the first at 0, the
 * last exactly at the deadline. The live poller follows the same rule from real clock readings.
 */
export function pollTimes(timeoutMs: number, plan: PollPlan = pollPlanFor(timeoutMs)): number[] {
  const times = [0];
  let delay = plan.minIntervalMs;
  let at = 0;
  while (at < timeoutMs) {
    delay = nextPollDelay(at, delay, plan);
    at = Math.min(at + delay, timeoutMs);
    times.push(at);
  }
  return times;
}

/** The window start offsets are drawn from: up to 2 s, and no more than a tenth of the timeout. */
export function offsetWindowMs(timeoutMs: number): number {
  return Math.round(clamp(timeoutMs / 10, 0, 2000));
}

/** How far apart the trials of a direction are launched: one offset window (stratified start offsets). */
export function trialSpacingMs(timeoutMs: number): number {
  return offsetWindowMs(timeoutMs);
}

/** `count` start offsets, uniform over [0, windowMs), the same for the same seed. */
export function startOffsets(seed: number, count: number, windowMs: number): number[] {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => Math.floor(next() * windowMs));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
