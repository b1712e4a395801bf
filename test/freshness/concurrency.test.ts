// The pieces that let a connection's freshness trials overlap: stratified starts, the worst case a run states
// up front, a slot pool that hands concurrent trials distinct slots in a fixed order, and the progress line
// that counts down. End-to-end timings are in deep.test.ts, faulty.test.ts and bench/freshness-concurrency.ts.
import { describe, expect, it } from 'vitest';
import { createProgress, timeLeft } from '../../src/cli/progress.js';
import type { Io } from '../../src/cli/io.js';
import { freshnessWorstCaseMs, POLL_GRACE_MS } from '../../src/freshness/duration.js';
import { offsetWindowMs, startOffsets, trialSpacingMs } from '../../src/freshness/schedule.js';
import { estimateRun, formatDuration } from '../../src/run/duration.js';
import type { ConnectionContext } from '../../src/context.js';
import { SlotPool } from '../../src/probes/freshness/slots.js';
import { startFreshnessWorld } from './world.js';

describe('stratified trial starts', () => {
  it('put each trial in its own window, one after another, so no two changes are sent at once by design', () => {
    for (const [timeoutMs, trials] of [[8_000, 3], [120_000, 5], [6_000, 3]] as const) {
      const spacing = trialSpacingMs(timeoutMs);
      const window = offsetWindowMs(timeoutMs);
      expect(spacing).toBe(window);
      const starts = startOffsets(7, trials, window).map((o, k) => k * spacing + o);
      starts.forEach((start, k) => {
        expect(start).toBeGreaterThanOrEqual(k * window);
        expect(start).toBeLessThan((k + 1) * window);
      });
    }
  });
});

describe('the expected worst case', () => {
  it('is the slowest direction: a free-slot trial may wait twice, everything else once, all at once', () => {
    const timeoutMs = 8_000;
    const window = offsetWindowMs(timeoutMs);
    const wait = timeoutMs + POLL_GRACE_MS;
    const worst = freshnessWorstCaseMs({ trials: 3, timeoutSeconds: 8 });
    // trial 1 frees a slot it first blocked: it starts in window 1 and may wait out two timeouts
    expect(worst).toBeGreaterThanOrEqual(2 * window + 2 * wait);
    // far less than the trials one after another (six trials and three races, each waiting out its timeout)
    expect(worst).toBeLessThan(3 * wait);
    expect(freshnessWorstCaseMs({ trials: 0, timeoutSeconds: 8, raceAttempts: 0 })).toBe(0);
    // the plan's defaults: five trials of 120 s cost minutes, not the ~20 minutes they took one after another
    expect(freshnessWorstCaseMs({ trials: 5, timeoutSeconds: 120 })).toBeLessThan(5 * 60_000);
  });

  it('counts connections in rounds: the pool bound overall and per EHR host, and skips waits writes cannot cause', () => {
    const ctx = (host: string, writesAllowed = true) => ({ connection: { ehr: { fhirBaseUrl: `http://${host}/fhir` } }, writesAllowed }) as unknown as ConnectionContext;
    const settings = { weight: 30, trials: 3, timeoutSeconds: 8, realTimeSeconds: 1, nearRealTimeSeconds: 4 };
    const input = { bidirectional: true, freshness: true, settings, queueWaitMs: 8_000, pool: { concurrency: 50, perHost: 2 } };
    const one = estimateRun({ ...input, contexts: [ctx('a')] });
    expect(one.rounds).toBe(1);
    // five connections on one EHR host, two at a time: three rounds
    const five = estimateRun({ ...input, contexts: ['a', 'a', 'a', 'a', 'a'].map((h) => ctx(h)) });
    expect(five.rounds).toBe(3);
    expect(five.worstCaseMs).toBeGreaterThan(3 * one.perConnectionMs);
    // on five hosts they all go at once
    expect(estimateRun({ ...input, contexts: ['a', 'b', 'c', 'd', 'e'].map((h) => ctx(h)) }).rounds).toBe(1);
    // without writes, no trial runs and nothing waits for one
    expect(estimateRun({ ...input, contexts: [ctx('a', false)] }).perConnectionMs).toBeLessThan(one.perConnectionMs / 3);
  });

  it('reads as a person would say it', () => {
    expect(formatDuration(45_200)).toBe('46 s');
    expect(formatDuration(450_000)).toBe('7 min 30 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(timeLeft(41_000)).toBe('at most 41 s left');
    expect(timeLeft(-5)).toBe('past the expected worst case');
  });
});

describe('the progress line', () => {
  it('counts down to the latest worst case it was told, on every line', () => {
    let clock = 1_000_000;
    const lines: string[] = [];
    const io = { err: (s: string) => lines.push(s), stdoutIsTTY: false } as unknown as Io;
    const progress = createProgress(io, { tty: false, now: () => clock });
    progress('before any estimate');
    progress.countDownTo(60_000);
    progress.countDownTo(30_000); // a shorter estimate from a second vendor does not shorten the wait
    clock += 15_000;
    progress('probing');
    clock += 60_000;
    progress('still probing');
    progress.done();
    expect(lines[0]).not.toMatch(/left/);
    expect(lines[1]).toMatch(/15\.0s probing · at most 45 s left/);
    expect(lines[2]).toMatch(/still probing · past the expected worst case/);
  });
});

describe('the slot pool, taken by trials at once', () => {
  it('hands out distinct slots in the order asked, and a take waits for a slot given back when it runs dry', async () => {
    const world = await startFreshnessWorld({ behavior: 'deep' });
    try {
      const page = await world.ctx.ehr.search('Slot', {
        schedule: world.ctx.schedule!,
        status: 'free',
        start: `ge${new Date(Date.now() + 3_600_000).toISOString()}`,
        _count: '3',
      });
      const slots = (page.entry ?? []).map((e) => e.resource);
      expect(slots).toHaveLength(3);
      const order = async () => {
        const pool = new SlotPool(slots as never, 5);
        const taken = await Promise.all([pool.take(world.ctx), pool.take(world.ctx), pool.take(world.ctx)]);
        return { pool, ids: taken.map((s) => s.id) };
      };
      const first = await order();
      expect(new Set(first.ids).size).toBe(3);
      expect((await order()).ids).toEqual(first.ids); // the same seed, the same slot for the same trial
      // Dry: the fourth take waits until a trial gives its slot back, then checks it again and hands it out.
      let fourth: string | undefined;
      const waiting = first.pool.take(world.ctx).then((s) => (fourth = s.id));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fourth).toBeUndefined();
      first.pool.giveBack((await world.ctx.ehr.read('Slot', first.ids[1]!)) as never);
      await waiting;
      expect(fourth).toBe(first.ids[1]);
      // A person's trials keep their slots: once every lent slot is retired, a waiting take stops waiting and says so.
      const dry = new SlotPool(slots.slice(0, 1) as never, 5);
      await dry.take(world.ctx);
      const stuck = dry.take(world.ctx).then(
        () => 'handed out',
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      dry.retire();
      expect(await stuck).toMatch(/no slot left/);
    } finally {
      await world.close();
    }
  }, 30_000);
});
