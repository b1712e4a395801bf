// The scheduling-links vendor through the real runner, judged by what the EHR holds: an honest publisher passes
// read-through and ehr-to-vendor-lag (the feed's read interval bounding the lag, in evidence); a feed listing booked
// slots as free fails read-through; a frozen or stale feed fails ehr-to-vendor-lag; a broken feed is an error; and
// what needs a booking is skipped, with the reason, while no person channel is wired to follow the deep links; the
// specification's own example feed is read whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleFeed } from '../../fixtures/vendors/scheduling-links/example-feed.js';
import { startStaticFeed } from '../../fixtures/vendors/scheduling-links/static-feed.js';
import { validateReport } from '../../src/contracts/validate.js';
import { evaluatePlan, testPlan, type Evaluation } from '../helpers/run.js';
import { EXAMPLE_FEED_DIR, feedConnection, startFeedWorld, type FeedWorld } from './world.js';

// Generous thresholds: a feed read every second shows a change within about two, however busy the machine.
const FRESHNESS = { trials: 2, timeoutSeconds: 10, realTimeSeconds: 5, nearRealTimeSeconds: 8 };
const CHECKS = ['coverage', 'bidirectional', 'freshness'] as const;

describe('an honest publisher (its files cached for their max-age of 1 s, polled every second)', () => {
  let world: FeedWorld;
  let run: Evaluation;
  beforeAll(async () => {
    world = await startFeedWorld({ view: 'live', maxAgeSeconds: 1, cached: true });
    run = await evaluatePlan(testPlan([feedConnection(world)], { freshness: FRESHNESS }), { checks: [...CHECKS] });
  }, 90_000);
  afterAll(async () => world?.close());

  it('makes a report the report schema accepts, naming the vendor kind', () => {
    expect(() => validateReport(run.report)).not.toThrow();
    expect(JSON.stringify(run.report)).toContain('"vendorKind":"scheduling-links"');
  });

  it('is live, with the feed read as a consumer would in the evidence', () => {
    const live = run.finding('connection-live');
    expect(live.status).toBe('pass');
    const detail = (live.evidence as { vendorSearch: { detail: Record<string, any> } }).vendorSearch.detail;
    expect(detail.counts.Slot).toBeGreaterThan(0);
    expect(detail.extensions.bookingDeepLink).toBe(detail.counts.Slot);
    expect(detail.extensions.bookingPhone).toBe(detail.counts.Slot);
    expect(detail.references.slotSchedule.dangling).toBe(0);
    expect(detail.schedule.how).toMatch(/carries the EHR schedule's id .* as an identifier/);
    expect(detail).toMatchObject({ maxAgeSeconds: 1, readIntervalMs: 1_000 });
  });

  it("passes read-through: the feed's free slots are the EHR's, matched by start and end", () => {
    const finding = run.finding('read-through');
    expect(finding.status).toBe('pass');
    expect((finding.evidence as { ehrFreeCount: number }).ehrFreeCount).toBeGreaterThan(0);
  });

  it('passes ehr-to-vendor-lag, with the read interval and the error bound it makes in the evidence', () => {
    const finding = run.finding('ehr-to-vendor-lag');
    expect(finding.status).toBe('pass');
    const evidence = finding.evidence as { readIntervalMs: number; errorBoundMs: number; trials: number; censored: number };
    expect(evidence).toMatchObject({ readIntervalMs: 1_000, trials: 2, censored: 0 });
    // Reads a second apart bound each lag to about half of that, plus the time a read takes.
    expect(evidence.errorBoundMs).toBeGreaterThan(0);
    expect(evidence.errorBoundMs).toBeLessThan(5_000);
    expect(finding.message).toMatch(/the vendor can be read only every 1\.0 s, so each lag is known within ±/);
  });

  it('skips what needs a booking: a person follows the feed\'s links, and none was given to this run', () => {
    for (const id of ['write-lands', 'write-idempotent', 'conflict-refused', 'vendor-to-ehr-lag'] as const) {
      const finding = run.finding(id);
      expect(finding.status, id).toBe('skip');
      expect(finding.message, id).toMatch(/person/);
    }
    expect(run.finding('patient-matched').message).toMatch(/names where to book a slot, not where to register a patient/);
    expect(run.finding('double-booking-race').message).toMatch(/a person cannot book at the same moment/);
  });
});

describe('failing publishers, decided by the EHR', () => {
  it('a feed listing booked slots as free fails read-through with the phantom slots', async () => {
    const world = await startFeedWorld({ view: 'live', maxAgeSeconds: 1, faults: ['booked-as-free'] });
    try {
      const run = await evaluatePlan(testPlan([feedConnection(world)], { freshness: FRESHNESS }), { checks: ['coverage', 'bidirectional'] });
      const finding = run.finding('read-through');
      expect(finding.status).toBe('fail');
      expect((finding.evidence as { phantomSlots: string[] }).phantomSlots.length).toBeGreaterThan(0);
    } finally {
      await world.close();
    }
  }, 60_000);

  it.each([
    ['frozen', { view: 'live', faults: ['frozen'] }],
    ['synced every five minutes', { view: 'synced', syncIntervalMs: 300_000 }],
  ] as const)('a %s feed fails ehr-to-vendor-lag: the change never shows', async (_what, publisher) => {
    const world = await startFeedWorld({ maxAgeSeconds: 1, ...publisher, faults: [...(('faults' in publisher && publisher.faults) || [])] });
    try {
      const run = await evaluatePlan(testPlan([feedConnection(world)], { freshness: { trials: 2, timeoutSeconds: 5, realTimeSeconds: 2, nearRealTimeSeconds: 4 } }), { checks: ['coverage', 'freshness'] });
      const finding = run.finding('ehr-to-vendor-lag');
      expect(finding.status).toBe('fail');
      expect(finding.evidence).toMatchObject({ class: 'stale', readIntervalMs: 1_000 });
      // The feed was read again and again, never closer than its interval allows.
      expect(world.publisher.manifestReads).toBeGreaterThan(2);
    } finally {
      await world.close();
    }
  }, 60_000);
});

describe('other feeds beside the same EHR', () => {
  let world: FeedWorld;
  beforeAll(async () => {
    world = await startFeedWorld({ view: 'live', maxAgeSeconds: 1 });
  });
  afterAll(async () => world?.close());

  it("the specification's example feed makes connection-live pass, its counts, extensions and references in evidence", async () => {
    // max-age 1: read-through reads the feed again after the EHR, and waits for the interval to do so.
    const feed = await startExampleFeed(EXAMPLE_FEED_DIR, 1);
    try {
      const connection = feedConnection(world, { manifestUrl: feed.manifestUrl, schedule: 'Schedule/10' });
      const run = await evaluatePlan(testPlan([connection], { freshness: FRESHNESS }), { checks: ['coverage'] });
      const live = run.finding('connection-live');
      expect(live.status).toBe('pass');
      expect(live.message).toMatch(/the vendor's Scheduling Links feed answer/);
      const detail = (live.evidence as { vendorSearch: { detail: Record<string, any> } }).vendorSearch.detail;
      expect(detail).toMatchObject({ counts: { Location: 10, Schedule: 10, Slot: 70 }, extensions: { bookingDeepLink: 70, bookingPhone: 70 }, problems: [], warnings: [] });
      expect(detail.references).toMatchObject({ slotSchedule: { resolved: 70, dangling: 0 }, scheduleActor: { resolved: 10, dangling: 0 } });
    } finally {
      await feed.close();
    }
  }, 60_000);

  it('a manifest whose Slot file is missing makes connection-live an error, and nothing is probed', async () => {
    const feed = await startStaticFeed((origin) => ({
      '/$bulk-publish': { body: JSON.stringify({ transactionTime: '2026-01-01T00:00:00Z', output: [{ type: 'Slot', url: `${origin}/slots.ndjson` }], error: [] }), headers: { 'content-type': 'application/json' } },
    }));
    try {
      const run = await evaluatePlan(testPlan([feedConnection(world, { manifestUrl: `${feed.origin}/$bulk-publish` })], { freshness: FRESHNESS }), { checks: [...CHECKS] });
      const live = run.finding('connection-live');
      expect(live.status).toBe('error');
      expect(live.message).toMatch(/Scheduling Links feed unusable .*slots\.ndjson could not be read: HTTP 404/);
      expect(run.finding('read-through').status).toBe('error');
    } finally {
      await feed.close();
    }
  }, 60_000);

  it('a feed a consumer can still use, with flaws, makes connection-live a warning', async () => {
    const feed = await startStaticFeed((origin) => ({
      '/$bulk-publish': { body: JSON.stringify({ transactionTime: '2026-01-01T00:00:00Z', output: [{ type: 'Schedule', url: `${origin}/s.ndjson` }, { type: 'Slot', url: `${origin}/slots.ndjson` }], error: [] }) },
      '/s.ndjson': { body: '{"resourceType":"Schedule","id":"S"}\n' },
      '/slots.ndjson': { body: '{"resourceType":"Slot","id":"x","schedule":{"reference":"Schedule/S"},"status":"free","start":"2026-01-05T09:00:00Z","end":"2026-01-05T09:30:00Z"}\nnot json\n' },
    }));
    try {
      const run = await evaluatePlan(testPlan([feedConnection(world, { manifestUrl: `${feed.origin}/$bulk-publish` })], { freshness: FRESHNESS }), { checks: ['coverage'] });
      const live = run.finding('connection-live');
      expect(live.status).toBe('warn');
      expect(live.message).toMatch(/must skip .*without Cache-Control/);
    } finally {
      await feed.close();
    }
  }, 60_000);
});
