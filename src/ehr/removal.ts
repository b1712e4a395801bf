// Taking a record back out of the EHR, one way for the probes and for the run's cleanup: delete it, and where
// the EHR refuses the delete, cancel an Appointment that still holds its slot (a cancelled one frees it).
import type { FhirClient } from '../http/fhir-client.js';
import type { FhirResponse } from '../http/types.js';
import type { Appointment } from '../model/fhir.js';

/**
 * Statuses under which an Appointment holds its slot. `fulfilled` does: the visit took place in that slot, so it
 * counts as a booking on it, and an EHR that refuses to delete one must be asked to cancel it like any other.
 */
export const ACTIVE_APPOINTMENT: ReadonlySet<string> = new Set(['proposed', 'pending', 'booked', 'arrived', 'fulfilled', 'checked-in', 'waitlist']);

/** The delete counts as done: gone now, or already gone. */
export const deleteSettled = (status: number): boolean => status < 300 || status === 404 || status === 410;

export interface Removal {
  /** The EHR's last answer: the delete's, or the cancel's where the delete was refused. */
  answer: FhirResponse;
  /** Whether the record no longer stands in the EHR (deleted) or no longer holds its slot (cancelled, or was not active). */
  settled: boolean;
}

/** Steps the caller records before each write (the probes' ledger); the cleanup's own ledger entries exist already. */
export interface RemovalRecorder {
  before(action: 'remove' | 'cancel'): Promise<(status: number) => Promise<void>>;
}

const NOT_RECORDED: RemovalRecorder = { before: async () => async () => {} };

export async function removeRecord(ehr: FhirClient, resourceType: string, id: string, recorder: RemovalRecorder = NOT_RECORDED): Promise<Removal> {
  const deleting = await recorder.before('remove');
  const deleted = await ehr.delete(resourceType, id);
  await deleting(deleted.status);
  if (deleteSettled(deleted.status)) return { answer: deleted, settled: true };
  if (resourceType !== 'Appointment') return { answer: deleted, settled: false };
  const current = await ehr.read<Appointment>('Appointment', id);
  if (!ACTIVE_APPOINTMENT.has(current.status)) return { answer: deleted, settled: true };
  const cancelling = await recorder.before('cancel');
  const cancelled = await ehr.update({ ...current, status: 'cancelled' });
  await cancelling(cancelled.status);
  return { answer: cancelled, settled: cancelled.status < 300 };
}
