// 429/503 pacing: how long the server asks us to wait, and whether the retry budget allows it.

/** Milliseconds to wait from `now`, from a Retry-After value in seconds or as an HTTP date; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined; // a bare negative or odd number is not a date
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export interface RetryBudget {
  maxRetries: number;
  maxWaitMs: number;
}

/** Backoff when the server gives no Retry-After: short, growing, still inside the budget. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(4_000, 250 * 2 ** attempt);
}

/**
 * The wait before retry number `attempt` (0-based), or undefined to give up now:
 * retries used up, or the server asks for more than what is left of the budget.
 */
export function nextWait(
  attempt: number,
  retryAfterMs: number | undefined,
  waitedMs: number,
  budget: RetryBudget,
): number | undefined {
  if (attempt >= budget.maxRetries) return undefined;
  const wait = retryAfterMs ?? defaultBackoffMs(attempt);
  if (waitedMs + wait > budget.maxWaitMs) return undefined;
  return wait;
}
