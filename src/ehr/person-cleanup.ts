// The part of a run's cleanup (docs/safety.md) that an EHR's API cannot do: on an EHR that cannot delete or cancel an
// Appointment by API, the person at the EHR (or the script) cancels what the run booked (by slot and patient
// where the API cannot even find the bookings); on one that cannot read a Slot, they unblock what they blocked,
// and the API cleanup is not asked to restore slots it cannot read.
// Runs before src/safety/cleanup.ts, which then finds the bookings cancelled and counts them removed.
import type { ConnectionContext } from '../context.js';
import { canReadSlots, canRemoveAppointments, ehrAppointmentsByKey } from './ops.js';
import { ACTIVE_APPOINTMENT } from './removal.js';
import type { Appointment, Slot } from '../model/fhir.js';
import { BOOKING_IDENTIFIER_SYSTEM, type LedgerEntry } from '../safety/types.js';
import { bookingsNeedAPerson } from './capability.js';
import { personChange } from './person-steps.js';
import { NO_OPERATOR_REASON } from '../operator/types.js';

export interface OperatorCleanup {
  /** The ledger entries to hand on to the API cleanup. */
  entries: LedgerEntry[];
  /** What the person was asked to undo and did not. */
  leftover: string[];
}

export async function operatorCleanup(ctx: ConnectionContext, ledgered: LedgerEntry[]): Promise<OperatorCleanup> {
  let entries = ledgered;
  const leftover: string[] = [];
  if (!ctx.capability?.ok) return { entries, leftover };
  if (bookingsNeedAPerson(ctx)) {
    // The API cannot find the run's bookings: the person cancels them by slot and patient, and the API cleanup
    // is not sent looking for them by identifier.
    if (ctx.operator?.available) leftover.push(...(await cancelBySlotAndPatient(ctx, entries)));
    else if (entries.some((e) => e.resourceType === 'Appointment' && e.action === 'book')) {
      leftover.push(`the run's bookings cannot be found by the EHR's API, and nobody was there to cancel them: ${NO_OPERATOR_REASON}`);
    }
    entries = entries.map((e) => (e.resourceType === 'Appointment' && e.action === 'book' ? { ...e, identifier: undefined } : e));
  } else if (!canRemoveAppointments(ctx) && ctx.operator?.available) {
    for (const booking of await activeRunBookings(ctx, entries)) {
      const undone = await cancelByPerson(ctx, booking);
      if (undone) leftover.push(undone);
    }
  }
  if (canReadSlots(ctx)) return { entries, leftover };
  if (ctx.operator?.available) {
    for (const slot of stillBlocked(entries)) {
      await personChange(ctx, { kind: 'free-slot', slot: { resourceType: 'Slot', id: slot, status: 'busy-unavailable', start: '', end: '', schedule: { reference: ctx.schedule ?? '' } } }).catch(
        (error: unknown) => leftover.push(`Slot/${slot}: blocked by a person for the run and not unblocked: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }
  // The EHR's API cannot read a Slot: the slots a booking held are freed by cancelling it, as the EHR's rules go.
  return { entries: entries.map(({ slot: _slot, ...rest }) => rest), leftover };
}

/** Active Appointments the run caused: found by its booking keys, and the ones a person booked for it. */
async function activeRunBookings(ctx: ConnectionContext, entries: LedgerEntry[]): Promise<Appointment[]> {
  const found = new Map<string, Appointment>();
  for (const e of entries) {
    if (e.resourceType !== 'Appointment' || !e.identifier?.startsWith(`${BOOKING_IDENTIFIER_SYSTEM}|`)) continue;
    const key = e.identifier.slice(BOOKING_IDENTIFIER_SYSTEM.length + 1);
    const bookings = await ehrAppointmentsByKey(ctx, key).catch(() => [] as Appointment[]);
    for (const a of bookings) if (a.id) found.set(a.id, a);
    if (e.result?.id && !found.has(e.result.id)) {
      const read = await ctx.ehr.read<Appointment>('Appointment', e.result.id).catch(() => undefined);
      if (read?.id) found.set(read.id, read);
    }
  }
  return [...found.values()].filter((a) => ACTIVE_APPOINTMENT.has(a.status));
}

/** Asks for one booking to be cancelled; the reason it is still there, if it is. */
async function cancelByPerson(ctx: ConnectionContext, booking: Appointment): Promise<string | undefined> {
  const slotId = booking.slot?.[0]?.reference?.split('/').pop() ?? '';
  const patientId = booking.participant?.map((p) => p.actor?.reference).find((r) => r?.startsWith('Patient/'))?.slice('Patient/'.length);
  const slot: Slot = { resourceType: 'Slot', id: slotId, status: 'busy', start: booking.start ?? '', end: booking.end ?? '', schedule: { reference: ctx.schedule ?? '' } };
  try {
    await personChange(ctx, { kind: 'cancel', slot, appointmentId: booking.id, ...(patientId && { patientId }) });
  } catch (error) {
    return `Appointment/${booking.id}: the run's booking could not be cancelled in the EHR: ${error instanceof Error ? error.message : String(error)}`;
  }
  const now = await ctx.ehr.read<Appointment>('Appointment', booking.id!).catch(() => undefined);
  return now && ACTIVE_APPOINTMENT.has(now.status) ? `Appointment/${booking.id}: still ${now.status} after the person was asked to cancel it` : undefined;
}

/** One request per slot and patient the run booked (through the vendor or on the EHR's side); what is left, in words. */
async function cancelBySlotAndPatient(ctx: ConnectionContext, entries: LedgerEntry[]): Promise<string[]> {
  const leftover: string[] = [];
  const asked = new Set<string>();
  for (const e of entries) {
    if (e.resourceType !== 'Appointment' || e.action !== 'book' || !e.slot || !e.patient) continue;
    const pair = `${e.slot.id} ${e.patient}`;
    if (asked.has(pair)) continue;
    asked.add(pair);
    const slot: Slot = { resourceType: 'Slot', id: e.slot.id, status: 'busy', start: '', end: '', schedule: { reference: ctx.schedule ?? '' } };
    await personChange(ctx, { kind: 'cancel', slot, patientId: e.patient.replace(/^Patient\//, '') }).catch((error: unknown) =>
      leftover.push(`Slot/${e.slot!.id}: the run's bookings for ${e.patient} could not be cancelled in the EHR: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  return leftover;
}

/** Slots a person blocked for the run and did not unblock (by the ledger). */
function stillBlocked(entries: LedgerEntry[]): string[] {
  const blocked = new Set<string>();
  for (const e of entries) {
    if (e.resourceType !== 'Slot' || !e.id || e.result?.status !== 200) continue;
    if (e.action === 'block-slot') blocked.add(e.id);
    if (e.action === 'free-slot') blocked.delete(e.id);
  }
  return [...blocked];
}
