// Findings → check scores → one overall score, a grade and the gate verdict. Pure: no I/O, no clock.
//
// Rules (the same ones the report explains to its reader):
// - a finding earns pass 1, warn 0.5, fail 0; a skipped finding weighs nothing (it is left out);
// - an `error` finding makes its check's score null (we could not judge it, which is not the same as 0),
//   and a check where every finding was skipped is null too;
// - the overall score is the weighted mean of the checks' scores, over checks with a score and weight > 0
//   (the weights are renormalised over those), on 0..100 rounded to one decimal; null when no check counts;
// - the grade is read from the rounded score, so "89.95" shown as 90.0 is an A, as the reader would expect;
//   no score, no grade (null): a run where nothing could be judged is not evaluated, never an F.
// The gate is a pipeline's rule applied to that result; it never changes the score or the grade.
import { CHECKS } from '../checks/index.js';
import type { CheckId, CheckResult, Finding, Gate, Grade, Status } from './model/report.js';

export const FINDING_POINTS: Readonly<Record<'pass' | 'warn' | 'fail', number>> = { pass: 1, warn: 0.5, fail: 0 };

/** Severity order of the roll-up: the first status present wins. */
export const STATUS_SEVERITY: readonly Status[] = ['error', 'fail', 'warn', 'pass', 'skip'];

/** Each check's weight when the plan gives none, from its definition. */
export const DEFAULT_WEIGHTS = Object.fromEntries(CHECKS.map((c) => [c.id, c.defaultWeight])) as Readonly<Record<CheckId, number>>;

/** A check's score 0..1, or null when it holds an error or nothing judgeable. */
export function scoreFindings(findings: readonly Pick<Finding, 'status'>[]): number | null {
  if (findings.some((f) => f.status === 'error')) return null;
  const points = findings.flatMap((f) => (f.status === 'skip' || f.status === 'error' ? [] : [FINDING_POINTS[f.status]]));
  if (points.length === 0) return null;
  return points.reduce((sum, p) => sum + p, 0) / points.length;
}

/** The worst status among the findings; a check with no findings, or only skips, is `skip`. */
export function checkStatus(findings: readonly Pick<Finding, 'status'>[]): Status {
  return STATUS_SEVERITY.find((s) => findings.some((f) => f.status === s)) ?? 'skip';
}

/** Weighted mean of the scored checks, 0..100 with one decimal; null when no check has a score and weight. */
export function overallScore(checks: readonly Pick<CheckResult, 'score' | 'weight'>[]): number | null {
  const counted = checks.filter((c): c is { score: number; weight: number } => c.score !== null && c.weight > 0);
  const totalWeight = counted.reduce((sum, c) => sum + c.weight, 0);
  if (totalWeight === 0) return null;
  const mean = counted.reduce((sum, c) => sum + c.score * c.weight, 0) / totalWeight;
  return Math.round(mean * 1000) / 10;
}

export function gradeFor(score: number | null): Grade | null {
  if (score === null) return null;
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

/** What the gate demands; `minScore` null (or absent) means no minimum. */
export interface GateSpec {
  minScore?: number | null;
  require?: readonly CheckId[];
}

/** Command-line flags win over the plan's (or the saved report's) gate, each for its own part. */
export function resolveGateSpec(base: GateSpec | undefined, flags: { failUnder?: number; require?: readonly CheckId[] }): GateSpec {
  return {
    minScore: flags.failUnder ?? base?.minScore ?? null,
    require: flags.require && flags.require.length > 0 ? flags.require : (base?.require ?? []),
  };
}

/** The part of a report the gate reads. */
export interface Gateable {
  score: number | null;
  checks: readonly Pick<CheckResult, 'id' | 'status' | 'findings'>[];
}

/**
 * The gate fails when nothing could be judged, when the score is under the minimum, or when a required
 * check did not pass. A required check that is `warn` passes: warn means "works, with a concern", and
 * the score already carries its cost.
 */
export function evaluateGate(result: Gateable, spec: GateSpec): Gate {
  const minScore = spec.minScore ?? null;
  const require = [...new Set(spec.require ?? [])];
  const reasons: string[] = [];
  if (result.score === null) reasons.push('nothing could be judged: no check produced a score');
  else if (minScore !== null && result.score < minScore) {
    reasons.push(`score ${formatScore(result.score)} is under the minimum ${formatScore(minScore)}`);
  }
  for (const id of require) {
    const reason = requirementFailure(id, result.checks.find((c) => c.id === id));
    if (reason) reasons.push(reason);
  }
  return { minScore, require, passed: reasons.length === 0, reasons };
}

const VERB: Partial<Record<Status, string>> = { fail: 'failed', error: 'errored', skip: 'was skipped' };

function requirementFailure(id: CheckId, check: Gateable['checks'][number] | undefined): string | undefined {
  if (!check) return `${id} is required but was not run`;
  if (check.status === 'pass' || check.status === 'warn') return undefined;
  if (check.status === 'skip') {
    return `${id} is required but nothing in it could be judged (every finding was skipped)`;
  }
  // Name the findings that decided it, worst first, so the reader knows where to look.
  const culprits = check.findings
    .filter((f) => f.status === 'fail' || f.status === 'error')
    .sort((a, b) => STATUS_SEVERITY.indexOf(a.status) - STATUS_SEVERITY.indexOf(b.status))
    .map((f) => `${f.id} ${VERB[f.status]}${f.connection ? ` on ${f.connection}` : ''}`);
  const verb = VERB[check.status];
  return culprits.length > 0 ? `${id} ${verb}: ${culprits.join('; ')}` : `${id} ${verb}`;
}

/** 62.5 → "62.5", 70 → "70". */
export function formatScore(score: number): string {
  return String(Math.round(score * 10) / 10);
}

/** What a runner has before scoring: each check's findings. */
export interface JudgedCheck {
  id: CheckId;
  title: string;
  findings: Finding[];
}

export interface ScoredRun {
  checks: CheckResult[];
  score: number | null;
  grade: Grade | null;
  gate: Gate;
}

/** Scores every check, the run as a whole, and applies the gate: the report's score, grade, gate and checks. */
export function scoreReport(
  judged: readonly JudgedCheck[],
  weights: Partial<Record<CheckId, number>>,
  gateSpec: GateSpec,
): ScoredRun {
  const checks: CheckResult[] = judged.map((c) => ({
    id: c.id,
    title: c.title,
    status: checkStatus(c.findings),
    score: scoreFindings(c.findings),
    weight: weights[c.id] ?? DEFAULT_WEIGHTS[c.id],
    findings: c.findings,
  }));
  const score = overallScore(checks);
  return { checks, score, grade: gradeFor(score), gate: evaluateGate({ score, checks }, gateSpec) };
}
