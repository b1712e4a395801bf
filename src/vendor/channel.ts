// The vendor as a port: what ehr-check asks of any vendor, whatever it speaks. Adapters (src/vendor/fhir.ts is
// the first) turn these into requests and their answers into outcomes; probes speak only to this interface.
import type { Appointment, Patient } from '@medplum/fhirtypes';
import type { RequestLog } from '../http/types.js';
import type { Slot } from '../model/fhir.js';
import type { VendorAnswer } from './outcome.js';

export interface SlotWindow {
  start: string;
  end: string;
}

/** What a channel can be asked; a probe whose question a channel cannot answer is skipped, not failed. */
export interface VendorAbilities {
  freeSlots: boolean;
  book: boolean;
  findBooking: boolean;
  registerPatient: boolean;
}

/** Whether the vendor answers an authorised read; `cause` as connection-live reports it. */
export interface VendorLiveness {
  ok: boolean;
  cause?: 'auth' | 'http' | 'not-searchset';
  status?: number;
  message?: string;
}

export interface VendorChannel {
  /** The plan's `vendor.kind` this channel speaks. */
  readonly kind: string;
  readonly can: VendorAbilities;
  /** Every request made to the vendor, redacted: the evidence findings keep. */
  readonly log: RequestLog;
  /** One authorised read of the vendor's free slots (of `schedule`, when known). */
  liveness(schedule?: string): Promise<VendorLiveness>;
  /** The slots the vendor offers as free in the window, as it describes them. */
  freeSlots(schedule: string, window: SlotWindow): Promise<Slot[]>;
  /** Books; `bookingIdentifier` (`system|value`) makes a repeat of the same booking a no-op. */
  book(appointment: Appointment, bookingIdentifier: string): Promise<VendorAnswer>;
  /** The vendor's own records of a booking, by its identifier (`system|value`). */
  findBooking(bookingIdentifier: string): Promise<Appointment[]>;
  /** Registers a patient; `matchIdentifier` (`system|value`) is how the vendor should find an existing one. */
  registerPatient(patient: Patient, matchIdentifier: string): Promise<VendorAnswer>;
  close(): Promise<void>;
}
