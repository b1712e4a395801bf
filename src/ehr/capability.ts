// What the EHR's CapabilityStatement lets the shared EHR operations do: how bookings are found, whether the API
// can take one back, whether it reads a Slot. Absent or unreadable capability: the full FHIR surface is assumed,
// as it was before capabilities were read.
import { searchable, supports } from '../capability/reader.js';
import type { ConnectionContext } from '../context.js';

export type BookingRoute = 'identifier' | 'patient-date' | 'slot';

/** How this EHR's bookings are found, best way first (src/capability/methods.ts); identifier when unknown. */
export function bookingRoute(ctx: Pick<ConnectionContext, 'capability'>): BookingRoute | undefined {
  const cap = ctx.capability;
  if (!cap?.ok) return 'identifier';
  if (searchable(cap, 'Appointment', 'identifier')) return 'identifier';
  if (searchable(cap, 'Appointment', 'patient') && searchable(cap, 'Appointment', 'date')) return 'patient-date';
  if (searchable(cap, 'Appointment', 'slot')) return 'slot';
  return undefined;
}

/** The EHR's API cannot find a booking at all: a person at its schedule screen counts them (src/operator/person-count.ts). */
export function bookingsNeedAPerson(ctx: Pick<ConnectionContext, 'capability'>): boolean {
  return Boolean(ctx.capability?.ok) && bookingRoute(ctx) === undefined;
}

/** Whether the EHR's API can take back a booking the run caused (delete, or update to cancelled). */
export function canRemoveAppointments(ctx: Pick<ConnectionContext, 'capability'>): boolean {
  const cap = ctx.capability;
  return !cap?.ok || supports(cap, 'Appointment', 'delete') || supports(cap, 'Appointment', 'update');
}

/** Whether the EHR's API lists the bookings on a slot (`Appointment?slot=`). */
export function canSearchBookingsOnSlot(ctx: Pick<ConnectionContext, 'capability'>): boolean {
  const cap = ctx.capability;
  return !cap?.ok || searchable(cap, 'Appointment', 'slot');
}

/** Whether the EHR's API reads a Slot (its status) by id. */
export function canReadSlots(ctx: Pick<ConnectionContext, 'capability'>): boolean {
  const cap = ctx.capability;
  return !cap?.ok || supports(cap, 'Slot', 'read');
}
