// Lag maths: from the timeline of one trial to a lag interval, and from the trials to a verdict class. Pure.
//
// How an interval is bounded, conservatively. The change commits at some moment c inside its own request,
// c ∈ [change.sentAt, change.answeredAt]. A poll answers at some moment a inside its request,
// a ∈ [poll.sentAt, poll.answeredAt]. With L the lag (the change is visible from c + L on):
//   a poll showing the OLD state means c + L > a, so L > a − c ≥ poll.sentAt − change.answeredAt;
//   a poll showing the NEW state means c + L ≤ a, so L ≤ a − c ≤ poll.answeredAt − change.sentAt.
// The true lag therefore lies in [lastOld.sentAt − change.answeredAt, firstNew.answeredAt − change.sentAt]
// whatever the network did; the midpoint is the estimate and the half-width its error bound.
import type { LagEvidence, LagSample } from '../model/report.js';

export type LagClass = LagEvidence['class'];
export type Direction = LagSample['direction'];

/** When the change's request was sent and when its answer came back (ms on one monotonic clock). */
export interface ChangeTiming {
  sentAt: number;
  answeredAt: number;
}

/** One poll: request start, response end, and which state it showed (`unreadable`: no usable answer). */
export interface Observation {
  sentAt: number;
  answeredAt: number;
  shows: 'old' | 'new' | 'unreadable';
}

export interface LagThresholds {
  realTimeSeconds: number;
  nearRealTimeSeconds: number;
  timeoutSeconds: number;
}

/**
 * The lag of one trial. Not seen at all → censored: `lagMs` null, and `lowMs` = `highMs` = the longest time the
 * old state was still observed (a lower bound; there is no upper bound to report).
 */
export function lagSample(change: ChangeTiming, observations: Observation[], direction: Direction, label?: string): LagSample {
  const timeline = [...observations].sort((a, b) => a.sentAt - b.sentAt);
  const firstNew = timeline.find((o) => o.shows === 'new');
  const olds = timeline.filter((o) => o.shows === 'old' && (!firstNew || o.sentAt < firstNew.sentAt));
  const lastOld = olds[olds.length - 1];
  const lowMs = lastOld ? Math.max(0, Math.round(lastOld.sentAt - change.answeredAt)) : 0;
  const base = label === undefined ? { direction } : { direction, change: label };
  if (!firstNew) return { lagMs: null, lowMs, highMs: lowMs, censored: true, ...base };
  const highMs = Math.max(lowMs, Math.round(firstNew.answeredAt - change.sentAt));
  return { lagMs: Math.round((lowMs + highMs) / 2), lowMs, highMs, censored: false, ...base };
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of trials at or below it), with censored
 * trials ranked above every measured one. Null when the rank falls on a censored trial: "more than the timeout".
 */
export function percentile(samples: readonly LagSample[], p: number): number | null {
  if (samples.length === 0) return null;
  const ranked = samples.map((s) => (s.censored || s.lagMs === null ? Infinity : s.lagMs)).sort((a, b) => a - b);
  const rank = Math.min(ranked.length, Math.max(1, Math.ceil((p / 100) * ranked.length)));
  const value = ranked[rank - 1]!;
  return Number.isFinite(value) ? value : null;
}

/**
 * The class of a set of trials, decided by the median trial (p50) so one slow trial out of five does not
 * flip it, then made no better than `delayed` if any trial was never seen (a change lost or held past the
 * timeout is not real-time in any sense). `stale` when the median trial itself was never seen.
 */
export function classify(p50Ms: number | null, censored: number, trials: number, t: LagThresholds): LagClass {
  if (trials === 0 || p50Ms === null) return 'stale';
  let cls: LagClass = p50Ms <= t.realTimeSeconds * 1000 ? 'real-time' : p50Ms <= t.nearRealTimeSeconds * 1000 ? 'near-real-time' : 'delayed';
  if (censored > 0 && cls !== 'delayed') cls = 'delayed';
  return cls;
}

/** The evidence of one lag finding: percentiles, censoring, class and every sample. */
export function summariseLag(samples: LagSample[], t: LagThresholds): LagEvidence {
  const trials = samples.length;
  const censored = samples.filter((s) => s.censored).length;
  const p50Ms = percentile(samples, 50);
  const p95Ms = percentile(samples, 95);
  const maxMs = percentile(samples, 100);
  const beyondTimeout = (['p50', 'p95', 'max'] as const).filter((_, i) => trials > 0 && [p50Ms, p95Ms, maxMs][i] === null);
  const measured = samples.filter((s) => !s.censored);
  return {
    p50Ms,
    p95Ms,
    maxMs,
    trials,
    censored,
    class: classify(p50Ms, censored, trials, t),
    samples,
    realTimeSeconds: t.realTimeSeconds,
    nearRealTimeSeconds: t.nearRealTimeSeconds,
    timeoutSeconds: t.timeoutSeconds,
    /** Percentiles that fell on a trial never seen: their value is "more than timeoutSeconds". */
    beyondTimeout: [...beyondTimeout],
    /** The widest half-interval among measured trials: how far any lagMs may be from the truth. */
    errorBoundMs: measured.length ? Math.max(...measured.map((s) => Math.ceil((s.highMs - s.lowMs) / 2))) : null,
  };
}

/** "3.8 s", "120 ms", "more than 120 s": for messages. */
export function formatLag(ms: number | null, timeoutSeconds?: number): string {
  if (ms === null) return timeoutSeconds === undefined ? 'never seen' : `more than ${timeoutSeconds} s`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}
