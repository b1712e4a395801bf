// The evidence the volume probe gathers: every booking of the burst, each request sent for it and what the
// vendor answered, and what the EHR holds for it afterwards. Plain data; checks/volume.ts judges it.
import type { ProbeOutcome } from '../../evidence.js';
import type { Premise } from '../../ehr/premise.js';
import type { VendorOutcome } from '../../vendor/outcome.js';

/** `checks.volume` as the probe uses it, with how long a queued booking is waited for. */
export interface VolumeProbeSettings {
  bookings: number;
  concurrency: number;
  retryShare: number;
  /** After the burst, how long an accepted booking not yet in the EHR is waited for (the freshness lag bound). */
  queueWaitMs: number;
}

/**
 * One request sent for a booking. `first`: the booking. `retry`: the same booking sent again with the same key
 * while the first was in flight, as a client retrying on a timeout would. `resend`: sent again after the vendor
 * throttled it (429/503), once its Retry-After had passed.
 */
export interface VolumeRequest {
  kind: 'first' | 'retry' | 'resend';
  /** ms after the burst began. */
  sentMs: number;
  answeredMs: number | null;
  /** The vendor's HTTP status; null when no answer came. */
  status: number | null;
  /** `throttled`: 429/503 still after the client's own retries; `no-answer`: timeout, reset, unreadable answer. */
  outcome: VendorOutcome | 'throttled' | 'no-answer';
  /** What the vendor asked to wait, on a throttled answer. */
  retryAfterMs?: number;
  error?: string;
  /** A retry: whether its booking's first request was still unanswered when it was sent. */
  firstInFlight?: boolean;
}

/** One booking of the burst, as sent and as the EHR holds it. */
export interface VolumeBooking {
  key: string;
  slot: string;
  requests: VolumeRequest[];
  /** Active Appointments the EHR holds for the key at the end. */
  landed: number;
  /** Their ids (and those of inactive ones, marked), for the evidence. */
  appointmentIds: string[];
  /**
   * From the accepted request to the EHR showing the booking: lies in [lowMs, highMs], the looks before and at
   * the first sight (lagMs the midpoint); null when it was never seen.
   */
  lag: { lagMs: number; lowMs: number; highMs: number } | null;
}

/** Active Appointments on a slot the burst booked that carry none of the run's booking keys. */
export interface UnkeyedBookings {
  slot: string;
  appointmentIds: string[];
}

export interface VolumeData {
  settings: { bookings: number; concurrency: number; retryShare: number };
  /** Slots free both in the EHR and in the vendor's view of the probed window when the burst began. */
  slotsFree: number;
  bookings: VolumeBooking[];
  /** Bookings not started: the run was interrupted first. */
  notStarted: number;
  unkeyed: UnkeyedBookings[];
  /** Whether the EHR lists the bookings on a slot (unkeyed writes are looked for only then). */
  slotsSearched: boolean;
  /** Every 429/503 the vendor answered to a booking request, those the client waited out and resent included. */
  throttledAnswers: number;
  /** How often the EHR was looked at while waiting: the error bound of each lag. */
  lookIntervalMs: number;
  /** From the first booking sent to the last answer. */
  burstMs: number;
  /** After the burst, how long the run waited for accepted bookings to show in the EHR. */
  waitedMs: number;
  /** The most requests in flight to the vendor at once (firsts, retries and resends). */
  peakInFlight: number;
  interrupted: boolean;
  /** Looks at the EHR that got no usable answer while waiting (the first few); the final count is not among them. */
  lookErrors?: string[];
  /** The test patient and the free slots, as the EHR confirmed them. */
  premises: Premise[];
}

export interface VolumeEvidence {
  connection: string;
  writesAllowed: boolean;
  writesAtVolume: ProbeOutcome<VolumeData>;
}
