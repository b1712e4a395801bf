// The report's types: docs/report.md. Stable fields are marked; add fields freely, never rename these within 1.x.

export const REPORT_SCHEMA_VERSION = '1.2';

export type Status = 'pass' | 'warn' | 'fail' | 'error' | 'skip';

// The check and finding ids come from the checks' own data (checks/catalog.ts), as literal types.
export type { CheckId, FindingId } from '../../checks/catalog.js';
export { ALL_FINDING_IDS, CHECK_IDS, FINDINGS_BY_CHECK, RUN_LEVEL_FINDINGS } from '../../checks/catalog.js';
import type { CheckId, FindingId } from '../../checks/catalog.js';

/** One HTTP exchange kept as evidence, with credentials and query secrets removed. */
export interface RequestRecord {
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  at: string;
  error?: string;
  /** A 3xx answer's Location (redacted), and whether it pointed to another origin than the request's. */
  redirectedTo?: string;
  crossOrigin?: true;
}

export interface Finding {
  id: FindingId;
  /** The connection's system id (`epic`, `epic#2`); absent for run-level findings. */
  connection?: string;
  status: Status;
  title: string;
  message: string;
  evidence: Record<string, unknown>;
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: Status;
  /** 0..1, or null when an `error` finding (or nothing judgeable) leaves the check unscored. */
  score: number | null;
  weight: number;
  findings: Finding[];
}

export interface Gate {
  minScore: number | null;
  require: CheckId[];
  passed: boolean;
  reasons: string[];
}

export interface ConnectionSummary {
  system: string;
  ehrBaseUrl: string;
  /** Since 1.2: how the vendor was reached (`fhir`, `http`, `person`, `scheduling-links`); a 1.0 or 1.1 report lacks it: `fhir`. */
  vendorKind?: string;
  /** Where the vendor was reached: its API's base URL, its feed's manifest URL, or the person's channel address. */
  vendorBaseUrl: string;
  live: boolean;
  [extra: string]: unknown;
}

export interface CleanupSummary {
  /** Records the run's writes made in the EHR, directly or through the vendor: one line each in `writes`. */
  created: number;
  /** Of those, removed (by the probe that made them, or by cleanup). */
  removed: number;
  /** What is still there: a line per record of `created` not removed, then the `otherLeftover` lines. */
  leftover: string[];
  // Counted under their own names (issue 11); absent in reports written before them.
  /** Of `removed`: deleted by the probe that made them, during the run. */
  removedByProbe?: number;
  /** Of `created`: records carrying a run identifier beyond one per write that carried it (a vendor writing twice). */
  foundByIdentifier?: number;
  /** Of `created`: records found only by the run tag. */
  foundByTag?: number;
  /** Writes that made no record: refused, matched an existing record, or a replay the vendor recognised. */
  writesWithoutRecord?: number;
  /** Slots the run changed, and of those the ones cleanup put back (the probes put back the rest, or they are left over). */
  slotsTouched?: number;
  restored?: number;
  /** Leftover lines that are not a record: a slot not put back, a search that failed, a step a person did not do. */
  otherLeftover?: number;
  [extra: string]: unknown;
}

export interface Report {
  schemaVersion: string;
  tool: { name: 'ehr-check'; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  vendor: { name: string };
  buyer: { name: string };
  /** 0..100, or null when nothing could be judged. */
  score: number | null;
  /** From the score; null (since 1.1) when nothing could be judged: not evaluated is no grade, least of all F. */
  grade: Grade | null;
  gate: Gate;
  checks: CheckResult[];
  connections: ConnectionSummary[];
  cleanup: CleanupSummary;
  /** True when the run was interrupted and this report is partial. */
  partial?: boolean;
  coverage?: { matrix: CoverageRow[]; claimedSystemCount: number | null; verifiedCount: number };
  roi?: RoiPanel | null;
  writes?: WriteRecord[];
  /** Since 1.1; a 1.0 report lacks them, and readers derive them (src/verdict.ts). */
  verdict?: Verdict;
  confidence?: Confidence;
  [extra: string]: unknown;
}

// ---- The headline (1.1): the vendor's result, kept apart from the CI gate ----

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

/** The vendor's result: graded (score and grade), or not evaluated, with why (nothing could be judged). */
export interface Verdict {
  status: 'graded' | 'not-evaluated';
  reason: string | null;
}

/**
 * How much of the evaluation stands on evidence: `judged` of `total` findings (in checks that weigh something)
 * count toward the score; `share` is the same by weight, 0..1 (null when no check weighs anything).
 */
export interface Confidence {
  judged: number;
  total: number;
  share: number | null;
}

// ---- Fields added beyond docs/report.md's stable core (formatters read them when present) ----

/** One freshness trial as measured: the lag lies in [lowMs, highMs]; lagMs is the midpoint. */
export interface LagSample {
  lagMs: number | null; // null when censored (not seen within timeoutSeconds)
  lowMs: number;
  highMs: number;
  censored: boolean;
  direction: 'ehr-to-vendor' | 'vendor-to-ehr';
  change?: string; // e.g. 'block-slot', 'free-slot', 'book'
  /** The slot this trial changed (trials of a direction run at once, each on its own slot). */
  slot?: string;
  /** When the trial's change was sent, in ms after the connection's freshness trials began. */
  startMs?: number;
}

/** Evidence of `ehr-to-vendor-lag` / `vendor-to-ehr-lag` findings (the first six keys are stable). */
export interface LagEvidence {
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  trials: number;
  censored: number;
  class: 'real-time' | 'near-real-time' | 'delayed' | 'stale';
  samples: LagSample[];
  realTimeSeconds: number;
  nearRealTimeSeconds: number;
  timeoutSeconds: number;
  [extra: string]: unknown;
}

/**
 * A buyer's site against the vendor: `verified` (a booking landed in the EHR), `read-only` (live, but a booking
 * did not land), `untested` (live, but no booking was judged: writes off, or the EHR cannot take one),
 * `unreachable` (no live connection), `claimed-only` (claimed, no connection given), `absent` (neither).
 */
export type SiteState = 'verified' | 'read-only' | 'untested' | 'unreachable' | 'claimed-only' | 'absent';

/** One row of the coverage matrix: a system against what was claimed and what was seen. */
export interface CoverageRow {
  system: string;
  displayName: string;
  claimed: boolean;
  buyerRuns: boolean;
  live: boolean | null; // null: no connection given
  read: Status | null; // read-through result
  write: Status | null; // write-lands result
  certified: 'verified' | 'claimed' | 'lapsed' | 'none';
  /** ONC (g)(10) certification of the EHR's developer, from CHPL, when looked up. */
  ehrCertified?: 'certified' | 'not-certified' | 'unknown';
}

/** The cost panel: what the measured behaviour costs the buyer per week. */
export interface RoiPanel {
  bookingsPerWeek: number;
  minutesPerManualEntry: number;
  staffHourlyCost: number;
  manualReentriesPerWeek: number;
  staffHoursPerWeek: number;
  costPerWeek: number;
  expectedDoubleBookingsPerWeek: number;
  // The two parts of the cost (issue 11); absent in reports written before them, where costPerWeek was re-entries only.
  minutesPerDoubleBooking?: number;
  reentryHoursPerWeek?: number;
  reentryCostPerWeek?: number;
  doubleBookingHoursPerWeek?: number;
  doubleBookingCostPerWeek?: number;
  /** Since the volume check: bookings lost and duplicated at volume, per week, and their staff time and cost; absent when it did not run. */
  volumeLostPerWeek?: number;
  volumeDuplicatesPerWeek?: number;
  volumeHoursPerWeek?: number;
  volumeCostPerWeek?: number;
  /** Plain-words formulas and the measured inputs they used. */
  basis: Record<string, string | number | null>;
}

/** A write the run made (from the ledger), and whether cleanup undid it. */
export interface WriteRecord {
  connection: string;
  target: 'ehr' | 'vendor';
  action: string;
  resourceType: string;
  id?: string;
  removed: boolean;
  /** Who removed it: the probe that made it (during the run) or cleanup (at the end). */
  removedBy?: 'probe' | 'cleanup';
  /** Still in the vendor's queue (HTTP 202), not in the EHR yet: nothing to remove so far. */
  queued?: boolean;
}
