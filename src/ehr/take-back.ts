// Taking the run's bookings back out of the EHR between trials, and confirming their slot free again.
import type { ConnectionContext } from '../context.js';
import type { Premise } from '../evidence.js';
import type { Slot } from '../model/fhir.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../safety/types.js';
import { canRemoveAppointments, ehrAppointmentsByKey, ehrBookingsOnSlot, removeAppointment, type BookingHint } from './ops.js';
import { ehrSlotState } from './premise.js';
import { freeSlot } from './slot-changes.js';

/**
 * Removes the EHR Appointments of these booking KEYs and confirms the slot is free again (freeing it by Slot
 * update where a block of the run, not a booking, still closes it). An EHR whose API cannot take a booking back
 * keeps it until the run's cleanup, which asks the person at the EHR. Returns how the slot was confirmed free.
 */
export async function removeBookings(ctx: ConnectionContext, keys: string[], slot?: Slot, hint?: BookingHint): Promise<Premise | undefined> {
  if (!canRemoveAppointments(ctx)) return undefined;
  const tried: Premise['tried'] = [];
  for (const key of keys) {
    for (const appointment of await ehrAppointmentsByKey(ctx, key, hint)) {
      if (!appointment.id || appointment.status === 'cancelled') continue;
      tried.push({ via: 'remove-booking', status: (await removeAppointment(ctx, appointment.id, `${BOOKING_IDENTIFIER_SYSTEM}|${key}`)).status, held: false });
    }
  }
  if (slot === undefined) return undefined;
  const state = await ehrSlotState(ctx, slot);
  if (!state) return undefined;
  if (state.free || (await ehrBookingsOnSlot(ctx, slot.id)).length > 0) {
    // Still held by a booking that is not the run's: not the run's to free.
    const last = tried[tried.length - 1];
    if (last) last.held = state.free;
    return { premise: 'free-slot', slot: slot.id, via: state.free ? 'remove-booking' : null, confirmed: state.free, readBy: state.readBy, tried };
  }
  const freed = await freeSlot(ctx, slot, undefined, { ways: ['slot-update', 'slot-patch'] });
  return { ...freed.premise, tried: [...tried, ...freed.premise.tried] };
}
