// The EHR's side of the burst: looking, while it runs and after, for each booking key in the EHR (many keys per
// search), and the final count: per key, how many active Appointments; per booked slot, any that carry no key.
import type { ConnectionContext } from '../../context.js';
import { ehrAppointmentsForBookings, ehrBookingsOnSlots, type KeyedBooking } from '../../ehr/bookings-at-volume.js';
import { ACTIVE_APPOINTMENT } from '../../ehr/removal.js';
import type { Appointment } from '../../model/fhir.js';
import { bookingKeyOf } from '../../safety/run-records.js';
import { monotonicNow, sleep } from '../../timing.js';
import type { UnkeyedBookings } from './types.js';

/** One look at the EHR: when its searches went out and when the last answered (ms on the burst's clock). */
interface Look {
  sentMs: number;
  answeredMs: number;
}

/**
 * Looks for the keys it is given, again and again, and notes for each the last look that missed it and the first
 * that saw it: the lag of a booking lies between them. Look failures are kept (the first few) and looking goes on.
 */
export class LandingWatch {
  private readonly lastMiss = new Map<string, Look>();
  private readonly firstSight = new Map<string, Look>();
  readonly errors: string[] = [];

  /** Each key's booking: an EHR without identifier search is searched by its slot, or its patient and day. */
  private readonly bookingOf = new Map<string, KeyedBooking>();

  constructor(
    private readonly ctx: ConnectionContext,
    bookings: readonly KeyedBooking[],
    /** The burst's clock: monotonic ms when it began. */
    private readonly clock: number,
    readonly intervalMs: number,
  ) {
    for (const b of bookings) this.bookingOf.set(b.key, b);
  }

  seen(key: string): boolean {
    return this.firstSight.has(key);
  }

  /** Where the booking's lag lies, for a request sent and answered at these times (burst ms); null: never seen. */
  lagOf(key: string, sentMs: number, answeredMs: number): { lagMs: number; lowMs: number; highMs: number } | null {
    const sight = this.firstSight.get(key);
    if (!sight) return null;
    const miss = this.lastMiss.get(key);
    // As in src/freshness/lag.ts: seen by the first sight's answer, not yet by the last miss's start.
    const lowMs = miss ? Math.max(0, Math.round(miss.sentMs - answeredMs)) : 0;
    const highMs = Math.max(lowMs, Math.round(sight.answeredMs - sentMs));
    return { lagMs: Math.round((lowMs + highMs) / 2), lowMs, highMs };
  }

  /** One look for these keys. */
  async look(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const sentMs = monotonicNow() - this.clock;
    let found: Appointment[];
    try {
      found = await ehrAppointmentsForBookings(this.ctx, keys.flatMap((key) => this.bookingOf.get(key) ?? []));
    } catch (error) {
      if (this.errors.length < 5) this.errors.push(error instanceof Error ? error.message : String(error));
      return;
    }
    const look = { sentMs, answeredMs: monotonicNow() - this.clock };
    const active = new Set(found.filter((a) => ACTIVE_APPOINTMENT.has(a.status)).map(bookingKeyOf));
    for (const key of keys) {
      if (this.firstSight.has(key)) continue;
      if (active.has(key)) this.firstSight.set(key, look);
      else this.lastMiss.set(key, look);
    }
  }

  /** Looks every `intervalMs` for the keys `pending()` names, until `stop()` is called or the run is interrupted. */
  follow(pending: () => string[]): { stop(): Promise<void> } {
    let running = true;
    const loop = (async () => {
      while (running && !this.ctx.signal.aborted) {
        const started = monotonicNow();
        await this.look(pending().filter((k) => !this.seen(k)));
        await sleep(Math.max(0, this.intervalMs - (monotonicNow() - started)), this.ctx.signal);
      }
    })();
    return {
      stop: async () => {
        running = false;
        await loop;
      },
    };
  }

  /** Looks until every one of `keys` is seen or `timeoutMs` passes; returns how long it waited. */
  async waitFor(keys: readonly string[], timeoutMs: number): Promise<number> {
    const started = monotonicNow();
    for (;;) {
      const missing = keys.filter((k) => !this.seen(k));
      const waited = monotonicNow() - started;
      if (missing.length === 0 || waited >= timeoutMs || this.ctx.signal.aborted) return Math.round(waited);
      await this.look(missing);
      if (keys.every((k) => this.seen(k))) return Math.round(monotonicNow() - started);
      await sleep(Math.min(this.intervalMs, Math.max(0, timeoutMs - (monotonicNow() - started))), this.ctx.signal);
    }
  }
}

export interface Census {
  /** Per key: every Appointment the EHR holds for it, active or not. */
  byKey: Map<string, Appointment[]>;
  unkeyed: UnkeyedBookings[];
}

/**
 * What the EHR holds at the end: the Appointments of every key, and, where the EHR lists a slot's bookings, the
 * active ones on each booked slot that carry none of the run's keys (a vendor that drops the key still books).
 */
export async function countInEhr(ctx: ConnectionContext, bookings: readonly KeyedBooking[], searchSlots: boolean): Promise<Census> {
  const keys = bookings.map((b) => b.key);
  const slots = bookings.map((b) => b.slot);
  const found = await ehrAppointmentsForBookings(ctx, bookings);
  const byKey = new Map<string, Appointment[]>(keys.map((k) => [k, []]));
  for (const a of found) byKey.get(bookingKeyOf(a) ?? '')?.push(a);
  if (!searchSlots) return { byKey, unkeyed: [] };
  const ours = new Set(keys);
  const onSlots = await ehrBookingsOnSlots(ctx, slots);
  const unkeyed = slots.flatMap((slot) => {
    const strays = (onSlots.get(slot) ?? []).filter((a) => !ours.has(bookingKeyOf(a) ?? ''));
    return strays.length ? [{ slot, appointmentIds: strays.map((a) => a.id ?? '?') }] : [];
  });
  return { byKey, unkeyed };
}
