// Evidence for the bidirectional check: does the vendor see what the EHR holds, and does what it books land
// in the EHR exactly once? Every write verdict is read back from the EHR, never taken from the vendor's answer.
// Each finding is probed as the EHR's CapabilityStatement allows (ctx.methods): by API, with a person at the EHR
// for what its API cannot do (read its schedule, block a slot), or not at all, with the reason.
import type { ConnectionContext } from '../context.js';
import { ehrAppointmentsByKey, ehrBookingsOnSlot, probeWindow } from '../ehr/ops.js';
import type { Appointment, Slot } from '../model/fhir.js';
import { bookViaVendor, vendorFreeSlots, withVendorSteps } from '../vendor/requests.js';
import { runKey } from '../safety/run-records.js';
import type { FindingId } from '../model/report.js';
import { bookableSlots, ehrFreeSlotView, plannedSkip, probeWithOperator, readingWindow, slotReadingSkip, slotsNeedAPerson } from '../ehr/person-steps.js';
import type { OperatorStepRecord } from '../operator/types.js';
import { FreeSlotSupply } from '../ehr/free-slots.js';
import { bookAndCount } from '../ehr/person-count.js';
import { outcomeBeyondStatus, type VendorAnswer, type VendorOutcome } from '../vendor/outcome.js';
import { bookingsNeedAPerson } from '../ehr/capability.js';
import type { ProbeOutcome } from '../evidence.js';
import { pollUntil } from '../timing.js';
import { askableWindow } from './askable-window.js';
import { registerAgain, type PatientMatchData } from './patient-matched.js';
import { confirmedTestPatient } from '../ehr/patients.js';
import { readPremise, type Premise } from '../ehr/premise.js';
import { blockSlot, CLOSED, freeSlot, notFreed } from '../ehr/slot-changes.js';

export interface BookingSeen {
  id?: string;
  status: string;
  slot?: string;
  patient?: string;
}

export interface ReadThroughData {
  window: { start: string; end: string };
  ehrFree: string[];
  vendorFree: string[];
  /** `operator`: a person read the EHR's free slots off its screen (the EHR offers no Slot search). */
  readBy?: 'operator';
  operatorSteps?: OperatorStepRecord[];
  /** The steps a person took at the vendor's product (a vendor reached through a person). */
  vendorSteps?: OperatorStepRecord[];
  /** How the EHR's side of the comparison was read. */
  premises: Premise[];
}

export interface WriteData {
  slotId: string;
  patientId: string;
  vendorStatus: number;
  /** What the vendor's answer meant, where its status alone does not say it. */
  vendorOutcome?: VendorOutcome;
  /** Appointments the EHR holds for the booking KEY, read back after the booking. */
  ehrBookings: BookingSeen[];
  /** Active bookings on the slot in the EHR (a second one means a double booking). */
  slotBookings: number;
  /** When the vendor answered 202: how long until the booking appeared in the EHR (null: it never did). */
  queuedLandedAfterMs?: number | null;
  /** What the booking rested on, confirmed in the EHR: the patient exists, the slot was free. */
  premises: Premise[];
  /** `operator`: a person counted the bookings on the slot (the EHR's API cannot find a booking). */
  readBy?: 'operator';
  operatorSteps?: OperatorStepRecord[];
  /** The steps a person took at the vendor's product (a vendor reached through a person). */
  vendorSteps?: OperatorStepRecord[];
}

export interface IdempotencyData extends WriteData {
  replayStatus: number;
}

export interface ConflictData {
  slotId: string;
  /** The way the block held: `slot-update`, `slot-patch`, `ehr-appointment`, or `operator` (a person, in the EHR's screens). */
  blockedBy: string;
  vendorStatus: number;
  vendorOutcome?: VendorOutcome;
  vendorMessage?: string;
  ehrBookings: BookingSeen[];
  slotBookings: number;
  /** The person's block, count and unblock, for what the EHR's API could not do. */
  operatorSteps?: OperatorStepRecord[];
  /** Confirmed in the EHR: the patient, the slot free, the block that held (and every way tried), the slot freed after. */
  premises: Premise[];
  /** `operator`: a person counted the bookings on the slot (the EHR's API cannot find a booking). */
  readBy?: 'operator';
  /** The steps a person took at the vendor's product (a vendor reached through a person). */
  vendorSteps?: OperatorStepRecord[];
}


export type { PatientMatchData } from './patient-matched.js';

export interface BidirectionalEvidence {
  connection: string;
  writesAllowed: boolean;
  readThrough: ProbeOutcome<ReadThroughData>;
  writeLands: ProbeOutcome<WriteData>;
  writeIdempotent: ProbeOutcome<IdempotencyData>;
  conflictRefused: ProbeOutcome<ConflictData>;
  patientMatched: ProbeOutcome<PatientMatchData>;
}

export interface BidirectionalSettings {
  /** How long a 202-queued booking is waited for in the EHR before it counts as not landed. */
  queueWaitMs: number;
}

function seen(a: Appointment): BookingSeen {
  const patient = a.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'));
  return { id: a.id, status: a.status, slot: a.slot?.[0]?.reference, patient };
}

/** Books `slot` through the vendor and reads back what the EHR holds, following a 202 for up to `queueWaitMs`. */
async function bookAndReadBack(ctx: ConnectionContext, slot: Slot, patientId: string, key: string, settings: BidirectionalSettings, alreadyHeld = 0) {
  const answer = await bookViaVendor(ctx, slot, patientId, key);
  const hint = { slot, patientId };
  let bookings = await ehrAppointmentsByKey(ctx, key, hint);
  let queuedLandedAfterMs: number | null | undefined;
  if (answer.outcome === 'queued') {
    // A queued booking is followed up: wait (bounded) for it to reach the EHR, beyond what it already held.
    const waited = await pollUntil(() => ehrAppointmentsByKey(ctx, key, hint), (found) => found.length > alreadyHeld, {
      timeoutMs: settings.queueWaitMs,
      firstDelayMs: 100,
      maxDelayMs: 1000,
      signal: ctx.signal,
    });
    bookings = waited.value;
    queuedLandedAfterMs = waited.satisfied ? waited.elapsedMs : null;
  }
  return { answer, bookings, queuedLandedAfterMs };
}

interface ReadBack {
  answer: VendorAnswer;
  bookings: BookingSeen[];
  slotBookings: number;
  queuedLandedAfterMs?: number | null;
  readBy?: 'operator';
  operatorSteps?: OperatorStepRecord[];
}

/** Books through the vendor and reads back the EHR: by its API, or, where it cannot find a booking, by a person's count. */
async function bookAndRead(ctx: ConnectionContext, slot: Slot, patientId: string, key: string, settings: BidirectionalSettings, held = 0, ours = 0): Promise<ReadBack> {
  if (bookingsNeedAPerson(ctx)) return bookAndCount(ctx, slot, patientId, key, { queueWaitMs: settings.queueWaitMs, held, ours });
  const { answer, bookings, queuedLandedAfterMs } = await bookAndReadBack(ctx, slot, patientId, key, settings, held);
  const onSlot = await ehrBookingsOnSlot(ctx, slot.id);
  return { answer, bookings: bookings.map((b) => seen(b)), slotBookings: onSlot.length, queuedLandedAfterMs };
}

const byPerson = (read: ReadBack) => (read.readBy ? { readBy: read.readBy, operatorSteps: read.operatorSteps } : {});


export async function gatherBidirectional(ctx: ConnectionContext, settings: BidirectionalSettings): Promise<BidirectionalEvidence> {
  const supply = new FreeSlotSupply();
  const readThrough: ProbeOutcome<ReadThroughData> =
    plannedSkip(ctx, 'read-through', 'checked') ??
    (await probeWithOperator(ctx, () => withVendorSteps(ctx, async (): Promise<ReadThroughData> => {
      // Where a person reads the EHR's schedule, the vendor is asked right after, for the same few days; where a
      // person asks the vendor, both sides are compared over the one half-day they ask about.
      const view = await ehrFreeSlotView(ctx, readingWindow(ctx, await askableWindow(ctx, probeWindow())));
      // The EHR was read: the writes can book from it even if the vendor's side fails next.
      supply.readFrom(view.resources ?? bookableSlots(view.slots, [], ctx.schedule));
      const vendor = await vendorFreeSlots(ctx, view.window, view.resources ?? bookableSlots(view.slots, [], ctx.schedule));
      supply.readFrom(view.resources ?? bookableSlots(view.slots, vendor.slots, ctx.schedule), new Set(vendor.slotIds));
      const byPerson = view.by === 'operator' ? { readBy: 'operator' as const, operatorSteps: view.steps } : {};
      const premises = [readPremise('free-slots', view.by === 'api' ? 'slot-search' : 'person')];
      return { window: view.window, ehrFree: view.slots.map((s) => s.id), vendorFree: vendor.slotIds, ...byPerson, premises };
    })));
  if (readThrough.kind === 'skipped') supply.notReadBecause(`read-through was skipped: ${readThrough.reason}`);
  if (readThrough.kind === 'error') supply.notReadBecause(`reading them failed: ${readThrough.error.message}`);

  // What this EHR cannot support (or nobody can do) is skipped first: allowing writes would not change it.
  const writesOff = ctx.writesAllowed ? undefined : ({ kind: 'skipped', reason: ctx.writesBlockedReason ?? 'writes are not allowed on this connection' } as const);
  const noSlots = slotReadingSkip(ctx) ?? (slotsNeedAPerson(ctx) && readThrough.kind === 'skipped' ? { kind: 'skipped' as const, reason: `the EHR's free slots were not read: ${readThrough.reason}` } : undefined);
  const skipOf = (id: FindingId, needsSlot: boolean) => plannedSkip(ctx, id, 'checked') ?? writesOff ?? (needsSlot ? noSlots : undefined);
  // A slot to book, confirmed free in the EHR now; read by Slot search here if read-through did not read them.
  const takeSlot = () => supply.take(ctx, !slotsNeedAPerson(ctx));
  let patient: { id: string; premise: Premise } | undefined;
  const thePatient = async (): Promise<{ id: string; premise: Premise }> => {
    if (!patient) {
      const confirmed = await confirmedTestPatient(ctx, 'patient');
      patient = { id: confirmed.patient.id, premise: confirmed.premise };
    }
    return patient;
  };

  let bookingKey = '';
  let booked: { slot: Slot; premises: Premise[] } | undefined;
  /** The first booking as a person counted it (the EHR's API cannot find it). */
  let countedFirst: number | undefined;
  const writeLands = skipOf('write-lands', true) ?? (await probeWithOperator(ctx, () => withVendorSteps(ctx, async (): Promise<WriteData> => {
    const { id: patientId, premise } = await thePatient();
    const { slot, premise: slotFree } = await takeSlot();
    booked = { slot, premises: [premise, slotFree] };
    bookingKey = runKey(ctx, 'booking');
    const read = await bookAndRead(ctx, slot, patientId, bookingKey, settings);
    countedFirst = read.readBy ? read.bookings.length : undefined;
    return { slotId: slot.id, patientId, vendorStatus: read.answer.status, ...outcomeBeyondStatus(read.answer), ehrBookings: read.bookings, slotBookings: read.slotBookings, queuedLandedAfterMs: read.queuedLandedAfterMs, premises: booked.premises, ...byPerson(read) };
  })));

  const writeIdempotent = skipOf('write-idempotent', true) ?? (await probeWithOperator(ctx, () => withVendorSteps(ctx, async (): Promise<IdempotencyData> => {
    if (!booked || !patient) throw new Error('the first booking could not be made, so there is nothing to repeat');
    const { slot, premises } = booked;
    const held = countedFirst ?? (bookingsNeedAPerson(ctx) ? 0 : (await ehrAppointmentsByKey(ctx, bookingKey, { slot, patientId: patient.id })).length);
    const read = await bookAndRead(ctx, slot, patient.id, bookingKey, settings, held);
    const vendorStatus = writeLands.kind === 'ok' ? writeLands.data.vendorStatus : 0;
    return { slotId: slot.id, patientId: patient.id, vendorStatus, replayStatus: read.answer.status, ehrBookings: read.bookings, slotBookings: read.slotBookings, queuedLandedAfterMs: read.queuedLandedAfterMs, premises, ...byPerson(read) };
  })));

  const conflictRefused = skipOf('conflict-refused', true) ?? (await probeWithOperator(ctx, () => withVendorSteps(ctx, async (): Promise<ConflictData> => {
    const { id: patientId, premise } = await thePatient();
    const { slot, premise: slotFree } = await takeSlot();
    // Where the EHR's API cannot close a slot, the plan says so up front: a person does it.
    const personBlocks = ctx.methods?.['conflict-refused']?.method === 'operator';
    const blocked = await blockSlot(ctx, slot, { patientId, ...(personBlocks && { ways: ['operator' as const] }) });
    const key = runKey(ctx, 'conflict');
    // A person counting sees the run's own EHR-side booking (a block by Appointment) too: it is not the vendor's.
    const read = await bookAndRead(ctx, { ...slot, status: CLOSED }, patientId, key, settings, 0, blocked.way === 'ehr-appointment' ? 1 : 0);
    const answer = read.answer;
    const message = answer.operationOutcome?.issue?.[0]?.diagnostics ?? answer.operationOutcome?.issue?.[0]?.details?.text;
    // Freeing is not what the verdict rests on: one that fails is kept as evidence, and the run's cleanup tries again.
    const freed = await freeSlot(ctx, slot, blocked).catch((error: unknown) => notFreed(ctx, slot, blocked, error));
    const steps = [...blocked.steps, ...(read.operatorSteps ?? []), ...freed.steps];
    return {
      slotId: slot.id,
      blockedBy: blocked.way,
      vendorStatus: answer.status,
      ...outcomeBeyondStatus(answer),
      vendorMessage: message,
      ehrBookings: read.bookings,
      slotBookings: read.slotBookings,
      ...(steps.length && { operatorSteps: steps }),
      ...(read.readBy && { readBy: read.readBy }),
      premises: [premise, slotFree, blocked.premise, freed.premise],
    };
  })));

  const patientMatched = skipOf('patient-matched', false) ?? (await probeWithOperator(ctx, () => withVendorSteps(ctx, () => registerAgain(ctx))));

  return { connection: ctx.key, writesAllowed: ctx.writesAllowed, readThrough, writeLands, writeIdempotent, conflictRefused, patientMatched };
}
