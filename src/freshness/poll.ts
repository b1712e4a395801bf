// The live poller of one trial: look again and again, on the adaptive schedule, until the new state shows or
// the deadline passes. It records each look's request start and response end; lag.ts turns that into a lag.
import { describeError } from '../evidence.js';
import { monotonicNow, sleep } from '../timing.js';
import type { ChangeTiming, Observation } from './lag.js';
import { nextPollDelay, pollPlanFor, type PollPlan } from './schedule.js';

export interface WatchOptions {
  change: ChangeTiming;
  timeoutMs: number;
  plan?: PollPlan;
  signal?: AbortSignal;
  now?: () => number;
  /** Stop early after this many unreadable answers in a row (a broken endpoint is an error, not a lag). */
  maxConsecutiveErrors?: number;
  /** How long past the deadline a look that is still in flight is waited for before it is abandoned. */
  graceMs?: number;
  /** The side watched can be read at most this often (a polled feed): looks are spaced by it, never closer. */
  readIntervalMs?: number;
}

/**
 * What a look saw: the old or the new state, optionally with when the side watched actually read it, where that
 * was before the look (an answer from a feed's last read). The observation then takes those times: an old state
 * read earlier says nothing about the moments after that read.
 */
export type LookAnswer = 'old' | 'new' | { shows: 'old' | 'new'; readAt: { sentAt: number; answeredAt: number } };

export interface WatchResult {
  observations: Observation[];
  seen: boolean;
  interrupted: boolean;
  /** Why looks failed (first few), e.g. `{kind: 'timeout', message}`. */
  errors: Array<{ kind: string; message: string }>;
}

/** Polls `look` (which says whether it sees the old or the new state) from now until the change shows. */
export async function watchForChange(look: () => Promise<LookAnswer>, options: WatchOptions): Promise<WatchResult> {
  const now = options.now ?? monotonicNow;
  const plan = spacedBy(options.plan ?? pollPlanFor(options.timeoutMs), options.readIntervalMs);
  const deadline = options.change.sentAt + options.timeoutMs;
  const maxErrors = options.maxConsecutiveErrors ?? 5;
  const observations: Observation[] = [];
  const errors: WatchResult['errors'] = [];
  let delay = plan.minIntervalMs;
  let consecutiveErrors = 0;

  for (;;) {
    if (options.signal?.aborted) return { observations, seen: false, interrupted: true, errors };
    const sentAt = now();
    const answer = await boundedLook(look, deadline + (options.graceMs ?? 1000) - sentAt);
    const answeredAt = now();
    observations.push({ ...(answer.readAt ?? { sentAt, answeredAt }), shows: answer.shows });
    if (answer.shows === 'new') return { observations, seen: true, interrupted: false, errors };
    if (answer.error) {
      consecutiveErrors += 1;
      if (errors.length < 5) errors.push(answer.error);
      if (consecutiveErrors >= maxErrors) break;
    } else consecutiveErrors = 0;
    if (sentAt >= deadline || answeredAt >= deadline + (options.graceMs ?? 1000)) break;
    delay = nextPollDelay(answeredAt - options.change.sentAt, delay, plan);
    // An answer from an earlier read: the next read can be had once the interval since that read has passed (a few
    // ms more, as timers may fire a little early).
    const nextRead = answer.readAt && options.readIntervalMs ? answer.readAt.sentAt + options.readIntervalMs + 5 : Infinity;
    const wait = Math.min(answeredAt + delay, nextRead, deadline) - now();
    if (wait > 0) await sleep(wait, options.signal);
  }
  return { observations, seen: false, interrupted: false, errors };
}

type Looked = { shows: Observation['shows']; readAt?: { sentAt: number; answeredAt: number }; error?: { kind: string; message: string } };

/** The plan with no two looks closer than the side's read interval. */
function spacedBy(plan: PollPlan, readIntervalMs: number | undefined): PollPlan {
  if (!readIntervalMs) return plan;
  return { ...plan, minIntervalMs: Math.max(plan.minIntervalMs, readIntervalMs), maxIntervalMs: Math.max(plan.maxIntervalMs, readIntervalMs) };
}

/** One look, abandoned (not awaited further) if it outlives the trial's deadline. */
async function boundedLook(look: () => Promise<LookAnswer>, budgetMs: number): Promise<Looked> {
  let timer: NodeJS.Timeout | undefined;
  const pending = look().then(
    (answer): Looked => (typeof answer === 'string' ? { shows: answer } : answer),
    (error: unknown): Looked => ({ shows: 'unreadable', error: describeError(error) }),
  );
  const expired = new Promise<Looked>((resolve) => {
    timer = setTimeout(
      () => resolve({ shows: 'unreadable', error: { kind: 'timeout', message: 'no answer before the trial deadline' } }),
      Math.max(0, budgetMs),
    );
  });
  try {
    return await Promise.race([pending, expired]);
  } finally {
    clearTimeout(timer);
  }
}
