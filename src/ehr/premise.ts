// Premises: what a verdict rests on, confirmed in the EHR before the verdict is drawn. A change ehr-check makes
// (a slot blocked or freed, an EHR-side booking) is read back, and so is the state a verdict compares against
// (a slot free before it is booked, the test patient). A 2xx is no proof: an EHR that derives a slot's status
// from its bookings answers a write of `busy` with 200 and keeps the slot free. A premise that no way confirms
// is a PremiseError: the finding is `error` with the reason, never a verdict about the vendor.
import { searchable, supports } from '../capability/reader.js';
import type { ConnectionContext } from '../context.js';
import type { Premise, PremiseKind, PremiseTry, ReadWay } from '../evidence.js';
import { canReadSlots } from './capability.js';
import { ehrBookingsOnSlot, ehrFreeSlots, readSlot, slotWindow } from './ops.js';
import type { Slot } from '../model/fhir.js';

// The premise's shape and PremiseError are evidence, kept in src/evidence.ts; they are re-exported for the EHR side.
export { PremiseError, type ChangeWay, type Premise, type PremiseKind, type PremiseTry, type ReadWay } from '../evidence.js';

/** A premise confirmed by reading alone (no change made). */
export function readPremise(premise: PremiseKind, readBy: ReadWay, slot?: string): Premise {
  return { premise, ...(slot !== undefined && { slot }), via: readBy, confirmed: true, readBy, tried: [{ via: readBy, status: null, held: true }] };
}

/** "slot-update answered 200 but the EHR still shows the slot free; ehr-appointment answered 405". */
export function describeTries(tried: readonly PremiseTry[]): string {
  return tried.map((t) => `${t.via}${t.status !== null ? ` answered ${t.status}` : ''}${t.note ? ` (${t.note})` : ''}`).join('; ');
}

export interface SlotState {
  /** The Slot's status, where the EHR's API reads it. */
  status?: Slot['status'];
  free: boolean;
  readBy: ReadWay;
}

/**
 * What the EHR shows of one slot now: its status where Slot can be read, else whether a Slot search lists it
 * free, else whether an active booking holds it. Undefined when the EHR's API can show none of these.
 */
export async function ehrSlotState(ctx: ConnectionContext, slot: Pick<Slot, 'id' | 'start' | 'end'>): Promise<SlotState | undefined> {
  const cap = ctx.capability;
  if (canReadSlots(ctx)) {
    const current = await readSlot(ctx, slot.id);
    return { status: current.status, free: current.status === 'free', readBy: 'slot-read' };
  }
  if (cap?.ok && supports(cap, 'Slot', 'search-type') && slot.start && slot.end && ctx.schedule) {
    const listed = (await ehrFreeSlots(ctx, slotWindow(slot as Slot))).some((s) => s.id === slot.id);
    return { ...(listed && { status: 'free' }), free: listed, readBy: 'slot-search' };
  }
  if (!cap?.ok || searchable(cap, 'Appointment', 'slot')) {
    return { free: (await ehrBookingsOnSlot(ctx, slot.id)).length === 0, readBy: 'appointment-search' };
  }
  return undefined;
}

/** "busy-unavailable", "not listed free", "1 active booking": what a state reads as, for notes. */
export function stateText(state: SlotState | undefined): string {
  if (!state) return "the EHR's API cannot show the slot";
  if (state.status) return `the EHR shows it ${state.status}`;
  return state.free ? 'the EHR shows it free' : 'the EHR shows it taken';
}
