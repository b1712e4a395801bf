// How long a connection's freshness trials can take at most, from the plan's trials and timeout. Pure.
// Trial k of a direction starts at k × W plus its offset (< W), W being the offset window (schedule.ts); a
// block, a booking or a race waits at most the timeout (plus the grace a poll in flight gets); a free-slot trial
// first waits for its own block to show, so it may wait twice. The directions and the race run at once: the
// connection waits for the slowest of them.
import { offsetWindowMs } from './schedule.js';

/** How long a poll still in flight at the deadline is waited for (poll.ts `graceMs` default). */
export const POLL_GRACE_MS = 1_000;
/** The requests around each wait (taking a slot, the change, putting it back), on a slow EHR. */
const REQUESTS_ALLOWANCE_MS = 3_000;

export interface TrialBudget {
  trials: number;
  timeoutSeconds: number;
  /** Double-booking race attempts (default 3), and how long each may wait for a queued booking. */
  raceAttempts?: number;
  queueWaitMs?: number;
}

export function freshnessWorstCaseMs(budget: TrialBudget): number {
  const timeoutMs = budget.timeoutSeconds * 1000;
  const wait = timeoutMs + POLL_GRACE_MS;
  const window = offsetWindowMs(timeoutMs);
  const attempts = budget.raceAttempts ?? 3;
  const queueWaitMs = budget.queueWaitMs ?? Math.min(budget.timeoutSeconds, 30) * 1000;
  let slowest = 0;
  for (let k = 0; k < budget.trials; k++) {
    const ehrToVendor = k * window + window + (k % 2 === 1 ? 2 * wait : wait);
    const vendorToEhr = k * window + window + wait;
    slowest = Math.max(slowest, ehrToVendor, vendorToEhr);
  }
  if (attempts > 0) slowest = Math.max(slowest, (budget.trials + attempts - 1) * window + queueWaitMs + POLL_GRACE_MS);
  return slowest === 0 ? 0 : slowest + REQUESTS_ALLOWANCE_MS;
}
