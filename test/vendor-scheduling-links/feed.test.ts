// The scheduling-links channel as a feed's consumer: the specification's example feed read whole from loopback,
// broken feeds reported as problems (unusable) or warnings (usable with flaws), never a crash, and a feed never
// read more often than max(minPollSeconds, Cache-Control max-age).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExampleFeed, type ExampleFeed } from '../../fixtures/vendors/scheduling-links/example-feed.js';
import { startStaticFeed, type FixedAnswer, type StaticFeed } from '../../fixtures/vendors/scheduling-links/static-feed.js';
import { openVendorChannel, vendorAbilities } from '../../src/vendor/index.js';
import { SchedulingLinksChannel, type BookingDelegate } from '../../src/vendor/scheduling-links/channel.js';
import { FEED_LIMITS } from '../../src/vendor/scheduling-links/feed.js';
import type { SchedulingLinksVendorEndpoint } from '../../src/model/plan.js';
import { monotonicNow } from '../../src/timing.js';
import { closedPortUrl } from '../helpers/world.js';
import { EXAMPLE_FEED_DIR } from './world.js';

const CLIENT = { connectTimeoutMs: 2_000, totalTimeoutMs: 5_000, retry: { maxRetries: 0 } };
const open = (vendor: Partial<SchedulingLinksVendorEndpoint> & { manifestUrl: string }) => new SchedulingLinksChannel({ kind: 'scheduling-links', minPollSeconds: 1, ...vendor }, CLIENT);

describe('the specification example feed, served from loopback', () => {
  let feed: ExampleFeed;
  let channel: SchedulingLinksChannel;
  beforeAll(async () => {
    feed = await startExampleFeed(EXAMPLE_FEED_DIR, 120);
    channel = open({ manifestUrl: feed.manifestUrl, schedule: 'Schedule/10' });
  });
  afterAll(async () => {
    await channel?.close();
    await feed?.close();
  });

  it('is read without a problem or a warning, with its counts, extensions and references in the detail', async () => {
    const live = await channel.liveness();
    expect(live.ok).toBe(true);
    expect(live.warnings).toBeUndefined();
    const detail = live.detail as Record<string, any>;
    expect(detail.counts).toEqual({ Location: 10, Schedule: 10, Slot: 70, freeSlots: expect.any(Number) });
    expect(detail.extensions.bookingDeepLink).toBe(70);
    expect(detail.extensions.bookingPhone).toBe(70);
    expect(detail.extensions.other['http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity']).toBe(70);
    expect(detail.references.slotSchedule).toMatchObject({ resolved: 70, dangling: 0 });
    expect(detail.references.scheduleActor).toMatchObject({ resolved: 10, dangling: 0 });
    expect(detail).toMatchObject({ cacheControl: 'public, max-age=120', maxAgeSeconds: 120, readIntervalMs: 120_000, transactionTime: '2021-04-22T14:28:21.582Z' });
    expect(detail.schedule).toEqual({ ids: ['10'], how: "the plan's vendor.schedule names Schedule/10" });
    expect(detail.problems).toEqual([]);
  });

  it("lists the named Schedule's free slots in a window, with the feed's ids and instants", async () => {
    const slots = await channel.freeSlots('Schedule/ehr-schedule', { start: '2021-03-01T00:00:00Z', end: '2021-03-08T00:00:00Z' });
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.schedule?.reference === 'Schedule/10' && s.status === 'free' && s.start! >= '2021-03-01' && s.start! < '2021-03-08')).toBe(true);
    expect(await channel.freeSlots('Schedule/ehr-schedule', { start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z' })).toEqual([]);
  });

  it('honours the max-age longer than minPollSeconds: one read of each file however often it is asked', async () => {
    await channel.freeSlots('Schedule/x', { start: '2021-03-01T00:00:00Z', end: '2021-03-02T00:00:00Z' });
    await channel.liveness();
    expect(feed.hits.get('/examples/$bulk-publish')).toBe(1);
    expect(feed.hits.get('/examples/slots-2021-W09.ndjson')).toBe(1);
    expect(channel.can.readIntervalMs).toBe(120_000);
  });

  it('serves the NDJSON byte for byte; the manifest differs only in its URLs and the outputs not kept', async () => {
    for (const [served, kept] of [['slots-2021-W09.ndjson', 'smart-scheduling-links-slots-2021-W09.ndjson'], ['locations.ndjson', 'smart-scheduling-links-locations.ndjson'], ['schedules.ndjson', 'smart-scheduling-links-schedules.ndjson']]) {
      const bytes = Buffer.from(await (await fetch(`${feed.origin}/examples/${served}`)).arrayBuffer());
      expect(bytes.equals(await readFile(join(EXAMPLE_FEED_DIR, kept!))), served).toBe(true);
    }
    const original = JSON.parse(await readFile(join(EXAMPLE_FEED_DIR, 'smart-scheduling-links-bulk-publish.json'), 'utf8'));
    const manifest = await (await fetch(feed.manifestUrl)).json();
    const published = 'https://raw.githubusercontent.com/smart-on-fhir/smart-scheduling-links/master/examples/';
    const here = `${feed.origin}/examples/`;
    expect(manifest.transactionTime).toBe(original.transactionTime);
    expect(manifest.output).toEqual(original.output.slice(0, 3).map((o: { url: string }) => ({ ...o, url: o.url.replace(published, here) })));
    expect(original.output.slice(3).map((o: { url: string }) => o.url.slice(published.length))).toEqual(['slots-2021-W10.ndjson', 'slots-2021-W11.ndjson', 'slots-2021-W12.ndjson', 'slots-2021-W13.ndjson']);
  });

  it('without a plan schedule, several feed Schedules and no match for the EHR schedule: not usable, and says how to fix it', async () => {
    const unnamed = open({ manifestUrl: feed.manifestUrl });
    try {
      const live = await unnamed.liveness('Schedule/dr-lee');
      expect(live).toMatchObject({ ok: false, cause: 'feed' });
      expect(live.message).toMatch(/none of the feed's 10 Schedules .* vendor\.schedule/);
      // The feed's own ids stand in for an EHR that kept them.
      expect((await unnamed.liveness('Schedule/11')).ok).toBe(true);
    } finally {
      await unnamed.close();
    }
  });
});

const MANIFEST_OK = (origin: string, files: string[] = ['slots.ndjson']) =>
  JSON.stringify({
    transactionTime: '2026-01-01T00:00:00Z',
    request: `${origin}/$bulk-publish`,
    output: [{ type: 'Location', url: `${origin}/locations.ndjson` }, { type: 'Schedule', url: `${origin}/schedules.ndjson` }, ...files.map((f) => ({ type: 'Slot', url: `${origin}/${f}` }))],
    error: [],
  });
const LOCATION = '{"resourceType":"Location","id":"L"}\n';
const SCHEDULE = '{"resourceType":"Schedule","id":"S","actor":[{"reference":"Location/L"}]}\n';
const slot = (id: string, schedule = 'S') =>
  JSON.stringify({ resourceType: 'Slot', id, schedule: { reference: `Schedule/${schedule}` }, status: 'free', start: '2026-01-05T09:00:00Z', end: '2026-01-05T09:30:00Z', extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-phone', valueString: '555-0100' }] });
const json = (body: string, status = 200): FixedAnswer => ({ status, body, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=1' } });
const ndjson = (body: string, status = 200): FixedAnswer => ({ status, body, headers: { 'content-type': 'application/fhir+ndjson', 'cache-control': 'max-age=1' } });

/** A feed with one Location, one Schedule and one good Slot, with `change` laid over its answers. */
function feedWith(change: (origin: string) => Record<string, FixedAnswer>) {
  return (origin: string): Record<string, FixedAnswer> => ({
    '/$bulk-publish': json(MANIFEST_OK(origin)),
    '/locations.ndjson': ndjson(LOCATION),
    '/schedules.ndjson': ndjson(SCHEDULE),
    '/slots.ndjson': ndjson(`${slot('a')}\n`),
    ...change(origin),
  });
}

describe('broken feeds: a problem makes the feed unusable, a flaw a consumer can work around is a warning', () => {
  const running: Array<StaticFeed | SchedulingLinksChannel> = [];
  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.close();
  });
  const liveness = async (answers: (origin: string) => Record<string, FixedAnswer>) => {
    const feed = await startStaticFeed(feedWith(answers));
    const channel = open({ manifestUrl: `${feed.origin}/$bulk-publish` });
    running.push(feed, channel);
    return { live: await channel.liveness(), channel };
  };

  it('the well-formed feed is live and clean', async () => {
    const { live } = await liveness(() => ({}));
    expect(live).toMatchObject({ ok: true, status: 200 });
    expect(live.warnings).toBeUndefined();
  });

  it.each([
    ['a manifest that is not JSON', () => ({ '/$bulk-publish': json('<html>sign in</html>') }), /manifest is not JSON/],
    ['a manifest without output', () => ({ '/$bulk-publish': json('{"transactionTime":"2026-01-01T00:00:00Z"}') }), /no `output` array/],
    ['a manifest answering 404', () => ({ '/$bulk-publish': json('{}', 404) }), /manifest answered HTTP 404/],
    ['a manifest with no Slot output', (o: string) => ({ '/$bulk-publish': json(MANIFEST_OK(o, [])) }), /no Slot output/],
    ['a Slot file that answers 404', (o: string) => ({ '/$bulk-publish': json(MANIFEST_OK(o, ['slots.ndjson', 'gone.ndjson'])) }), /gone\.ndjson could not be read: HTTP 404/],
    ['a Slot file where no line parses', () => ({ '/slots.ndjson': ndjson('not json\n{"broken":\n') }), /holds no usable Slot \(line 1: not JSON\)/],
    ['a Slot file of Schedules', () => ({ '/slots.ndjson': ndjson(SCHEDULE) }), /line 1 is a Schedule, not a Slot/],
  ])('%s is an unusable feed', async (_what, answers, message) => {
    const { live, channel } = await liveness(answers);
    expect(live).toMatchObject({ ok: false, cause: 'feed' });
    expect(live.message).toMatch(message);
    await expect(channel.freeSlots('Schedule/S', { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' })).rejects.toMatchObject({ name: 'ProbeError' });
  });

  it.each([
    ['a bad line among good ones', () => ({ '/slots.ndjson': ndjson(`${slot('a')}\n{oops\n${slot('b')}\n`) }), /1 line\(s\) a consumer must skip \(line 2: not JSON\)/],
    ['a Slot naming a Schedule the feed lacks', () => ({ '/slots.ndjson': ndjson(`${slot('a')}\n${slot('b', 'nowhere')}\n`) }), /1 Slot\(s\) name no Schedule of the feed \(e\.g\. Slot\/b\)/],
    ['a Schedule whose actor is no Location of the feed', () => ({ '/schedules.ndjson': ndjson('{"resourceType":"Schedule","id":"S","actor":[{"reference":"Location/elsewhere"}]}\n') }), /name no Location of the feed/],
    ['a Slot without a start', () => ({ '/slots.ndjson': ndjson(`${slot('a')}\n${slot('b').replace('"start":"2026-01-05T09:00:00Z",', '')}\n`) }), /1 Slot\(s\) lack a valid status, start or end \(e\.g\. Slot\/b\)/],
    ['a manifest without Cache-Control', (o: string) => ({ '/$bulk-publish': { body: MANIFEST_OK(o), headers: { 'content-type': 'application/json' } } }), /without Cache-Control max-age/],
    ['a free slot with no booking route', () => ({ '/slots.ndjson': ndjson(`${slot('a').replace(/,"extension":\[.*\]/, '')}\n`) }), /neither a booking-deep-link nor a booking-phone/],
  ])('%s is usable, with a warning', async (_what, answers, warning) => {
    const { live, channel } = await liveness(answers);
    expect(live.ok).toBe(true);
    expect(live.warnings?.join('\n')).toMatch(warning);
    expect((await channel.freeSlots('Schedule/S', { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' })).map((s) => s.id)).toContain('a');
  });

  it('a file over the size cap is cut off, and the feed is unusable', async () => {
    const big = Array.from({ length: 60 }, (_, i) => slot(`s${i}`)).join('\n');
    const feed = await startStaticFeed(feedWith(() => ({ '/slots.ndjson': ndjson(big) })));
    const channel = new SchedulingLinksChannel({ kind: 'scheduling-links', manifestUrl: `${feed.origin}/$bulk-publish`, minPollSeconds: 1 }, { ...CLIENT, maxResponseBytes: 4_000 });
    running.push(feed, channel);
    const live = await channel.liveness();
    expect(live).toMatchObject({ ok: false, cause: 'feed' });
    expect(live.message).toMatch(/slots\.ndjson could not be read: .*4000-byte response cap/);
  });

  it('a feed larger than the bound on a whole read is not read past it', async () => {
    const files = ['w1', 'w2', 'w3', 'w4', 'w5'].map((w) => `${w}.ndjson`);
    const feed = await startStaticFeed(feedWith((origin) => ({
      '/$bulk-publish': json(MANIFEST_OK(origin, files)),
      ...Object.fromEntries(files.map((f, i) => [`/${f}`, ndjson(`${slot(`s${i}`)}\n`)])),
    })));
    const channel = open({ manifestUrl: `${feed.origin}/$bulk-publish` });
    running.push(feed, channel);
    const saved = FEED_LIMITS.maxBytes;
    FEED_LIMITS.maxBytes = 1_000;
    try {
      const live = await channel.liveness();
      expect(live).toMatchObject({ ok: false, cause: 'feed' });
      expect(live.message).toMatch(/w\d\.ndjson could not be read: not read: the feed passed 1000 bytes in all/);
      expect(feed.hits.get('/w5.ndjson')).toBeUndefined();
    } finally {
      FEED_LIMITS.maxBytes = saved;
    }
  });

  it('a question that needs a read made after a moment waits for the interval, then reads again', async () => {
    const feed = await startStaticFeed(feedWith(() => ({})));
    const channel = open({ manifestUrl: `${feed.origin}/$bulk-publish`, minPollSeconds: 1 });
    running.push(feed, channel);
    const window = { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' };
    await channel.liveness();
    const mark = monotonicNow();
    const slots = await channel.freeSlots('S', window, { readAfter: mark });
    expect(feed.hits.get('/$bulk-publish')).toBe(2);
    expect(channel.readTimeOf(slots)!.sentAt).toBeGreaterThanOrEqual(mark);
    // The interval still held: the second read came no sooner than a second after the first.
    expect(monotonicNow() - mark).toBeGreaterThanOrEqual(500);
    // A later question without that need is answered from this read.
    await channel.freeSlots('S', window);
    expect(feed.hits.get('/$bulk-publish')).toBe(2);
  });

  it('a feed nobody answers at is a transport error, not a crash', async () => {
    const channel = open({ manifestUrl: await closedPortUrl('/$bulk-publish') });
    running.push(channel);
    await expect(channel.liveness()).rejects.toMatchObject({ name: 'ProbeError', kind: 'connect' });
    // A failed read counts as a read: asked again within the interval, the channel answers with the same failure.
    await expect(channel.freeSlots('S', { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' })).rejects.toMatchObject({ kind: 'connect' });
    expect(channel.log.records).toHaveLength(1);
    expect(channel.log.records[0]).toMatchObject({ method: 'GET', status: null });
  });

  it('is read again only once the interval has passed, and reads at once share one read', async () => {
    const feed = await startStaticFeed(feedWith(() => ({})));
    const channel = open({ manifestUrl: `${feed.origin}/$bulk-publish`, minPollSeconds: 1 });
    running.push(feed, channel);
    const window = { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' };
    const answers = await Promise.all([channel.freeSlots('S', window), channel.freeSlots('S', window), channel.liveness()]);
    expect(feed.hits.get('/$bulk-publish')).toBe(1);
    const first = channel.readTimeOf(answers[0])!;
    expect(first.answeredAt).toBeGreaterThanOrEqual(first.sentAt);
    await channel.freeSlots('S', window);
    expect(feed.hits.get('/$bulk-publish')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = await channel.freeSlots('S', window);
    expect(feed.hits.get('/$bulk-publish')).toBe(2);
    expect(channel.readTimeOf(later)!.sentAt - first.sentAt).toBeGreaterThanOrEqual(1_000);
  });
});

describe('the scheduling-links adapter', () => {
  it('opens a feed channel, and says before reading that a person books at its links and it is read every minPollSeconds', async () => {
    const vendor = { kind: 'scheduling-links' as const, manifestUrl: 'http://127.0.0.1:9/$bulk-publish' };
    const channel = openVendorChannel(vendor, {});
    try {
      expect(channel).toBeInstanceOf(SchedulingLinksChannel);
      const can = vendorAbilities(vendor);
      expect(can).toMatchObject({ freeSlots: { by: 'api' }, book: { by: 'person' }, registerPatient: { by: 'none' }, findBooking: { by: 'none' }, readIntervalMs: 60_000 });
      expect(vendorAbilities({ ...vendor, minPollSeconds: 5 }).readIntervalMs).toBe(5_000);
      // The feed cannot be read here, so no slot has a route: there is no link for a person to follow.
      await expect(channel.book({ resourceType: 'Appointment', status: 'proposed', participant: [] }, 'urn:x|1')).rejects.toThrow(/deep link or phone/);
    } finally {
      await channel.close();
    }
  });

  it("hands booking to a delegate when one is given, takes its abilities, and tells it the feed slot's route", async () => {
    const routes: unknown[] = [];
    const delegate: BookingDelegate = {
      can: { freeSlots: { by: 'person' }, book: { by: 'person' }, bookingKey: false, findBooking: { by: 'none', reason: 'a person' }, registerPatient: { by: 'person' } },
      book: async (_appointment, _key, route) => (routes.push(route), { outcome: 'confirmed', status: 201 }),
      registerPatient: async () => ({ outcome: 'queued', status: 202 }),
    };
    const feed = await startStaticFeed(feedWith(() => ({})));
    const channel = new SchedulingLinksChannel({ kind: 'scheduling-links', manifestUrl: `${feed.origin}/$bulk-publish` }, { ...CLIENT, booking: delegate });
    try {
      expect(channel.can).toMatchObject({ freeSlots: { by: 'api' }, book: { by: 'person' }, registerPatient: { by: 'person' }, readIntervalMs: 60_000 });
      await channel.liveness('Schedule/ehr-1');
      // The EHR's slot at the feed slot's start and end (given as another offset): the feed's route for it.
      const appointment = { resourceType: 'Appointment' as const, status: 'booked' as const, start: '2026-01-05T10:00:00+01:00', end: '2026-01-05T10:30:00+01:00', participant: [{ actor: { reference: 'Schedule/ehr-1' }, status: 'accepted' as const }] };
      expect(await channel.book(appointment, 'urn:x|1')).toEqual({ outcome: 'confirmed', status: 201 });
      expect(await channel.book({ ...appointment, start: '2026-01-05T11:00:00Z', end: '2026-01-05T11:30:00Z' }, 'urn:x|2')).toEqual({ outcome: 'confirmed', status: 201 });
      expect(routes).toEqual([{ feedSlot: 'a', phone: '555-0100' }, undefined]);
      expect(await channel.registerPatient({ resourceType: 'Patient' }, 'urn:x|p')).toEqual({ outcome: 'queued', status: 202 });
    } finally {
      await channel.close();
      await feed.close();
    }
  });
});
