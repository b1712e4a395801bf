// The FHIR resources ehr-check reads and writes, from @medplum/fhirtypes: one set of types for the EHR side, the
// vendor side and the HTTP client.
import type { Appointment, Patient, Slot as FhirSlot } from '@medplum/fhirtypes';

/** A Slot as the EHR or the vendor lists it: a stored resource always has its id. */
export type Slot = FhirSlot & { id: string };
export type { Appointment, Patient };

/** A span of time probed for slots: ISO instants, start inclusive, end exclusive. */
export interface Window {
  start: string;
  end: string;
}
