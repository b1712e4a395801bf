// The probe pool: never more than `concurrency` tasks in flight, never more than `perHost` against one host,
// every task run once, results in input order, progress counted, and the first failure rejects.
// Tasks are settled by hand (no timers), so the bounds are checked at every step, not sampled.
import { describe, expect, it } from 'vitest';
import { benchCoverage } from '../../bench/coverage.js';
import { PROBE_POOL, probeHost, runPool } from '../../src/run/pool.js';

interface Gate {
  item: { host: string; n: number };
  release(): void;
  fail(error: Error): void;
}

/** Runs the pool with tasks that wait until released; exposes what is in flight. */
function controlledPool(items: Array<{ host: string; n: number }>, concurrency: number, perHost: number) {
  const inFlight: Gate[] = [];
  const started: number[] = [];
  const settled: Array<[number, number]> = [];
  let peak = 0;
  const peakPerHost = new Map<string, number>();
  let notify: () => void = () => {};
  const result = runPool(items, (i) => i.host, { concurrency, perHost, onSettled: (done, total) => settled.push([done, total]) }, (item) => {
    started.push(item.n);
    return new Promise<string>((resolve, reject) => {
      const gate: Gate = {
        item,
        release: () => {
          inFlight.splice(inFlight.indexOf(gate), 1);
          resolve(`done ${item.n}`);
        },
        fail: (error) => {
          inFlight.splice(inFlight.indexOf(gate), 1);
          reject(error);
        },
      };
      inFlight.push(gate);
      peak = Math.max(peak, inFlight.length);
      const onHost = inFlight.filter((g) => g.item.host === item.host).length;
      peakPerHost.set(item.host, Math.max(peakPerHost.get(item.host) ?? 0, onHost));
      notify();
    });
  });
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return { inFlight, started, settled, result, tick, peak: () => peak, peakPerHost, onStart: (fn: () => void) => (notify = fn) };
}

describe('runPool', () => {
  it('keeps within the overall and per-host bounds, runs each task once, keeps input order', async () => {
    const items = Array.from({ length: 40 }, (_, n) => ({ host: `ehr-${n % 3}.test:443`, n }));
    const pool = controlledPool(items, 8, 2);
    await pool.tick();
    // 3 hosts × 2 per host: the host bound binds before the overall one.
    expect(pool.inFlight).toHaveLength(6);
    while (pool.started.length < items.length || pool.inFlight.length > 0) {
      pool.inFlight[0]!.release();
      await pool.tick();
      expect(pool.inFlight.length).toBeLessThanOrEqual(8);
    }
    expect(await pool.result).toEqual(items.map((i) => `done ${i.n}`));
    expect([...pool.started].sort((a, b) => a - b)).toEqual(items.map((i) => i.n));
    expect(pool.peak()).toBe(6);
    expect(Math.max(...pool.peakPerHost.values())).toBe(2);
    expect(pool.settled).toEqual(items.map((_, i) => [i + 1, items.length]));
  });

  it('fills the overall bound when hosts are many', async () => {
    const items = Array.from({ length: 30 }, (_, n) => ({ host: `127.0.0.1:${10_000 + n}`, n }));
    const pool = controlledPool(items, 8, 2);
    await pool.tick();
    expect(pool.inFlight).toHaveLength(8);
    while (pool.inFlight.length > 0) {
      pool.inFlight.at(-1)!.release();
      await pool.tick();
    }
    expect(await pool.result).toHaveLength(30);
    expect(pool.peak()).toBe(8);
  });

  it('an empty list resolves at once; the first failure rejects and starts nothing more', async () => {
    expect(await runPool([], () => 'h', { concurrency: 4, perHost: 1 }, async () => 1)).toEqual([]);
    const items = Array.from({ length: 10 }, (_, n) => ({ host: 'one-host', n }));
    const pool = controlledPool(items, 4, 1);
    await pool.tick();
    expect(pool.started).toEqual([0]);
    pool.inFlight[0]!.fail(new Error('probe crashed'));
    await expect(pool.result).rejects.toThrow('probe crashed');
    await pool.tick();
    expect(pool.started).toEqual([0]);
  });

  it('spaces task starts by the launch interval, and still runs them all', async () => {
    const starts: number[] = [];
    const results = await runPool(
      Array.from({ length: 8 }, (_, n) => n),
      (n) => `host-${n}`,
      { concurrency: 8, perHost: 1, launchIntervalMs: 5 },
      async (n) => {
        starts.push(performance.now());
        return n * 10;
      },
    );
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    // Lower bounds only: a start is never early, however late a busy machine runs the timer.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(4.5);
  });

  it('a task that throws synchronously rejects the pool instead of escaping it', async () => {
    await expect(runPool([1, 2], () => 'h', { concurrency: 2, perHost: 2 }, () => { throw new Error('sync'); })).rejects.toThrow('sync');
  });

  it('the runner probes by EHR host, within the tuned bounds', () => {
    expect(probeHost('http://127.0.0.1:8101/fhir/R4')).toBe('127.0.0.1:8101');
    expect(probeHost('not a url')).toBe('not a url');
    expect(PROBE_POOL.concurrency).toBeGreaterThanOrEqual(32);
    expect(PROBE_POOL.concurrency).toBeLessThanOrEqual(64);
    expect(PROBE_POOL.perHost).toBeGreaterThanOrEqual(4);
    expect(PROBE_POOL.perHost).toBeLessThanOrEqual(8);
  });
});

describe('bench/coverage (small and quick: shape only, timing belongs to the bench run)', () => {
  it('probes every connection and prints wall time, ideal, ratio and peak memory', async () => {
    const lines = await benchCoverage({ connections: 12, delayMs: 20, serversInProcess: true, progress: false });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^coverage: 12 connections \(each its own host:port\), connection-live through the runner's pool \(concurrency \d+, per host \d+, starts \d+ ms apart\); every answer delayed 20 ms$/);
    // Three requests per connection: EHR metadata, the authorised search, the vendor's Slot search.
    expect(lines[1]).toMatch(/^coverage: 12\/12 live, 36 requests; wall \d+ ms, ideal 60 ms \(36 x 20 ms \/ 12\)$/);
    expect(lines[2]).toMatch(/^coverage: ratio \d+\.\d\dx \(median of 3 runs: \d+\.\d\dx, \d+\.\d\dx, \d+\.\d\dx\) \(target <= 1\.25x\) (OK|OVER TARGET)$/);
    expect(lines[3]).toMatch(/^coverage: peak RSS \d+\.\d MB, peak heap \d+\.\d MB \(sampled every 10 ms\)$/);
  });
});
