// The handful of EHR and vendor operations the probes share: find free slots, make tagged test records,
// book through the vendor, read back what the EHR holds, block and free a slot. Every write goes through the
// ledger first (DESIGN §8) and carries the run tag and the HTEST label.
import { searchable, supports } from '../capability/reader.js';
import type { FhirResponse } from '../http/types.js';
import {
  BOOKING_IDENTIFIER_SYSTEM,
  HTEST,
  PATIENT_IDENTIFIER_SYSTEM,
  RUN_TAG_SYSTEM,
} from '../safety/types.js';
import type { ConnectionContext } from './context.js';
import { bookingRoute, canReadSlots } from './ehr-capability.js';

export { bookingRoute, canReadSlots, canRemoveAppointments, type BookingRoute } from './ehr-capability.js';

export interface Slot {
  resourceType: 'Slot';
  id: string;
  status: string;
  start: string;
  end: string;
  schedule: { reference: string };
  meta?: { versionId?: string };
}

export interface Appointment {
  resourceType: 'Appointment';
  id?: string;
  status: string;
  slot?: Array<{ reference: string }>;
  participant?: Array<{ actor?: { reference?: string }; status?: string }>;
  identifier?: Array<{ system?: string; value?: string }>;
  start?: string;
  end?: string;
  meta?: Record<string, unknown>;
}

/** Statuses under which an Appointment holds its slot. */
export const ACTIVE_APPOINTMENT = new Set(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'checked-in', 'waitlist']);

export interface Window {
  start: string;
  end: string;
}

/** The probed window: from an hour from now (never the slot starting this minute) to `days` ahead. */
export function probeWindow(now = Date.now(), days = 14): Window {
  const start = new Date(now + 60 * 60 * 1000);
  const end = new Date(now + days * 24 * 60 * 60 * 1000);
  return { start: start.toISOString(), end: end.toISOString() };
}

/** Narrow window around one slot, so polls are cheap. */
export function slotWindow(slot: Slot): Window {
  return { start: slot.start, end: new Date(Date.parse(slot.end) + 1000).toISOString() };
}

export function runMeta(runId: string) {
  return { tag: [{ system: RUN_TAG_SYSTEM, code: runId }], security: [{ ...HTEST }] };
}

let counter = 0;
/** A booking or patient key unique to this run; ledger and cleanup find the vendor's writes by it. */
export function runKey(runId: string, label: string): string {
  counter += 1;
  return `${runId}-${label}-${counter}`;
}

function slotQuery(schedule: string, window: Window, status?: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {
    schedule,
    start: [`ge${window.start}`, `lt${window.end}`],
    _count: '200',
  };
  if (status) query.status = status;
  return query;
}

/** The EHR's free slots of the schedule in the window: the truth the vendor is compared with. */
export async function ehrFreeSlots(ctx: ConnectionContext, window: Window): Promise<Slot[]> {
  const slots = await ctx.ehr.searchAll<Slot>('Slot', slotQuery(requireSchedule(ctx), window, 'free'), { maxPages: 40 });
  return slots.filter((s) => s.status === 'free');
}

export interface VendorSlotsAnswer {
  status: number;
  slotIds: string[];
  /** The vendor's free slots themselves (start, end, schedule), for booking one the EHR's API cannot describe. */
  slots: Slot[];
  durationMs: number;
}

/** The vendor's free slots, as the vendor believes them to be (DESIGN §5). Follows paging. */
export async function vendorFreeSlots(ctx: ConnectionContext, window: Window): Promise<VendorSlotsAnswer> {
  const started = Date.now();
  const slots = await ctx.vendor.searchAll<Slot>('Slot', slotQuery(requireSchedule(ctx), window, 'free'), { maxPages: 40 });
  const free = slots.filter((s) => s.resourceType === 'Slot' && (s.status ?? 'free') === 'free');
  return { status: 200, slotIds: free.map((s) => s.id), slots: free, durationMs: Date.now() - started };
}

export async function readSlot(ctx: ConnectionContext, id: string): Promise<Slot> {
  return ctx.ehr.read<Slot>('Slot', id);
}

export interface TestPatient {
  id: string;
  identifier: string; // system|value
  /** One of the EHR's own patients (the EHR's API creates none): never the run's to remove. */
  found?: boolean;
}

/** A plainly synthetic Patient in the EHR, tagged to the run. */
export async function createTestPatient(ctx: ConnectionContext, label: string): Promise<TestPatient> {
  const value = runKey(ctx.runId, label);
  const identifier = `${PATIENT_IDENTIFIER_SYSTEM}|${value}`;
  const patient = {
    resourceType: 'Patient',
    meta: runMeta(ctx.runId),
    identifier: [{ system: PATIENT_IDENTIFIER_SYSTEM, value }],
    name: [{ family: 'Testpatient', given: ['Ehrcheck'], text: 'Ehrcheck Testpatient (synthetic)' }],
    gender: 'unknown',
    birthDate: '1970-01-01',
  };
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'create-patient', resourceType: 'Patient', identifier });
  // Conditional create where the EHR offers it (a retried create cannot duplicate); a plain create elsewhere.
  const conditional = ctx.capability?.resources.Patient?.conditionalCreate ?? true;
  const res = await ctx.ehr.create<{ id?: string }>(patient as { id?: string }, conditional ? { ifNoneExist: `identifier=${identifier}` } : {});
  await ctx.ledger.done(seq, { status: res.status, id: res.body?.id });
  if (res.status >= 300 || !res.body?.id) throw new Error(`the EHR refused to create a test patient (HTTP ${res.status})`);
  return { id: res.body.id, identifier };
}

/** The booking body of DESIGN §5 for one slot and patient. */
export function bookingRequest(ctx: ConnectionContext, slot: Slot, patientId: string, key: string): Appointment {
  return {
    resourceType: 'Appointment',
    meta: runMeta(ctx.runId),
    status: 'booked',
    slot: [{ reference: `Slot/${slot.id}` }],
    start: slot.start,
    end: slot.end,
    participant: [
      { actor: { reference: `Patient/${patientId}` }, status: 'accepted' },
      { actor: { reference: slot.schedule.reference }, status: 'accepted' },
    ],
    identifier: [{ system: BOOKING_IDENTIFIER_SYSTEM, value: key }],
  };
}

/** Books through the vendor. The ledger records the KEY first: whatever the vendor writes, cleanup finds it. */
export async function bookViaVendor(ctx: ConnectionContext, slot: Slot, patientId: string, key: string): Promise<FhirResponse> {
  const identifier = `${BOOKING_IDENTIFIER_SYSTEM}|${key}`;
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'vendor', action: 'book', resourceType: 'Appointment', identifier, slot: { id: slot.id, previousStatus: slot.status } });
  const res = await ctx.vendor.create(bookingRequest(ctx, slot, patientId, key), { ifNoneExist: `identifier=${identifier}` });
  await ctx.ledger.done(seq, { status: res.status });
  return res;
}

/** What is known of a booking besides its KEY: an EHR that cannot search by identifier is searched by these. */
export interface BookingHint {
  slot: Pick<Slot, 'id' | 'start'>;
  patientId: string;
}

/**
 * Appointments the EHR holds for a booking KEY, whatever their status: by `Appointment?identifier=` where the EHR
 * allows it; else by the patient and the slot's date, or by the slot, keeping the ones that carry the KEY (or,
 * carrying no run key at all, are on the slot for the patient).
 */
export async function ehrAppointmentsByKey(ctx: ConnectionContext, key: string, hint?: BookingHint): Promise<Appointment[]> {
  const route = bookingRoute(ctx);
  if (route === 'identifier') return ctx.ehr.searchAll<Appointment>('Appointment', { identifier: `${BOOKING_IDENTIFIER_SYSTEM}|${key}` }, { maxPages: 5 });
  if (!route) throw new Error("the EHR's API cannot search Appointments: a booking cannot be found");
  if (!hint) throw new Error(`the EHR cannot search Appointments by identifier, and booking ${key} has no slot and patient to search by`);
  const query = route === 'slot' ? { slot: `Slot/${hint.slot.id}` } : { patient: `Patient/${hint.patientId}`, date: hint.slot.start.slice(0, 10) };
  const found = await ctx.ehr.searchAll<Appointment>('Appointment', query, { maxPages: 5 });
  const keyOf = (a: Appointment) => a.identifier?.find((i) => i.system === BOOKING_IDENTIFIER_SYSTEM)?.value;
  const forPatient = (a: Appointment) => a.participant?.some((p) => p.actor?.reference === `Patient/${hint.patientId}`);
  const onSlot = (a: Appointment) => a.slot?.some((r) => r.reference === `Slot/${hint.slot.id}` || r.reference?.endsWith(`/Slot/${hint.slot.id}`));
  return found.filter((a) => keyOf(a) === key || (keyOf(a) === undefined && onSlot(a) && forPatient(a)));
}

/**
 * Whether a slot is still free as far as the EHR's API can tell: its status where Slot can be read, else no
 * active booking on it (`Appointment?slot=`).
 */
export async function ehrSlotLooksFree(ctx: ConnectionContext, slot: Pick<Slot, 'id'>): Promise<boolean> {
  if (canReadSlots(ctx)) return (await readSlot(ctx, slot.id)).status === 'free';
  return (await ehrBookingsOnSlot(ctx, slot.id)).length === 0;
}

/** Active Appointments the EHR holds on one slot. */
export async function ehrBookingsOnSlot(ctx: ConnectionContext, slotId: string): Promise<Appointment[]> {
  const found = await ctx.ehr.searchAll<Appointment>('Appointment', { slot: `Slot/${slotId}` }, { maxPages: 5 });
  return found.filter((a) => ACTIVE_APPOINTMENT.has(a.status));
}

/**
 * Patients the EHR holds with an identifier (system|value). An EHR that cannot search Patient by identifier is
 * searched by the test patient's name and birth date, keeping the records that carry the identifier.
 */
export async function ehrPatientsByIdentifier(ctx: ConnectionContext, identifier: string): Promise<Array<{ id: string }>> {
  const cap = ctx.capability;
  if (!cap?.ok || searchable(cap, 'Patient', 'identifier')) return ctx.ehr.searchAll<{ id: string }>('Patient', { identifier }, { maxPages: 5 });
  const name = searchable(cap, 'Patient', 'family') ? 'family' : 'name';
  const found = await ctx.ehr.searchAll<{ id: string; identifier?: Array<{ system?: string; value?: string }> }>('Patient', { [name]: 'Testpatient', birthdate: '1970-01-01' }, { maxPages: 5 });
  return found.filter((p) => p.identifier?.some((i) => `${i.system}|${i.value}` === identifier));
}

/**
 * A patient for the run to book for (or for the vendor to register again): a tagged test patient where the EHR's
 * API creates patients, else one of the EHR's own (synthetic: it is a sandbox) found by search.
 */
export async function testPatient(ctx: ConnectionContext, label: string): Promise<TestPatient> {
  const cap = ctx.capability;
  if (!cap?.ok || supports(cap, 'Patient', 'create')) return createTestPatient(ctx, label);
  const found = await ctx.ehr.searchAll<{ id?: string; identifier?: Array<{ system?: string; value?: string }> }>('Patient', { _count: '20' }, { maxPages: 1 });
  for (const patient of found) {
    const id = patient.identifier?.find((i) => i.system && i.value);
    if (patient.id && id) return { id: patient.id, identifier: `${id.system}|${id.value}`, found: true };
  }
  throw new Error('the EHR offers no Patient create, and no patient with an identifier was found to register again');
}

export type ChangeMethod = 'slot-update' | 'ehr-appointment';

/**
 * Makes a free slot busy in the EHR, as a change made by the EHR's own staff would: by updating the Slot when
 * the EHR allows it, else by booking it with a tagged EHR-side Appointment. Returns how it was done.
 */
export async function blockSlotInEhr(ctx: ConnectionContext, slot: Slot, patientId: string): Promise<{ method: ChangeMethod; appointmentId?: string; status: number }> {
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'block-slot', resourceType: 'Slot', id: slot.id, slot: { id: slot.id, previousStatus: slot.status } });
  const updated = await ctx.ehr.update({ ...slot, status: 'busy', meta: undefined });
  await ctx.ledger.done(seq, { status: updated.status, id: slot.id });
  if (updated.status < 300) return { method: 'slot-update', status: updated.status };
  const key = runKey(ctx.runId, 'ehr-block');
  const identifier = `${BOOKING_IDENTIFIER_SYSTEM}|${key}`;
  const seq2 = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'book', resourceType: 'Appointment', identifier, slot: { id: slot.id, previousStatus: slot.status } });
  const booked = await ctx.ehr.create(bookingRequest(ctx, slot, patientId, key));
  await ctx.ledger.done(seq2, { status: booked.status, id: booked.status < 300 ? booked.body?.id : undefined });
  return { method: 'ehr-appointment', appointmentId: booked.body?.id, status: booked.status };
}

/** Undoes `blockSlotInEhr`: cancels the EHR-side Appointment or puts the Slot back to free. */
export async function freeSlotInEhr(ctx: ConnectionContext, slotId: string, how: { method: ChangeMethod; appointmentId?: string }): Promise<number> {
  if (how.method === 'ehr-appointment' && how.appointmentId) return (await removeAppointment(ctx, how.appointmentId)).status;
  const current = await readSlot(ctx, slotId);
  const seq = await ctx.ledger.intend({ connection: ctx.key, target: 'ehr', action: 'free-slot', resourceType: 'Slot', id: slotId, slot: { id: slotId, previousStatus: current.status } });
  const res = await ctx.ehr.update({ ...current, status: 'free', meta: undefined });
  await ctx.ledger.done(seq, { status: res.status, id: slotId });
  return res.status;
}

/** Deletes an Appointment the run caused; where delete is not allowed, cancels it (which frees its slot). */
export async function removeAppointment(ctx: ConnectionContext, id: string): Promise<FhirResponse> {
  const deleted = await ctx.ehr.delete('Appointment', id);
  if (deleted.status < 300 || deleted.status === 404 || deleted.status === 410) return deleted;
  const current = await ctx.ehr.read<Appointment>('Appointment', id);
  return ctx.ehr.update({ ...current, status: 'cancelled' });
}

function requireSchedule(ctx: ConnectionContext): string {
  if (!ctx.schedule) throw new Error('no schedule to probe: give `schedule` in the plan, or the EHR must list one');
  return ctx.schedule;
}
