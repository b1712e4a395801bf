// The report's types: DESIGN §6. Stable fields are marked; add fields freely, never rename these within 1.x.

export const REPORT_SCHEMA_VERSION = '1.0';

export type Status = 'pass' | 'warn' | 'fail' | 'error' | 'skip';
export type CheckId = 'bidirectional' | 'coverage' | 'freshness';
export const CHECK_IDS: readonly CheckId[] = ['bidirectional', 'coverage', 'freshness'];

export type FindingId =
  | 'read-through'
  | 'write-lands'
  | 'write-idempotent'
  | 'conflict-refused'
  | 'patient-matched'
  | 'certification'
  | 'required-systems'
  | 'claim-integrity'
  | 'connection-live'
  | 'ehr-to-vendor-lag'
  | 'vendor-to-ehr-lag'
  | 'double-booking-race';

export const FINDINGS_BY_CHECK: Record<CheckId, readonly FindingId[]> = {
  bidirectional: ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'certification'],
  coverage: ['required-systems', 'claim-integrity', 'connection-live'],
  freshness: ['ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race'],
};
export const ALL_FINDING_IDS: readonly FindingId[] = Object.values(FINDINGS_BY_CHECK).flat();

/** Findings that are judged once per run rather than per connection. */
export const RUN_LEVEL_FINDINGS: readonly FindingId[] = ['required-systems', 'claim-integrity'];

/** One HTTP exchange kept as evidence, with credentials and query secrets removed. */
export interface RequestRecord {
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  at: string;
  error?: string;
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
  vendorBaseUrl: string;
  live: boolean;
  [extra: string]: unknown;
}

export interface CleanupSummary {
  created: number;
  removed: number;
  leftover: string[];
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
  grade: 'A' | 'B' | 'C' | 'D' | 'F';
  gate: Gate;
  checks: CheckResult[];
  connections: ConnectionSummary[];
  cleanup: CleanupSummary;
  /** True when the run was interrupted and this report is partial. */
  partial?: boolean;
  [extra: string]: unknown;
}
