// The double-booking race: take one free slot in the EHR and book it through the vendor at the same moment,
// then read what the EHR holds. A vendor that checks a cache (or nothing) before writing, on an EHR that
// accepts a second booking, double-books; one that confirms what the EHR refused leaves a patient who
// believes they are booked. The verdict is read from the EHR, never from the vendor's answer. The EHR side's
// change is read back too: an attempt whose EHR side the EHR did not take was no race, and is run again the
// next way the EHR allows.
import { watchForChange } from '../../freshness/poll.js';
import { monotonicNow, sleep } from '../../timing.js';
import { outcomeText } from '../../http/outcome.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../../safety/types.js';
import type { ConnectionContext } from '../../context.js';
import { ehrBookingsOnSlot, ehrAppointmentsByKey, type BookingHint } from '../../ehr/ops.js';
import { ACTIVE_APPOINTMENT } from '../../ehr/removal.js';
import type { Appointment, Slot } from '../../model/fhir.js';
import { bookingRequest, runKey } from '../../safety/run-records.js';
import { bookViaVendor } from '../../vendor/requests.js';
import { describeError } from '../../evidence.js';
import { vendorOutcome, type VendorOutcome } from '../../vendor/outcome.js';
import { describeTries, ehrSlotState, stateText, type Premise, type PremiseTry } from '../../ehr/premise.js';
import { CLOSED, writeSlotStatus } from '../../ehr/slot-changes.js';
import { removeBookings } from '../../ehr/take-back.js';
import { onSlot, runTrials, sinceStart, startClock, type TrialClock } from './concurrent.js';
import { ehrHoldsBooking, type SlotPool, type SlotSource, type TakenSlot } from './slots.js';
import type { RaceAttempt, RaceData, RaceOrder } from './types.js';

export type EhrTakeMethod = RaceAttempt['ehrMethod'];

export interface RaceRun {
  attempts: number;
  /** Where slots go back after each attempt, and where an attempt redone the next way takes a fresh one. */
  pool: SlotPool;
  /** Each attempt's slot, reserved ahead in order (./concurrent.ts); taken from `pool` when absent. */
  slots?: SlotSource[];
  patientId: string;
  /** How the EHR side takes the slot, best first, as the CapabilityStatement allows: the next is used when the EHR does not take one. */
  ehrMethods: EhrTakeMethod[];
  /** How long a 202-queued vendor booking is waited for, to see whether it lands as a second booking. */
  queueWaitMs: number;
  /** When the connection's trials began, and when attempt i is launched after that (default: all at once). */
  clock?: TrialClock;
  launchMs?(attempt: number): number;
  progress(trial: number): void;
  /** How the EHR confirmed the test patient. */
  patientPremise?: Premise;
}

/** Ordering offsets: both at once, then each side ahead by a few milliseconds. */
const ORDERS: ReadonlyArray<{ order: RaceOrder; vendorDelayMs: number; ehrDelayMs: number }> = [
  { order: 'simultaneous', vendorDelayMs: 0, ehrDelayMs: 0 },
  { order: 'vendor-first', vendorDelayMs: 0, ehrDelayMs: 5 },
  { order: 'ehr-first', vendorDelayMs: 5, ehrDelayMs: 0 },
];
/** The EHR refused the EHR side because the slot was already taken: a race the vendor won, not a way that failed. */
const TAKEN = new Set([409, 412, 422]);

/**
 * The attempts run at once, each on its own slot: one race cannot see another's slot or bookings. An attempt the
 * EHR's side did not take is redone on a fresh slot of the pool, the next way (its own slot is put back first).
 */
export async function raceForSlots(ctx: ConnectionContext, run: RaceRun): Promise<RaceData> {
  const attempts: RaceAttempt[] = [];
  const clock = run.clock ?? startClock();
  const ways = run.ehrMethods.length ? run.ehrMethods : (['ehr-appointment'] as EhrTakeMethod[]);
  // The first way not yet seen to fail on this EHR: an attempt that starts later skips the ways an earlier one
  // found the EHR does not take. Once every way failed, one attempt says so and the others are not run.
  let from = 0;
  let gaveUp = false;
  const onItsSlot = (c: ConnectionContext, source: SlotSource, i: number, way: number, carried: PremiseTry[]) =>
    onSlot(c, source, run.pool, async (taken) => {
      const startMs = sinceStart(clock);
      return { ...(await raceOnce(c, run, taken, ORDERS[i % ORDERS.length]!, ways[way]!, carried)), startMs };
    });
  await runTrials(ctx, run.attempts, clock, run.launchMs ?? (() => 0), async (i, c) => {
    if (gaveUp) return;
    run.progress(i);
    let source: SlotSource = run.slots?.[i] ?? run.pool;
    let way = from;
    let carried: PremiseTry[] = [];
    for (;;) {
      const attempt = await onItsSlot(c, source, i, way, carried);
      const rival = attempt.premises.find((p) => p.premise === 'rival-booking')!;
      if (rival.confirmed || attempt.ehrStatus === null) return void (attempts[i] = attempt);
      // The EHR did not take its side's change: this attempt was no race. Redo it the next way, on a fresh slot.
      carried = rival.tried;
      from = Math.max(from, way + 1);
      if (gaveUp || c.signal.aborted) return;
      if (from < ways.length) {
        way = from;
        source = run.pool;
        continue;
      }
      gaveUp = true;
      const message = `the EHR side of the race could not take the slot in the EHR (${describeTries(rival.tried)})`;
      return void (attempts[i] = { ...attempt, ehrStatus: null, ehrError: { kind: 'premise', message } });
    }
  });
  return { attempts: attempts.filter(Boolean), interrupted: ctx.signal.aborted };
}

async function raceOnce(
  ctx: ConnectionContext,
  run: RaceRun,
  { slot, premise: slotFree }: TakenSlot,
  plan: (typeof ORDERS)[number],
  method: EhrTakeMethod,
  carried: PremiseTry[],
): Promise<RaceAttempt> {
  const vendorKey = runKey(ctx, 'race');
  const ehrKey = runKey(ctx, 'race-ehr');
  let attempt: RaceAttempt | undefined;
  try {
    const [vendor, ehr] = await Promise.all([
      after(plan.vendorDelayMs, () => bookViaVendor(ctx, slot, run.patientId, vendorKey)).then(
        (res) => ({ status: res.status as number | null, outcome: res.outcome as VendorOutcome | undefined, error: undefined }),
        (error: unknown) => ({ status: null, outcome: undefined, error: describeError(error) }),
      ),
      after(plan.ehrDelayMs, () => takeSlotInEhr(ctx, slot, run.patientId, ehrKey, method)).then(
        (res) => ({ status: res.status as number | null, note: res.note, error: undefined }),
        (error: unknown) => ({ status: null, note: undefined, error: describeError(error) }),
      ),
    ]);
    let queuedWaitMs: number | undefined;
    // The channel's outcome, not the status: a REST API's 201 may mean "accepted, written later".
    if (vendor.outcome === 'queued') {
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
    // A queued booking that never landed: did the vendor's own record own up to it (cancelled), or still promise it?
    const vendorRecord = vendor.outcome === 'queued' && !vendorBookingHeld && ctx.vendor.can.findBooking.by === 'api'
      ? (await ctx.vendor.findBooking(`${BOOKING_IDENTIFIER_SYSTEM}|${vendorKey}`).catch(() => []))[0]?.status
      : undefined;
    const rival = await rivalPremise(ctx, slot, method, ehr, { ehrKey, hint, taken: vendorBookingHeld || onSlot.length > 0 }, carried);
    const ehrBlockHeld = rival.tried[rival.tried.length - 1]!.held;
    const doubleBooked = onSlot.length >= 2 || (method !== 'ehr-appointment' && ehrBlockHeld && vendorBookingHeld);
    // On an EHR that accepts overbooking, the EHR side may book after the vendor's booking was already in:
    // that second booking is the EHR's own doing, which no vendor can prevent. The EHR's timestamps tell.
    const vendorBookedFirst = doubleBooked && method === 'ehr-appointment' && bookedBefore(onSlot, vendorKey, ehrKey);
    attempt = {
      order: plan.order,
      offsetMs: Math.abs(plan.vendorDelayMs - plan.ehrDelayMs),
      slot: slot.id,
      ehrMethod: method,
      ehrStatus: ehr.status,
      ...(ehr.error ? { ehrError: ehr.error } : {}),
      vendorStatus: vendor.status,
      ...(vendor.error ? { vendorError: vendor.error } : {}),
      ...(queuedWaitMs !== undefined ? { queuedWaitMs } : {}),
      ...(vendor.outcome && vendor.status !== null && vendor.outcome !== vendorOutcome(vendor.status) && { vendorOutcome: vendor.outcome }),
      ...(vendorRecord && { vendorRecord }),
      ehrAppointmentIds: onSlot.map((a) => a.id ?? '?'),
      vendorBookingHeld,
      ehrBlockHeld,
      doubleBooked,
      vendorBookedFirst,
      confirmedNotHeld: vendor.outcome === 'confirmed' && !vendorBookingHeld,
      premises: [...(run.patientPremise ? [run.patientPremise] : []), slotFree, rival],
    };
  } finally {
    // Undo both sides: remove what either booked, and free the slot if the EHR side closed it; confirmed by reading.
    const freed = await removeBookings(ctx, [vendorKey, ehrKey], slot).catch(() => undefined);
    if (attempt && freed) attempt.premises.push(freed);
  }
  return attempt;
}

/**
 * Whether the EHR took its side's change, read from the EHR: the EHR-side booking is active, or the Slot reads
 * closed. A refusal because the slot was already taken is a race the vendor won: confirmed, not held.
 */
async function rivalPremise(
  ctx: ConnectionContext,
  slot: Slot,
  method: EhrTakeMethod,
  ehr: { status: number | null; note?: string; error?: { message: string } },
  read: { ehrKey: string; hint: BookingHint; taken: boolean },
  carried: PremiseTry[],
): Promise<Premise> {
  let held = false;
  let note = ehr.error?.message ?? ehr.note;
  let readBy: Premise['readBy'];
  if (ehr.status !== null && ehr.status < 300) {
    if (method === 'ehr-appointment') {
      held = (await ehrAppointmentsByKey(ctx, read.ehrKey, read.hint)).some((a) => ACTIVE_APPOINTMENT.has(a.status));
      readBy = 'appointment-search';
      if (!held) note = 'the EHR holds no active booking of it';
    } else {
      const state = await ehrSlotState(ctx, slot);
      held = state?.status === CLOSED;
      readBy = state?.readBy;
      if (!held) note = `${stateText(state)}${state?.status ? `, not ${CLOSED}` : ''}`;
    }
  }
  const lost = !held && ehr.status !== null && TAKEN.has(ehr.status) && read.taken;
  if (lost) note = 'refused: the vendor’s booking already held the slot';
  const tried: PremiseTry[] = [...carried, { via: method, status: ehr.status, held, ...(note && { note }) }];
  return { premise: 'rival-booking', slot: slot.id, via: held || lost ? method : null, confirmed: held || lost, ...(readBy && { readBy }), tried };
}

/** The EHR side of the race: an EHR-side Appointment on the slot, or the Slot closed by update or patch guarded by If-Match. */
async function takeSlotInEhr(ctx: ConnectionContext, slot: Slot, patientId: string, key: string, method: EhrTakeMethod): Promise<{ status: number; note?: string }> {
  const previous = { id: slot.id, previousStatus: slot.status };
  if (method === 'ehr-appointment') {
    const identifier = `${BOOKING_IDENTIFIER_SYSTEM}|${key}`;
    const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'book', resourceType: 'Appointment', identifier, slot: previous });
    const res = await ctx.ehr.create(bookingRequest(ctx, slot, patientId, key));
    // A refusal's OperationOutcome may carry an id of its own ("conflict"): only a created booking's id is kept.
    await ctx.ledger.done(seq, { status: res.status, id: res.status < 300 ? res.body?.id : undefined });
    return { status: res.status, ...noteOf(res.body) };
  }
  const version = slot.meta?.versionId;
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'block-slot', resourceType: 'Slot', id: slot.id, slot: previous });
  const res = await writeSlotStatus(ctx, slot, CLOSED, method, version ? `W/"${version}"` : undefined);
  await ctx.ledger.done(seq, { status: res.status, id: slot.id });
  return { status: res.status, ...noteOf(res.body) };
}

function noteOf(body: unknown): { note?: string } {
  const text = outcomeText(body);
  return text ? { note: text } : {};
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
