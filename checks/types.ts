// The shape every check shares: a declarative object that judges evidence. Checks import no HTTP and no probe.
import type { CheckId, Finding, FindingId, Status } from '../src/model/report.js';

export interface CheckDefinition<Evidence, Settings = unknown> {
  id: CheckId;
  title: string;
  /** What the check verifies, in the buyer's words. */
  description: string;
  defaultWeight: number;
  /** The findings this check can produce. */
  findings: readonly FindingId[];
  /** Pure: evidence in, findings out (each finding carries the evidence that decided it). */
  judge(evidence: Evidence, settings?: Settings): Finding[];
}

/** Builds a finding; keeps call sites short and the field order of the report stable. */
export function finding(
  id: FindingId,
  connection: string | undefined,
  status: Status,
  title: string,
  message: string,
  evidence: Record<string, unknown> = {},
): Finding {
  return connection === undefined ? { id, status, title, message, evidence } : { id, connection, status, title, message, evidence };
}
