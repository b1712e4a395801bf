// The evidence the freshness probes gather (re-exported by src/probes/freshness.ts).
import type { LagEvidence } from '../../model/report.js';
import type { FreshnessSettings } from '../../model/plan.js';
import type { OperatorStepRecord } from '../../operator/types.js';
import type { ProbeOutcome } from '../../evidence.js';
import type { Premise } from '../../ehr/premise.js';
import type { VendorOutcome } from '../../vendor/outcome.js';

export type FreshnessProbeSettings = Pick<FreshnessSettings, 'trials' | 'timeoutSeconds' | 'realTimeSeconds' | 'nearRealTimeSeconds'> & {
  /** Double-booking race attempts (default 3: simultaneous, vendor first, EHR first). */
  raceAttempts?: number;
  /** Seed of the start offsets and slot order; by default derived from the run id and connection. */
  seed?: number;
};

export interface ProbeErrorNote {
  kind: string;
  message: string;
}

/** One lag direction, measured. */
export interface LagData {
  lag: LagEvidence;
  /** How changes were made: in the EHR by Slot update or an EHR-side Appointment; or by booking through the vendor. */
  methods: string[];
  slots: string[];
  /** The seeded random wait before each trial's change. */
  offsetsMs: number[];
  seed: number;
  /** vendor-to-ehr: the vendor's answer to each booking (202 = queued for later entry). */
  vendorStatuses?: number[];
  /** vendor-to-ehr: bookings of free slots the vendor refused (no lag to measure). */
  refused?: number;
  /** Why some polls got no usable answer (first few). */
  pollErrors: ProbeErrorNote[];
  /** What the trials rested on, each confirmed in the EHR: the patient, each slot free, each change made and undone. */
  premises: Premise[];
  /** The run was interrupted: these are the trials finished before it. */
  interrupted: boolean;
  /** ehr-to-vendor by a person: each change they were asked for, with when they were asked and confirmed. */
  operatorSteps?: OperatorStepRecord[];
  /**
   * vendor-to-ehr through a person at the vendor's product: each booking they were asked to make. The lag runs
   * from asking; the time they took to confirm is inside each trial's error bound.
   */
  vendorSteps?: OperatorStepRecord[];
}

export type RaceOrder = 'simultaneous' | 'vendor-first' | 'ehr-first';

/** One attempt at the double-booking race, as the EHR recorded it. */
export interface RaceAttempt {
  order: RaceOrder;
  /** How many ms the later side waited after the earlier one. */
  offsetMs: number;
  slot: string;
  /** How the EHR side took the slot: an EHR-side Appointment, or the Slot closed by update or patch with If-Match. */
  ehrMethod: 'ehr-appointment' | 'slot-update' | 'slot-patch';
  ehrStatus: number | null;
  ehrError?: ProbeErrorNote;
  vendorStatus: number | null;
  /** What the vendor's answer meant, where its status alone does not say it (a REST API's 201 for "pending"). */
  vendorOutcome?: VendorOutcome;
  vendorError?: ProbeErrorNote;
  /** For a queued booking the EHR never held: the vendor's own record's status (`cancelled`: it owned up to the failure). */
  vendorRecord?: string;
  /** The vendor answered 202 and the probe waited this long for the queued booking to land. */
  queuedWaitMs?: number;
  /** Active Appointments the EHR holds on the slot after the race (ids only). */
  ehrAppointmentIds: string[];
  /** The EHR holds the vendor's booking (found by its KEY). */
  vendorBookingHeld: boolean;
  /** The EHR side's change held, as read back from the EHR (the Slot reads closed, or the EHR-side Appointment is active). */
  ehrBlockHeld: boolean;
  doubleBooked: boolean;
  /** The double booking came from the EHR side booking after the vendor's booking was in (an overbooking EHR). */
  vendorBookedFirst?: boolean;
  /** The vendor confirmed (200/201) a booking the EHR does not hold. */
  confirmedNotHeld: boolean;
  /** What the attempt rested on, read from the EHR: the patient, the slot free, the EHR side's change, the slot freed after. */
  premises: Premise[];
  /** When the attempt began, in ms after the connection's freshness trials began (attempts run at once). */
  startMs?: number;
}

export interface RaceData {
  attempts: RaceAttempt[];
  interrupted: boolean;
}

/** What the EHR's CapabilityStatement offers for learning about changes: context for the lag findings. */
export interface ChangeNotificationContext {
  subscriptionResource: boolean;
  channelTypes: string[];
  topicBased: boolean;
  topics: string[];
  /** Resource types searchable by `_lastUpdated` (of Slot, Appointment, Schedule). */
  lastUpdatedSearch: string[];
}

export interface FreshnessEvidence {
  connection: string;
  writesAllowed: boolean;
  ehrToVendor: ProbeOutcome<LagData>;
  vendorToEhr: ProbeOutcome<LagData>;
  race: ProbeOutcome<RaceData>;
  changeNotification?: ChangeNotificationContext;
}
