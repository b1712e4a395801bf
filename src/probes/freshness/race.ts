// The double-booking race: take one free slot in the EHR and book it through the vendor at the same moment,
// then read what the EHR holds. A vendor that checks a cache (or nothing) before writing, on an EHR that
// accepts a second booking, double-books; one that confirms what the EHR refused leaves a patient who
// believes they are booked. The verdict is read from the EHR, never from the vendor's answer.
import { monotonicNow, watchForChange } from '../../freshness/poll.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../../safety/types.js';
import type { ConnectionContext } from '../context.js';
import { bookingRequest, bookViaVendor, ehrBookingsOnSlot, ehrAppointmentsByKey, ACTIVE_APPOINTMENT, runKey, type Appointment, type Slot } from '../ehr-ops.js';
import { describeError, sleep } from '../outcome.js';
import { removeBookings } from './lag-trials.js';
import { onSlot, runTrials, sinceStart, startClock, type TrialClock } from './concurrent.js';
import { ehrHoldsBooking, SlotPool, type SlotSource } from './slots.js';
import type { RaceAttempt, RaceData, RaceOrder } from './types.js';

export type EhrTakeMethod = RaceAttempt['ehrMethod'];

export interface RaceRun {
  attempts: number;
  /** Where attempts take their slots; raceOnce takes its slot from here. */
  pool: SlotSource;
  /** Each attempt's slot, reserved ahead in order (./concurrent.ts); taken from `pool` when absent. */
  slots?: SlotSource[];
  patientId: string;
  /** How the EHR side takes the slot, chosen from the CapabilityStatement (switched if the EHR refuses it). */
  ehrMethod: EhrTakeMethod;
  /** How long a 202-queued vendor booking is waited for, to see whether it lands as a second booking. */
  queueWaitMs: number;
  /** When the connection's trials began, and when attempt i is launched after that (default: all at once). */
  clock?: TrialClock;
  launchMs?(attempt: number): number;
  progress(trial: number): void;
}

/** Ordering offsets: both at once, then each side ahead by a few milliseconds. */
const ORDERS: ReadonlyArray<{ order: RaceOrder; vendorDelayMs: number; ehrDelayMs: number }> = [
  { order: 'simultaneous', vendorDelayMs: 0, ehrDelayMs: 0 },
  { order: 'vendor-first', vendorDelayMs: 0, ehrDelayMs: 5 },
  { order: 'ehr-first', vendorDelayMs: 5, ehrDelayMs: 0 },
];
const NOT_SUPPORTED = new Set([403, 404, 405, 501]);

/** The attempts run at once, each on its own slot: one race cannot see another's slot or bookings. */
export async function raceForSlots(ctx: ConnectionContext, run: RaceRun): Promise<RaceData> {
  const attempts: RaceAttempt[] = [];
  const clock = run.clock ?? startClock();
  let method = run.ehrMethod;
  const onItsSlot = (c: ConnectionContext, source: SlotSource, i: number, how: EhrTakeMethod) =>
    taking(c, source, run.pool, async (slot) => {
      const startMs = sinceStart(clock);
      return { ...(await raceOnce(c, { ...run, pool: { take: async () => slot } }, ORDERS[i % ORDERS.length]!, how)), startMs };
    });
  await runTrials(ctx, run.attempts, clock, run.launchMs ?? (() => 0), async (i, c) => {
    run.progress(i);
    let attempt = await onItsSlot(c, run.slots?.[i] ?? run.pool, i, method);
    if (attempt.ehrMethod === 'ehr-appointment' && attempt.ehrStatus !== null && NOT_SUPPORTED.has(attempt.ehrStatus)) {
      // The EHR does not take Appointments by API: this attempt was no race. Redo it on a fresh slot with a Slot
      // update; attempts that start later use one from the outset.
      method = 'slot-update';
      attempt = await onItsSlot(c, run.pool, i, 'slot-update');
    }
    attempts[i] = attempt;
  });
  return { attempts: attempts.filter(Boolean), interrupted: ctx.signal.aborted };
}

/** Takes a slot from `source` for one attempt and hands it back to a pool afterwards (a plain source keeps it). */
function taking<R>(ctx: ConnectionContext, source: SlotSource, pool: SlotSource, body: (slot: Slot) => Promise<R>): Promise<R> {
  return pool instanceof SlotPool ? onSlot(ctx, source, pool, body) : source.take(ctx).then(body);
}

async function raceOnce(ctx: ConnectionContext, run: RaceRun, plan: (typeof ORDERS)[number], method: EhrTakeMethod): Promise<RaceAttempt> {
  const slot = await run.pool.take(ctx);
  const vendorKey = runKey(ctx.runId, 'race');
  const ehrKey = runKey(ctx.runId, 'race-ehr');
  try {
    const [vendor, ehr] = await Promise.all([
      after(plan.vendorDelayMs, () => bookViaVendor(ctx, slot, run.patientId, vendorKey)).then(
        (res) => ({ status: res.status as number | null, error: undefined }),
        (error: unknown) => ({ status: null, error: describeError(error) }),
      ),
      after(plan.ehrDelayMs, () => takeSlotInEhr(ctx, slot, run.patientId, ehrKey, method)).then(
        (status) => ({ status: status as number | null, error: undefined }),
        (error: unknown) => ({ status: null, error: describeError(error) }),
      ),
    ]);
    let queuedWaitMs: number | undefined;
    if (vendor.status === 202) {
      // Queued for later entry: does it land later, as a second booking on a slot the EHR gave away?
      const t = monotonicNow();
      await watchForChange(async () => ((await ehrHoldsBooking(ctx, vendorKey, { slot, patientId: run.patientId })) ? 'new' : 'old'), {
        change: { sentAt: t, answeredAt: t },
        timeoutMs: run.queueWaitMs,
        signal: ctx.signal,
      });
      queuedWaitMs = Math.round(monotonicNow() - t);
    }
    const onSlot = await ehrBookingsOnSlot(ctx, slot.id);
    const hint = { slot, patientId: run.patientId };
    const vendorBookingHeld = await ehrHoldsBooking(ctx, vendorKey, hint);
    const ehrHeld = (await ehrAppointmentsByKey(ctx, ehrKey, hint)).some((a) => ACTIVE_APPOINTMENT.has(a.status));
    const ehrBlockHeld = method === 'slot-update' ? ehr.status !== null && ehr.status < 300 : ehrHeld;
    const doubleBooked = onSlot.length >= 2 || (method === 'slot-update' && ehrBlockHeld && vendorBookingHeld);
    // On an EHR that accepts overbooking, the EHR side may book after the vendor's booking was already in:
    // that second booking is the EHR's own doing, which no vendor can prevent. The EHR's timestamps tell.
    const vendorBookedFirst = doubleBooked && method === 'ehr-appointment' && bookedBefore(onSlot, vendorKey, ehrKey);
    return {
      order: plan.order,
      offsetMs: Math.abs(plan.vendorDelayMs - plan.ehrDelayMs),
      slot: slot.id,
      ehrMethod: method,
      ehrStatus: ehr.status,
      ...(ehr.error ? { ehrError: ehr.error } : {}),
      vendorStatus: vendor.status,
      ...(vendor.error ? { vendorError: vendor.error } : {}),
      ...(queuedWaitMs !== undefined ? { queuedWaitMs } : {}),
      ehrAppointmentIds: onSlot.map((a) => a.id ?? '?'),
      vendorBookingHeld,
      ehrBlockHeld,
      doubleBooked,
      vendorBookedFirst,
      confirmedNotHeld: (vendor.status === 200 || vendor.status === 201) && !vendorBookingHeld,
    };
  } finally {
    // Undo both sides: remove what either booked, and free the slot if the EHR-side block was a Slot update.
    await removeBookings(ctx, [vendorKey, ehrKey], slot.id).catch(() => undefined);
  }
}

/** The EHR side of the race: an EHR-side Appointment on the slot, or a Slot update guarded by If-Match. */
async function takeSlotInEhr(ctx: ConnectionContext, slot: Slot, patientId: string, key: string, method: EhrTakeMethod): Promise<number> {
  const previous = { id: slot.id, previousStatus: slot.status };
  if (method === 'ehr-appointment') {
    const identifier = `${BOOKING_IDENTIFIER_SYSTEM}|${key}`;
    const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'book', resourceType: 'Appointment', identifier, slot: previous });
    const res = await ctx.ehr.create(bookingRequest(ctx, slot, patientId, key));
    // A refusal's OperationOutcome may carry an id of its own ("conflict"): only a created booking's id is kept.
    await ctx.ledger.done(seq, { status: res.status, id: res.status < 300 ? res.body?.id : undefined });
    return res.status;
  }
  const version = slot.meta?.versionId;
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'block-slot', resourceType: 'Slot', id: slot.id, slot: previous });
  const res = await ctx.ehr.update({ ...slot, status: 'busy', meta: undefined }, version ? { ifMatch: `W/"${version}"` } : {});
  await ctx.ledger.done(seq, { status: res.status, id: slot.id });
  return res.status;
}

/** Whether the EHR recorded the booking with key `first` strictly before the one with key `second`. */
function bookedBefore(onSlot: Appointment[], first: string, second: string): boolean {
  const at = (key: string) => {
    const found = onSlot.find((a) => a.identifier?.some((i) => i.system === BOOKING_IDENTIFIER_SYSTEM && i.value === key));
    return typeof found?.meta?.lastUpdated === 'string' ? Date.parse(found.meta.lastUpdated) : Number.NaN;
  };
  const a = at(first);
  const b = at(second);
  return Number.isFinite(a) && Number.isFinite(b) && a < b;
}

async function after<T>(ms: number, action: () => Promise<T>): Promise<T> {
  if (ms > 0) await sleep(ms);
  return action();
}
