// The vendor as a port: what ehr-check asks of any vendor, whatever it speaks. One adapter per plan `vendor.kind`
// (src/vendor/index.ts) turns these into requests, or into steps for a person, and their answers into outcomes;
// probes speak only to this interface. Whatever the channel says, verdicts about writes are read from the EHR.
import type { Appointment, Patient } from '@medplum/fhirtypes';
import type { RequestLog } from '../http/types.js';
import type { Slot } from '../model/fhir.js';
import type { OperatorStepRecord } from '../operator/types.js';
import type { VendorAnswer } from './outcome.js';

export interface SlotWindow {
  start: string;
  end: string;
}

/**
 * How the channel does one thing: by `api` (requests the tool makes), by a `person` using the vendor's product
 * (steps put to them), or not at all (`none`, with the reason, which a skipped finding repeats).
 */
export type VendorAbility = { by: 'api' } | { by: 'person' } | { by: 'none'; reason: string };

/** What a channel can be asked; a probe whose question a channel cannot answer is skipped, not failed. */
export interface VendorAbilities {
  /** Its free slots for a schedule and window. */
  freeSlots: VendorAbility;
  book: VendorAbility;
  /** Whether a repeat carrying the same booking key is the vendor's to recognise (false: "the same request made twice"). */
  bookingKey: boolean;
  /** Its own record of a booking (never a verdict: the EHR decides). */
  findBooking: VendorAbility;
  registerPatient: VendorAbility;
  /**
   * The shortest span between two reads of the vendor's free slots the vendor allows (a polled feed's interval,
   * honouring its Cache-Control): the error bound of a lag measured by polling it. Absent: as often as needed.
   */
  readIntervalMs?: number;
}

/** Whether the vendor answers an authorised read; `cause` as connection-live reports it. */
export interface VendorLiveness {
  ok: boolean;
  cause?: 'auth' | 'http' | 'not-searchset' | 'feed' | 'person';
  status?: number;
  message?: string;
  /** What the reading found, for evidence (a feed's conformance, a mapping's first answer). */
  detail?: Record<string, unknown>;
}

export interface VendorChannel {
  /** The plan's `vendor.kind` this channel speaks. */
  readonly kind: string;
  readonly can: VendorAbilities;
  /** Every request made to the vendor, redacted: the evidence findings keep. */
  readonly log: RequestLog;
  /** One authorised read of the vendor's free slots (of `schedule`, when known). */
  liveness(schedule?: string): Promise<VendorLiveness>;
  /**
   * The slots the vendor offers as free in the window, as it describes them. A slot's `id` is the EHR's when the
   * vendor knows it (its foreign id); otherwise its own, and src/vendor/slot-match.ts matches it by start and end.
   */
  freeSlots(schedule: string, window: SlotWindow): Promise<Slot[]>;
  /**
   * The stretch of `window` the vendor can be asked about in one go (a person asks about one half-day: "Tue
   * morning"); the probes compare the EHR over the same stretch. Absent: all of it.
   */
  askableWindow?(window: SlotWindow): SlotWindow;
  /** Books; `bookingIdentifier` (`system|value`) makes a repeat of the same booking a no-op where `can.bookingKey`. */
  book(appointment: Appointment, bookingIdentifier: string): Promise<VendorAnswer>;
  /** The vendor's own records of a booking, by its identifier (`system|value`). */
  findBooking(bookingIdentifier: string): Promise<Appointment[]>;
  /** Registers a patient; `matchIdentifier` (`system|value`) is how the vendor should find an existing one. */
  registerPatient(patient: Patient, matchIdentifier: string): Promise<VendorAnswer>;
  /** Steps a person took at the vendor's product since `mark` (person-driven channels only), for a finding's evidence. */
  personSteps?(mark: number): OperatorStepRecord[];
  close(): Promise<void>;
}

/** The ability as a sentence's end, for skip reasons: "the vendor cannot be asked to book: …". */
export function abilityProblem(what: string, ability: VendorAbility): string | undefined {
  return ability.by === 'none' ? `the vendor cannot be asked ${what}: ${ability.reason}` : undefined;
}
