// The volume burst in numbers: each booking key sorted by what the vendor answered and what the EHR holds for it.
// Pure; the volume check judges these counts, and the cost panel reads them back from the finding's evidence.
import { percentile } from '../src/freshness/lag.js';
import type { LagSample } from '../src/model/report.js';
import type { VolumeBooking, VolumeData, VolumeRequest } from '../src/probes/volume/types.js';
import { accepted } from '../src/vendor/outcome.js';

const tookIt = (r: VolumeRequest) => r.outcome !== 'throttled' && r.outcome !== 'no-answer' && accepted(r.outcome);
/** The vendor said no in so many words: a 4xx, or throttling it kept up past every resend. */
const saidNo = (r: VolumeRequest) => r.outcome === 'refused' || r.outcome === 'throttled';

export interface VolumeTally {
  /** Bookings sent (each with its own key), and the requests sent for them (retries and resends included). */
  attempted: number;
  requests: number;
  /** Bookings the vendor accepted (confirmed or queued) in any of their requests. */
  accepted: number;
  /** Bookings the vendor turned down in every request: refused (4xx), throttled past every resend, or no answer. */
  refused: number;
  throttledBookings: number;
  noAnswer: number;
  /** Bookings the EHR holds at all (by key, or as the one keyless booking on their slot). */
  landed: number;
  /** Of those, held only as a booking on their slot that carries no key: there once, but untraceable by key. */
  landedWithoutKeyKeys: string[];
  /** Extra active Appointments: a key held more than once, and bookings on the burst's slots carrying no key. */
  duplicates: number;
  duplicateKeys: string[];
  unkeyedAppointments: number;
  /** Accepted, yet not in the EHR after the wait. */
  lostKeys: string[];
  /** Refused in so many words, yet in the EHR: the patient was told no and holds a booking. */
  refusedButWrittenKeys: string[];
  /** Retries sent while their first request was still unanswered (the race the check is about). */
  retries: number;
  retriesInFlight: number;
  /** Every 429/503 the vendor answered, and the 5xx and unanswered requests. */
  throttledAnswers: number;
  errorAnswers: number;
  refusalStatuses: number[];
  /** Vendor → EHR lag under load, over the accepted bookings seen in the EHR (ms; null when none). */
  lagP50Ms: number | null;
  lagP95Ms: number | null;
  lagMaxMs: number | null;
}

export function tallyVolume(d: VolumeData): VolumeTally {
  // A booking the vendor wrote without its key is the one keyless booking on its slot; any more are duplicates.
  const keyless = new Map(d.unkeyed.map((u) => [u.slot, u.appointmentIds.length]));
  const withoutKey = new Set(d.bookings.filter((b) => b.landed === 0 && (keyless.get(b.slot) ?? 0) > 0).map((b) => b.key));
  const held = (b: VolumeBooking) => b.landed + (withoutKey.has(b.key) ? 1 : 0);
  const by = (test: (b: VolumeBooking) => boolean) => d.bookings.filter(test);
  const took = (b: VolumeBooking) => b.requests.some(tookIt);
  const all = d.bookings.flatMap((b) => b.requests);
  const refused = by((b) => !took(b));
  const retries = all.filter((r) => r.kind === 'retry');
  const duplicated = by((b) => b.landed > 1);
  const unkeyedAppointments = d.unkeyed.reduce((n, u) => n + u.appointmentIds.length, 0) - withoutKey.size;
  const lags: LagSample[] = d.bookings.flatMap((b) =>
    b.lag ? [{ lagMs: b.lag.lagMs, lowMs: b.lag.lowMs, highMs: b.lag.highMs, censored: false, direction: 'vendor-to-ehr' as const }] : [],
  );
  return {
    attempted: d.bookings.length,
    requests: all.length,
    accepted: d.bookings.length - refused.length,
    refused: refused.length,
    throttledBookings: refused.filter((b) => b.requests.every((r) => r.kind === 'retry' || r.outcome === 'throttled')).length,
    noAnswer: refused.filter((b) => b.requests.every((r) => r.outcome === 'no-answer')).length,
    landed: by((b) => held(b) > 0).length,
    landedWithoutKeyKeys: [...withoutKey],
    duplicates: duplicated.reduce((n, b) => n + b.landed - 1, 0) + unkeyedAppointments,
    duplicateKeys: duplicated.map((b) => b.key),
    unkeyedAppointments,
    lostKeys: by((b) => took(b) && held(b) === 0).map((b) => b.key),
    refusedButWrittenKeys: by((b) => !took(b) && held(b) > 0 && b.requests.some(saidNo)).map((b) => b.key),
    retries: retries.length,
    retriesInFlight: retries.filter((r) => r.firstInFlight).length,
    throttledAnswers: Math.max(d.throttledAnswers, all.filter((r) => r.outcome === 'throttled').length),
    errorAnswers: all.filter((r) => r.outcome === 'no-answer' || (r.outcome === 'failed' && r.status !== null && r.status >= 500)).length,
    refusalStatuses: [...new Set(all.filter((r) => r.outcome === 'refused').map((r) => r.status!))].sort(),
    lagP50Ms: percentile(lags, 50),
    lagP95Ms: percentile(lags, 95),
    lagMaxMs: lags.length ? Math.max(...lags.map((l) => l.lagMs!)) : null,
  };
}
