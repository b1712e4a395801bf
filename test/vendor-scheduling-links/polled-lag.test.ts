// A lag measured on a side that can only be read every N ms (a feed): looks come as each new read can be had, and a
// look answered from an earlier read is timed by that read, so the lag interval still contains the truth.
import { describe, expect, it } from 'vitest';
import { lagSample } from '../../src/freshness/lag.js';
import { watchForChange, type LookAnswer } from '../../src/freshness/poll.js';
import { monotonicNow } from '../../src/timing.js';

/** A feed that shows the change `lagMs` after it, read afresh only every `intervalMs` (else its last read). */
function polledFeed(changeAt: number, lagMs: number, intervalMs: number, firstReadAt: number) {
  let last = { sentAt: firstReadAt, answeredAt: firstReadAt + 5, shows: (firstReadAt >= changeAt + lagMs ? 'new' : 'old') as 'old' | 'new' };
  let reads = 1;
  const look = async (): Promise<LookAnswer> => {
    const now = monotonicNow();
    if (now - last.sentAt >= intervalMs) {
      reads += 1;
      last = { sentAt: now, answeredAt: now + 1, shows: now >= changeAt + lagMs ? 'new' : 'old' };
    }
    return { shows: last.shows, readAt: { sentAt: last.sentAt, answeredAt: last.answeredAt } };
  };
  return { look, reads: () => reads };
}

describe('a lag watched on a polled side', () => {
  it('looks when the next read can be had, and recovers the lag within the bound', async () => {
    const change = { sentAt: monotonicNow(), answeredAt: monotonicNow() };
    const feed = polledFeed(change.sentAt, 450, 200, change.sentAt - 50);
    const looksAt: number[] = [];
    const result = await watchForChange(
      async () => {
        looksAt.push(monotonicNow());
        return feed.look();
      },
      { change, timeoutMs: 3_000, readIntervalMs: 200 },
    );
    expect(result.seen).toBe(true);
    // Looks come when a fresh read can be had: after the first (answered from the read before the change), each is one.
    expect(looksAt.length - feed.reads()).toBeLessThanOrEqual(2);
    expect(looksAt.length).toBeGreaterThanOrEqual(2);
    const sample = lagSample(change, result.observations, 'ehr-to-vendor');
    expect(sample.lowMs).toBeLessThanOrEqual(450);
    expect(sample.highMs).toBeGreaterThanOrEqual(450);
    // Reads 200 ms apart: the interval is about that wide (a busy machine widens it), not the whole 3 s watch.
    expect(sample.highMs - sample.lowMs).toBeLessThan(2_000);
  });

  it('an old state from a read made before the look does not claim the moments after that read', async () => {
    const change = { sentAt: monotonicNow(), answeredAt: monotonicNow() };
    // The side's last read was before the change; looks answered from it must not raise the lower bound.
    const stale: LookAnswer = { shows: 'old', readAt: { sentAt: change.sentAt - 500, answeredAt: change.sentAt - 490 } };
    let looks = 0;
    const result = await watchForChange(async () => (++looks < 3 ? stale : 'new'), { change, timeoutMs: 2_000, readIntervalMs: 50 });
    const sample = lagSample(change, result.observations, 'ehr-to-vendor');
    expect(result.observations.slice(0, 2).every((o) => o.sentAt === change.sentAt - 500)).toBe(true);
    expect(sample.lowMs).toBe(0);
  });
});
