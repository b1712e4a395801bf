// The headline of a report: the vendor's result (graded, or not evaluated and why) and how much of it stands on
// evidence. Pure. Kept apart from the CI gate (src/scoring.ts), which is a pipeline's rule, not the vendor's result.
//
// Confidence (the same words the README uses):
// - a finding counts when its check weighs more than 0;
// - it stands on evidence when it is pass, warn or fail and its check has a score (an error leaves the whole
//   check unscored, so none of its findings reach the score); skip and error never do;
// - judged / total are those two counts; share = Σ weight × (judged / total in the check) ÷ Σ weight, over the
//   checks that weigh something (a check without findings adds 0), rounded to 3 decimals.
import type { CheckResult, Confidence, ConnectionSummary, Report, Status, Verdict } from './model/report.js';

const STANDS: ReadonlySet<Status> = new Set(['pass', 'warn', 'fail']);

export function confidenceOf(checks: readonly Pick<CheckResult, 'score' | 'weight' | 'findings'>[]): Confidence {
  let judged = 0;
  let total = 0;
  let weighted = 0;
  let totalWeight = 0;
  for (const check of checks.filter((c) => c.weight > 0)) {
    const n = check.findings.length;
    const k = check.score === null ? 0 : check.findings.filter((f) => STANDS.has(f.status)).length;
    judged += k;
    total += n;
    totalWeight += check.weight;
    weighted += n === 0 ? 0 : (check.weight * k) / n;
  }
  return { judged, total, share: totalWeight === 0 ? null : Math.round((weighted / totalWeight) * 1000) / 1000 };
}

/** What the verdict reads. */
export interface Verdictable {
  score: number | null;
  checks: readonly Pick<CheckResult, 'id' | 'weight' | 'findings'>[];
  connections: readonly Pick<ConnectionSummary, 'live'>[];
  partial?: boolean;
}

/** Graded whenever there is a score; otherwise not evaluated, with the reason a buyer can act on. */
export function verdictOf(run: Verdictable): Verdict {
  if (run.score !== null) return { status: 'graded', reason: null };
  return { status: 'not-evaluated', reason: notEvaluatedReason(run) };
}

function notEvaluatedReason(run: Verdictable): string {
  const n = run.connections.length;
  if (n > 0 && run.connections.every((c) => !c.live)) {
    // Nothing reached: the buyer's own setup (addresses, network, credentials) is the first suspect, not the vendor.
    const which = n === 1 ? "the plan's only connection" : `none of the ${n} connections`;
    return `${which} could ${n === 1 ? 'not ' : ''}be reached or used, so nothing about the vendor was judged; check the plan's URLs, the network and the credentials (see connection-live)`;
  }
  if (run.partial) return 'the run was interrupted before anything could be judged';
  const why = run.checks.map((c) =>
    c.weight <= 0 ? `${c.id} weighs 0` : c.findings.some((f) => f.status === 'error') ? `${c.id} errored` : `${c.id} had nothing to judge`,
  );
  return why.length > 0 ? `no check could be scored (${why.join(', ')})` : 'no check was run';
}

/** The verdict a report carries, or, for a 1.0 report without one, the verdict derived from it. */
export const reportVerdict = (report: Report): Verdict => report.verdict ?? verdictOf(report);

/** The confidence a report carries, or the one derived from its checks. */
export const reportConfidence = (report: Report): Confidence => report.confidence ?? confidenceOf(report.checks);
