// Runs tasks with a bounded number in flight overall and per host, so a vendor with 100+ connections is
// probed in seconds without hammering any one server.

export interface PoolOptions {
  concurrency: number;
  perHost: number;
  /** Called after each task settles successfully, with how many are done of how many. */
  onSettled?(done: number, total: number): void;
}

/**
 * What the runner probes connections with. 50 in flight keeps a 2-core machine busy on waiting, not on
 * scheduling (bench/coverage.ts: 200 connections at 100 ms per answer come within 1.25x of the ideal), and
 * divides common plan sizes into whole rounds; 6 per EHR host stays polite to a shared sandbox.
 */
export const PROBE_POOL: PoolOptions = { concurrency: 50, perHost: 6 };

/** The host a connection's probes load most: its EHR (the vendor facade is often one host for all). */
export function probeHost(ehrBaseUrl: string): string {
  try {
    return new URL(ehrBaseUrl).host;
  } catch {
    return ehrBaseUrl;
  }
}

export async function runPool<T, R>(items: readonly T[], hostOf: (item: T) => string, options: PoolOptions, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const waiting = items.map((item, index) => ({ item, index, host: hostOf(item) }));
  const busyHosts = new Map<string, number>();
  const concurrency = Math.max(1, options.concurrency);
  const perHost = Math.max(1, options.perHost);
  let running = 0;
  let done = 0;
  let failed = false;
  return new Promise<R[]>((resolve, reject) => {
    const launch = () => {
      if (failed) return;
      if (waiting.length === 0 && running === 0) return resolve(results);
      while (running < concurrency && waiting.length > 0) {
        // The first waiting item whose host has room; others wait for their host to free up.
        const pick = waiting.findIndex(({ host }) => (busyHosts.get(host) ?? 0) < perHost);
        if (pick < 0) return;
        const { item, index, host } = waiting.splice(pick, 1)[0]!;
        busyHosts.set(host, (busyHosts.get(host) ?? 0) + 1);
        running += 1;
        // A task that throws synchronously is a rejection like any other.
        Promise.resolve()
          .then(() => task(item, index))
          .then(
            (r) => {
              results[index] = r;
              running -= 1;
              done += 1;
              busyHosts.set(host, busyHosts.get(host)! - 1);
              options.onSettled?.(done, items.length);
              launch();
            },
            (error: unknown) => {
              failed = true;
              reject(error);
            },
          );
      }
    };
    launch();
  });
}
