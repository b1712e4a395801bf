// The cost panel: what the measured behaviour costs the buyer's staff per week, for manual re-entries and for
// double-bookings.
// Pure. The formulas are stated in each panel's `basis` and in README.md ("Cost panel formulas").
import type { BuyerVolumes } from './model/plan.js';
import { VOLUME_DEFAULTS } from './contracts/defaults.js';
import type { Finding, LagSample, RoiPanel, Status } from './model/report.js';
import { REENTRY_RULE, trialReentries } from './reentry.js';

/** Open hours a week the model spreads bookings and changes over: 9 hours × 5 days. */
export const OPEN_SECONDS_PER_WEEK = 9 * 5 * 3600;

/** What was measured on one connection, as far as the cost panel needs it. */
export interface RoiMeasurement {
  connection: string;
  /** Share of bookings through the vendor that are manual re-entries (src/reentry.ts); null when not measured. */
  reentryFraction: number | null;
  /** Typical (p50) EHR → vendor lag in seconds; null when not measured. */
  lagSeconds: number | null;
  /** The p50 lag was never seen within the timeout: `lagSeconds` is the timeout, a lower bound. */
  lagIsLowerBound: boolean;
  /** The double-booking race passed: a stale view cannot turn into a double-booking. */
  racePassed: boolean;
  /** The volume burst, when judged: bookings sent, accepted ones lost, extra Appointments written. */
  volume?: { attempted: number; lost: number; duplicates: number };
}

const JUDGED: ReadonlySet<Status> = new Set(['pass', 'warn', 'fail']);

/** Reads the measurements out of the judged findings (bidirectional and freshness), per connection. */
export function roiMeasurementsFrom(findings: Finding[]): RoiMeasurement[] {
  const keys = [...new Set(findings.filter((f) => f.connection && f.id !== 'certification').map((f) => f.connection!))];
  return keys.map((connection) => {
    const get = (id: Finding['id']) => findings.find((f) => f.connection === connection && f.id === id && JUDGED.has(f.status));
    const lag = get('ehr-to-vendor-lag');
    const p50 = lag?.evidence.p50Ms;
    const timeout = Number(lag?.evidence.timeoutSeconds ?? 0);
    const lagIsLowerBound = lag !== undefined && p50 === null;
    return {
      connection,
      reentryFraction: reentryFraction(get('write-lands'), get('vendor-to-ehr-lag')),
      lagSeconds: lag === undefined ? null : typeof p50 === 'number' ? p50 / 1000 : timeout,
      lagIsLowerBound,
      racePassed: get('double-booking-race')?.status === 'pass',
      ...volumeMeasured(get('writes-at-volume')),
    };
  });
}

function volumeMeasured(f: Finding | undefined): Pick<RoiMeasurement, 'volume'> {
  const e = f?.evidence;
  if (typeof e?.attempted !== 'number' || e.attempted <= 0) return {};
  const lost = Array.isArray(e.lostKeys) ? e.lostKeys.length : 0;
  return { volume: { attempted: e.attempted, lost, duplicates: typeof e.duplicates === 'number' ? e.duplicates : 0 } };
}

/**
 * Share of the bookings tried through the vendor (write-lands and the vendor → EHR trials) that are manual
 * re-entries under the one rule of src/reentry.ts; null when none was judged. A write-lands finding without the
 * `manualReentry` flag (an older report) counts when it failed.
 */
function reentryFraction(writeLands: Finding | undefined, vendorToEhr: Finding | undefined): number | null {
  const flag = writeLands?.evidence.manualReentry;
  const landing = writeLands === undefined ? undefined : typeof flag === 'boolean' ? flag : writeLands.status === 'fail';
  const samples = (vendorToEhr?.evidence.samples as LagSample[] | undefined) ?? [];
  const statuses = (vendorToEhr?.evidence.vendorStatuses as number[] | undefined) ?? [];
  const trials = vendorToEhr ? trialReentries(samples, statuses) : { attempted: 0, reentries: 0 };
  const attempted = (landing === undefined ? 0 : 1) + trials.attempted;
  return attempted === 0 ? null : (Number(landing === true) + trials.reentries) / attempted;
}

export function buildRoiPanel(volumes: BuyerVolumes | undefined, measured: RoiMeasurement[]): RoiPanel | null {
  if (!volumes) return null;
  const { bookingsPerWeek: B, minutesPerManualEntry, staffHourlyCost } = volumes;
  const minutesPerDoubleBooking = volumes.minutesPerDoubleBooking ?? VOLUME_DEFAULTS.minutesPerDoubleBooking;
  const withReentry = measured.filter((m) => m.reentryFraction !== null);
  const fraction = withReentry.length ? withReentry.reduce((sum, m) => sum + m.reentryFraction!, 0) / withReentry.length : null;
  const manualReentriesPerWeek = round(B * (fraction ?? 0), 1);

  // Each connection gets an equal share of the bookings; other channels change as many slots as the vendor books.
  const withLag = measured.filter((m) => m.lagSeconds !== null);
  const share = withLag.length ? B / withLag.length : 0;
  const expectedDoubleBookingsPerWeek = round(
    withLag.reduce((sum, m) => sum + (m.racePassed ? 0 : share * staleExposure(B, m.lagSeconds!)), 0),
    2,
  );
  // Each step rounds what the panel shows, so a reader can redo the sums from the printed numbers.
  const reentryHoursPerWeek = round((manualReentriesPerWeek * minutesPerManualEntry) / 60, 2);
  const doubleBookingHoursPerWeek = round((expectedDoubleBookingsPerWeek * minutesPerDoubleBooking) / 60, 2);
  const reentryCostPerWeek = round(reentryHoursPerWeek * staffHourlyCost, 2);
  const doubleBookingCostPerWeek = round(doubleBookingHoursPerWeek * staffHourlyCost, 2);
  const volume = volumePart(measured, { B, fraction, minutesPerManualEntry, minutesPerDoubleBooking, staffHourlyCost });
  const describe = (m: RoiMeasurement) => `${m.connection}: ${m.lagIsLowerBound ? 'more than ' : ''}${round(m.lagSeconds!, 2)} s${m.racePassed ? ', race passed' : ''}`;
  return {
    bookingsPerWeek: B,
    minutesPerManualEntry,
    staffHourlyCost,
    manualReentriesPerWeek,
    staffHoursPerWeek: round(reentryHoursPerWeek + doubleBookingHoursPerWeek + (volume?.fields.volumeHoursPerWeek ?? 0), 2),
    costPerWeek: round(reentryCostPerWeek + doubleBookingCostPerWeek + (volume?.fields.volumeCostPerWeek ?? 0), 2),
    expectedDoubleBookingsPerWeek,
    minutesPerDoubleBooking,
    reentryHoursPerWeek,
    reentryCostPerWeek,
    doubleBookingHoursPerWeek,
    doubleBookingCostPerWeek,
    ...volume?.fields,
    basis: {
      manualReentriesPerWeek: 'bookingsPerWeek × reentryFraction (the share of bookings tried through the vendor that are manual re-entries)',
      manualReentry: REENTRY_RULE,
      reentryFraction: fraction === null ? null : round(fraction, 3),
      reentryHoursPerWeek: 'manualReentriesPerWeek × minutesPerManualEntry / 60',
      expectedDoubleBookingsPerWeek:
        'sum over connections of (bookingsPerWeek / connections) × (1 − e^(−otherChangesPerWeek × lagSeconds / openSecondsPerWeek)) × (0 if the double-booking race passed, else 1)',
      doubleBookingHoursPerWeek: 'expectedDoubleBookingsPerWeek × minutesPerDoubleBooking / 60 (staff time to find, call and rebook each; the harm to the patient is not priced)',
      minutesPerDoubleBooking: volumes.minutesPerDoubleBooking === undefined ? `${minutesPerDoubleBooking} (the default: buyer.volumes.minutesPerDoubleBooking is not set)` : `${minutesPerDoubleBooking} (from the plan)`,
      staffHoursPerWeek: 'reentryHoursPerWeek + doubleBookingHoursPerWeek',
      costPerWeek: 'reentryHoursPerWeek × staffHourlyCost + doubleBookingHoursPerWeek × staffHourlyCost',
      otherChangesPerWeek: B,
      openSecondsPerWeek: OPEN_SECONDS_PER_WEEK,
      lagSeconds: withLag.length ? withLag.map(describe).join('; ') : null,
      assumption: 'worst case: the vendor and the EHR’s other channels book the soonest open slot; other channels change as many slots as the vendor books',
      ...volume?.basis,
    },
  };
}

interface VolumeInputs {
  B: number;
  /** The one-at-a-time re-entry share: lost bookings it already counts are not counted again. */
  fraction: number | null;
  minutesPerManualEntry: number;
  minutesPerDoubleBooking: number;
  staffHourlyCost: number;
}

/**
 * Lost and duplicated bookings of the volume burst, per week: each connection's rates per booking (averaged, as the
 * re-entry share is), times the buyer's bookings. A lost booking is keyed in by hand (beyond the re-entries the
 * one-at-a-time probes already count); a duplicate is found, cancelled and explained like a double-booking.
 */
function volumePart(measured: RoiMeasurement[], v: VolumeInputs) {
  const bursts = measured.flatMap((m) => (m.volume ? [m.volume] : []));
  if (bursts.length === 0) return undefined;
  const mean = (rate: (b: NonNullable<RoiMeasurement['volume']>) => number) => bursts.reduce((sum, b) => sum + rate(b), 0) / bursts.length;
  const lostRate = mean((b) => b.lost / b.attempted);
  const duplicateRate = mean((b) => b.duplicates / b.attempted);
  const volumeLostPerWeek = round(v.B * Math.max(0, lostRate - (v.fraction ?? 0)), 1);
  const volumeDuplicatesPerWeek = round(v.B * duplicateRate, 1);
  const volumeHoursPerWeek = round((volumeLostPerWeek * v.minutesPerManualEntry + volumeDuplicatesPerWeek * v.minutesPerDoubleBooking) / 60, 2);
  const describe = bursts.map((b, i) => `${measured.filter((m) => m.volume)[i]!.connection}: ${b.lost} lost and ${b.duplicates} duplicated of ${b.attempted}`).join('; ');
  return {
    fields: { volumeLostPerWeek, volumeDuplicatesPerWeek, volumeHoursPerWeek, volumeCostPerWeek: round(volumeHoursPerWeek * v.staffHourlyCost, 2) },
    basis: {
      volumeLostPerWeek: 'bookingsPerWeek × max(0, lost / attempted in the volume burst − reentryFraction) (lost at volume beyond the re-entries counted above)',
      volumeDuplicatesPerWeek: 'bookingsPerWeek × duplicates / attempted in the volume burst',
      volumeHoursPerWeek: '(volumeLostPerWeek × minutesPerManualEntry + volumeDuplicatesPerWeek × minutesPerDoubleBooking) / 60',
      volumeBursts: describe,
      volumeAssumption: 'worst case: every booking of the week meets the burst’s rate and its share of client retries',
    },
  };
}

/** Probability that some other channel took a slot in the last `lagSeconds` (Poisson arrivals over open hours). */
export function staleExposure(otherChangesPerWeek: number, lagSeconds: number): number {
  return 1 - Math.exp((-otherChangesPerWeek * lagSeconds) / OPEN_SECONDS_PER_WEEK);
}

/** The panel straight from the judged findings: what the runner calls. */
export function roiPanel(volumes: BuyerVolumes | undefined, findings: Finding[]): RoiPanel | null {
  return buildRoiPanel(volumes, roiMeasurementsFrom(findings));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
