// A SMART Scheduling Links publisher as a vendor channel. The feed is read whole (./feed.ts) and never more often
// than its interval: max(plan minPollSeconds (default 60, as the specification asks of clients), the longest
// Cache-Control max-age its answers carry). In between, every question is answered from the last read, and
// `readTimeOf` tells the freshness probe when that read was made, so a lag is bounded by real reads only.
// A feed cannot book: a person follows a slot's booking deep link or phone. That is a booking delegate's part
// (a person channel, wired by whoever opens this one); without one, booking and registering are `none`.
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { ProbeError } from '../../http/types.js';
import type { SchedulingLinksVendorEndpoint } from '../../model/plan.js';
import type { Slot } from '../../model/fhir.js';
import { monotonicNow, sleep } from '../../timing.js';
import type { FreeSlotsOptions, SlotWindow, VendorAbilities, VendorChannel, VendorLiveness } from '../channel.js';
import type { VendorAnswer } from '../outcome.js';
import { FeedClient, type FeedClientOptions } from './fetch.js';
import { readFeed, type FeedReading } from './feed.js';
import { bookingRouteOf, type BookingDelegate } from './booking.js';
import { localId } from './conformance.js';
import { chooseFeedSchedule } from './schedule.js';

export type { BookingDelegate, BookingRoute } from './booking.js';

export const DEFAULT_MIN_POLL_SECONDS = 60;
/** The longest a question that needs a newer read than the last waits for the interval to pass. */
const MAX_READ_WAIT_MS = 120_000;
const FEED_CANNOT_BOOK = 'a Scheduling Links feed publishes availability only: booking follows the slot\'s deep link or phone, and no person channel is wired for this feed';

export interface SchedulingLinksOptions extends FeedClientOptions {
  booking?: BookingDelegate;
}

/** What a feed channel can do before it is read: its interval is the plan's until a Cache-Control asks for more. */
export function schedulingLinksAbilities(vendor: SchedulingLinksVendorEndpoint, booking?: Pick<BookingDelegate, 'can'>, maxAgeSeconds = 0): VendorAbilities {
  const none = { by: 'none', reason: FEED_CANNOT_BOOK } as const;
  return {
    freeSlots: { by: 'api' },
    book: booking?.can.book ?? none,
    bookingKey: booking?.can.bookingKey ?? false,
    findBooking: booking?.can.findBooking ?? { by: 'none', reason: 'a feed publishes availability; it keeps no bookings' },
    registerPatient: booking?.can.registerPatient ?? none,
    readIntervalMs: Math.max(vendor.minPollSeconds ?? DEFAULT_MIN_POLL_SECONDS, maxAgeSeconds) * 1000,
  };
}

export class SchedulingLinksChannel implements VendorChannel {
  readonly kind = 'scheduling-links';
  readonly personSteps?: VendorChannel['personSteps'];
  private readonly client: FeedClient;
  private readonly booking: BookingDelegate | undefined;
  private last: FeedReading | undefined;
  /** The last read that failed, and why: its answer until the interval has passed. */
  private failed: { sentAt: number; error: unknown } | undefined;
  /** The read in flight, and when it was sent. */
  private reading: { sentAt: number; done: Promise<FeedReading> } | undefined;
  /** When each answer of `freeSlots` was read from the publisher. */
  private readonly readTimes = new WeakMap<readonly Slot[], FeedReading['readAt']>();

  constructor(
    private readonly vendor: SchedulingLinksVendorEndpoint,
    options: SchedulingLinksOptions = {},
  ) {
    const { booking, ...client } = options;
    this.client = new FeedClient(client);
    this.booking = booking;
    if (booking?.personSteps) this.personSteps = (mark) => booking.personSteps!(mark);
  }

  get log() {
    return this.client.log;
  }

  get can(): VendorAbilities {
    return schedulingLinksAbilities(this.vendor, this.booking, this.last?.maxAgeSeconds);
  }

  /** The shortest span between two reads of the feed: the error bound of any lag measured by reading it. */
  get readIntervalMs(): number {
    return this.can.readIntervalMs!;
  }

  /**
   * The last reading while it is younger than the interval; else a new one (callers at once share it). With
   * `readAfter`, a reading sent after that moment: a newer one is waited for (the interval still holds), unless
   * that would take longer than MAX_READ_WAIT_MS, when the last reading is the best there is.
   */
  async current(readAfter?: number): Promise<FeedReading> {
    for (;;) {
      const last = this.last;
      const age = last ? monotonicNow() - last.readAt.sentAt : Infinity;
      if (last && age < this.readIntervalMs) {
        if (readAfter === undefined || last.readAt.sentAt >= readAfter) return last;
        const wait = this.readIntervalMs - age;
        if (wait > MAX_READ_WAIT_MS) return last;
        await sleep(wait + 1);
        continue;
      }
      if (this.reading) {
        if (readAfter === undefined || this.reading.sentAt >= readAfter) return this.reading.done;
        await this.reading.done.catch(() => undefined);
        continue;
      }
      // A read that failed counts as a read: the publisher is not asked again before the interval has passed.
      const failed = this.failed;
      if (failed && monotonicNow() - failed.sentAt < this.readIntervalMs) throw failed.error;
      const sentAt = monotonicNow();
      const done = readFeed(this.client, this.vendor.manifestUrl).then(
        (reading) => ((this.last = reading), (this.reading = undefined), (this.failed = undefined), reading),
        (error: unknown) => {
          this.reading = undefined;
          this.failed = { sentAt, error };
          throw error;
        },
      );
      this.reading = { sentAt, done };
      return done;
    }
  }

  async liveness(schedule?: string): Promise<VendorLiveness> {
    const feed = await this.current();
    const choice = chooseFeedSchedule(feed.resources.schedules.values(), this.vendor.schedule, schedule);
    const problems = [...feed.conformance.problems];
    if ('problem' in choice && feed.conformance.problems.length === 0) problems.push(choice.problem);
    const detail = { ...feedDetail(feed, this.readIntervalMs), schedule: 'problem' in choice ? { problem: choice.problem } : choice };
    if (problems.length > 0) return { ok: false, cause: 'feed', status: feed.manifestStatus, message: `the feed cannot be used: ${problems.join('; ')}`, detail };
    const { warnings } = feed.conformance;
    return { ok: true, status: feed.manifestStatus, detail, ...(warnings.length > 0 && { warnings: [...warnings] }) };
  }

  async freeSlots(schedule: string, window: SlotWindow, options: FreeSlotsOptions = {}): Promise<Slot[]> {
    const feed = await this.current(options.readAfter);
    if (feed.conformance.problems.length > 0) throw new ProbeError('http', `the feed cannot be used: ${feed.conformance.problems.join('; ')}`, { url: feed.manifestUrl });
    const choice = chooseFeedSchedule(feed.resources.schedules.values(), this.vendor.schedule, schedule);
    if ('problem' in choice) throw new ProbeError('config', choice.problem, { url: feed.manifestUrl });
    const from = Date.parse(window.start);
    const to = Date.parse(window.end);
    const wanted = new Set(choice.ids);
    const slots: Slot[] = [];
    for (const s of feed.resources.slots) {
      const start = typeof s.start === 'string' ? Date.parse(s.start) : NaN;
      const reference = (s.schedule as { reference?: unknown } | undefined)?.reference;
      if (s.status !== 'free' || !(start >= from && start < to) || typeof s.end !== 'string') continue;
      if (!wanted.has(localId(reference, 'Schedule') ?? '')) continue;
      slots.push({ resourceType: 'Slot', id: s.id, status: 'free', start: s.start as string, end: s.end, schedule: { reference: reference as string } });
    }
    this.readTimes.set(slots, feed.readAt);
    return slots;
  }

  /** When the read behind this answer of `freeSlots` was sent and answered (monotonic ms). */
  readTimeOf(answer: readonly Slot[]): { sentAt: number; answeredAt: number } | undefined {
    return this.readTimes.get(answer);
  }

  book(appointment: Appointment, bookingIdentifier: string): Promise<VendorAnswer> {
    if (!this.booking) return Promise.reject(new Error(`cannot book: ${FEED_CANNOT_BOOK}`));
    const feed = this.last;
    const ehrSchedule = appointment.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Schedule/'));
    const choice = feed && chooseFeedSchedule(feed.resources.schedules.values(), this.vendor.schedule, ehrSchedule);
    const route = feed && choice && 'ids' in choice ? bookingRouteOf(feed, appointment, choice.ids) : undefined;
    return this.booking.book(appointment, bookingIdentifier, route);
  }

  async findBooking(bookingIdentifier: string): Promise<Appointment[]> {
    return this.booking?.findBooking ? this.booking.findBooking(bookingIdentifier) : [];
  }

  registerPatient(patient: Patient, matchIdentifier: string): Promise<VendorAnswer> {
    if (!this.booking) return Promise.reject(new Error(`cannot register a patient: ${FEED_CANNOT_BOOK}`));
    return this.booking.registerPatient(patient, matchIdentifier);
  }

  async close(): Promise<void> {
    await Promise.all([this.client.close(), this.booking?.close?.()]);
  }
}

/** The reading as the connection-live finding shows it: the manifest, the counts, extensions and references. */
function feedDetail(feed: FeedReading, readIntervalMs: number): Record<string, unknown> {
  const c = feed.conformance;
  return {
    manifestUrl: feed.manifestUrl,
    manifestStatus: feed.manifestStatus,
    ...(feed.manifest?.transactionTime && { transactionTime: feed.manifest.transactionTime }),
    cacheControl: feed.cacheControl ?? null,
    maxAgeSeconds: feed.maxAgeSeconds ?? null,
    readIntervalMs,
    outputs: feed.manifest ? { ...countBy(feed.manifest.outputs.map((o) => o.type)), other: feed.manifest.otherOutputs, errors: feed.manifest.errors } : null,
    files: c.files.slice(0, 10),
    ...(c.files.length > 10 && { filesOmitted: c.files.length - 10 }),
    counts: c.counts,
    extensions: c.extensions,
    references: c.references,
    problems: c.problems,
    warnings: c.warnings,
  };
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
