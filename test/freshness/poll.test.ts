import { describe, expect, it } from 'vitest';
import { lagSample } from '../../src/freshness/lag.js';
import { watchForChange } from '../../src/freshness/poll.js';
import { monotonicNow } from '../../src/timing.js';
import { ProbeError } from '../../src/http/types.js';

function changeNow() {
  const t = monotonicNow();
  return { sentAt: t, answeredAt: t };
}

describe('watchForChange', () => {
  it('polls until the new state shows, and the timeline yields a lag interval that contains the truth', async () => {
    const change = changeNow();
    const visibleAt = change.sentAt + 120; // the "vendor" reflects the change 120 ms later
    const result = await watchForChange(async () => (monotonicNow() >= visibleAt ? 'new' : 'old'), { change, timeoutMs: 2000 });
    expect(result.seen).toBe(true);
    expect(result.observations.at(-1)!.shows).toBe('new');
    const sample = lagSample(change, result.observations, 'ehr-to-vendor');
    expect(sample.lowMs).toBeLessThanOrEqual(120);
    expect(sample.highMs).toBeGreaterThanOrEqual(120);
  });

  it('gives up at the deadline: the last poll starts at or after it, and nothing runs on', async () => {
    const change = changeNow();
    const result = await watchForChange(async () => 'old', { change, timeoutMs: 300 });
    expect(result.seen).toBe(false);
    expect(result.interrupted).toBe(false);
    const last = result.observations.at(-1)!;
    expect(last.sentAt - change.sentAt).toBeGreaterThanOrEqual(299);
    expect(result.observations.length).toBeGreaterThan(3);
    expect(lagSample(change, result.observations, 'ehr-to-vendor').censored).toBe(true);
  });

  it('stops after repeated unreadable answers and keeps why', async () => {
    const change = changeNow();
    let calls = 0;
    const result = await watchForChange(
      async () => {
        calls += 1;
        throw new ProbeError('connect', 'connection refused');
      },
      { change, timeoutMs: 5000, maxConsecutiveErrors: 3 },
    );
    expect(calls).toBe(3);
    expect(result.seen).toBe(false);
    expect(result.errors[0]).toEqual({ kind: 'connect', message: 'connection refused' });
    expect(result.observations.every((o) => o.shows === 'unreadable')).toBe(true);
  });

  it('abandons a look that hangs past the deadline', async () => {
    const change = changeNow();
    const result = await watchForChange(() => new Promise<'old'>(() => {}), { change, timeoutMs: 100, graceMs: 100 });
    expect(result.seen).toBe(false);
    expect(result.errors[0]!.kind).toBe('timeout');
  });

  it('stops waiting when the run is interrupted', async () => {
    const change = changeNow();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await watchForChange(async () => 'old', { change, timeoutMs: 60_000, signal: controller.signal });
    expect(result.interrupted).toBe(true);
    expect(result.seen).toBe(false);
  });
});
