// Waiting and timing, shared by every layer that waits for something to show: probes, the EHR's premises, a
// person's steps and the freshness pollers. Nothing here knows of FHIR, the EHR or the vendor.

/** A monotonic clock (ms): lags are differences of its readings, never of wall-clock times. */
export const monotonicNow = (): number => performance.now();

/** Resolves after `ms`, or early when the run is interrupted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Polls `read` until `until(value)` holds or `timeoutMs` passes; returns the last value and when it held. */
export async function pollUntil<T>(
  read: () => Promise<T>,
  until: (value: T) => boolean,
  options: { timeoutMs: number; firstDelayMs?: number; maxDelayMs?: number; signal?: AbortSignal },
): Promise<{ value: T; satisfied: boolean; elapsedMs: number }> {
  const started = Date.now();
  let delay = options.firstDelayMs ?? 50;
  let value = await read();
  while (!until(value)) {
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutMs || options.signal?.aborted) return { value, satisfied: false, elapsedMs: elapsed };
    await sleep(Math.min(delay, options.timeoutMs - elapsed), options.signal);
    delay = Math.min(delay * 1.5, options.maxDelayMs ?? 1000);
    value = await read();
  }
  return { value, satisfied: true, elapsedMs: Date.now() - started };
}
