// Runs tasks with a bounded number in flight overall and per host, so a vendor with 100+ connections is
// probed in seconds without hammering any one server.

export interface PoolOptions {
  concurrency: number;
  perHost: number;
}

export async function runPool<T, R>(items: readonly T[], hostOf: (item: T) => string, options: PoolOptions, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const waiting = items.map((item, index) => ({ item, index }));
  const busyHosts = new Map<string, number>();
  let running = 0;
  return new Promise<R[]>((resolve, reject) => {
    const launch = () => {
      if (waiting.length === 0 && running === 0) return resolve(results);
      while (running < options.concurrency) {
        // The first waiting item whose host has room; others wait for their host to free up.
        const pick = waiting.findIndex(({ item }) => (busyHosts.get(hostOf(item)) ?? 0) < options.perHost);
        if (pick < 0) return;
        const { item, index } = waiting.splice(pick, 1)[0]!;
        const host = hostOf(item);
        busyHosts.set(host, (busyHosts.get(host) ?? 0) + 1);
        running += 1;
        task(item, index).then(
          (r) => {
            results[index] = r;
            running -= 1;
            busyHosts.set(host, busyHosts.get(host)! - 1);
            launch();
          },
          reject,
        );
      }
    };
    launch();
  });
}
