// The run's second step: evidence in, findings out, through the check registry. Pure: no I/O, no clock (the
// moment certifications are judged against is in the evidence), so it can be replayed from recorded evidence.
import type { RunEvidence } from '../../checks/evidence.js';
import { CHECKS, EHR_PROBED_FINDINGS, type CheckId } from '../../checks/index.js';
import { capabilityBasis } from '../capability/verified.js';
import type { Plan } from '../model/plan.js';
import type { Finding, FindingId } from '../model/report.js';
import type { JudgedCheck } from '../scoring.js';

export interface JudgedRun {
  /** The wanted checks' findings, in report order. */
  checks: JudgedCheck[];
  /** Every check's input, as its definition picked it from the evidence (the report's coverage matrix reads one). */
  inputs: ReadonlyMap<CheckId, unknown>;
}

/**
 * Judges every check in registry order (a check reads the findings of those it `uses`, judged before it), then
 * keeps the wanted ones. Judging a check nobody asked for costs nothing and keeps the coverage matrix whole.
 */
export function judgeRun(evidence: RunEvidence, settings: Plan['checks'], wanted: readonly CheckId[]): JudgedRun {
  const findings = new Map<string, Finding[]>();
  const inputs = new Map<CheckId, unknown>();
  for (const check of CHECKS) {
    const input = check.input(evidence, findings);
    inputs.set(check.id, input);
    // Each definition's input and judge belong together; the registry's union type cannot say so.
    const judge = check.judge as (input: unknown, settings: unknown) => Finding[];
    findings.set(check.id, withMethods(judge(input, settings[check.id]), evidence));
  }
  const checks = CHECKS.filter((c) => wanted.includes(c.id)).map((c) => ({ id: c.id, title: c.title, findings: findings.get(c.id)! }));
  return { checks, inputs };
}

/**
 * How each probed finding was (or could not be) judged on its EHR, in its evidence: the method the EHR's
 * CapabilityStatement allows (`api`, `operator`, `impossible`), why, and the interactions used.
 */
function withMethods(findings: Finding[], evidence: RunEvidence): Finding[] {
  const connections = new Map(evidence.connections.map((c) => [c.key, c]));
  return findings.map((f) => {
    const connection = f.connection === undefined ? undefined : connections.get(f.connection);
    const planned = connection?.methods?.[f.id];
    const vendor = connection?.vendorMethods?.[f.id as FindingId];
    if (!EHR_PROBED_FINDINGS.has(f.id) || (!planned && !vendor)) return f;
    // Declared vs verified, where a search the finding needed was not declared and was tried.
    const basis = capabilityBasis(f.id as FindingId, connection?.verification);
    const ehrSide = planned && { method: planned.method, methodReason: planned.reason, via: planned.via, ...(basis && { capabilityBasis: basis }) };
    // The vendor's side of how it was judged: by its API, by a person using its product, or not at all.
    const vendorSide = vendor && { vendorKind: connection?.vendorKind, vendorMethod: vendor.method, vendorMethodReason: vendor.reason };
    return { ...f, evidence: { ...ehrSide, ...vendorSide, ...f.evidence } };
  });
}
