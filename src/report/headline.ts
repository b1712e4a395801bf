// The headline every formatter shows the same way: first the vendor's result (grade and score, or "not
// evaluated" and why) with how much of it stands on evidence; then, on its own line, the CI gate. The two are
// different things: a vendor can earn an A and fail a pipeline's rule, or earn an F and pass a rule of
// `minScore: 0`. Colours follow each one's own result, never the other's.
import type { Grade, Report } from '../model/report.js';
import { reportConfidence, reportVerdict } from '../verdict.js';
import { scoreText } from './facts.js';

/** The colour family of a grade: A, B good; C, D fair; F poor; none when not evaluated. */
export type GradeBand = 'good' | 'fair' | 'poor' | 'none';

export interface Headline {
  evaluated: boolean;
  grade: Grade | null;
  band: GradeBand;
  /** "grade A, 93.3/100" or "not evaluated". */
  result: string;
  /** Why it was not evaluated; null when graded. */
  reason: string | null;
  /** "based on 9 of 15 findings (55% by weight)"; null when there were no findings at all. */
  basis: string | null;
  gate: GateLine;
}

export interface GateLine {
  passed: boolean;
  /** "passed" or "failed". */
  word: string;
  /** What was asked, "min score 70; required: bidirectional", shown when the gate passed. */
  terms: string;
  reasons: string[];
  /** The whole line in plain words: "CI gate: failed — …" or "CI gate: passed (…)". */
  text: string;
}

export const GATE_LABEL = 'CI gate';

const BAND: Record<Grade, GradeBand> = { A: 'good', B: 'good', C: 'fair', D: 'fair', F: 'poor' };

export function headline(report: Report): Headline {
  const verdict = reportVerdict(report);
  const evaluated = verdict.status === 'graded' && report.grade !== null && report.grade !== undefined;
  const grade = evaluated ? report.grade : null;
  return {
    evaluated,
    grade,
    band: grade ? BAND[grade] : 'none',
    result: grade ? `grade ${grade}, ${scoreText(report)}` : 'not evaluated',
    reason: evaluated ? null : (verdict.reason ?? 'nothing could be judged'),
    basis: evaluated ? basisText(report) : null,
    gate: gateLine(report),
  };
}

/** "based on all 22 findings", or "based on 6 of 22 findings (28% by weight)". */
export function basisText(report: Report): string | null {
  const { judged, total, share } = reportConfidence(report);
  if (total === 0) return null;
  if (judged === total) return `based on all ${total} findings`;
  const weight = share === null ? '' : ` (${Math.round(share * 100)}% by weight)`;
  return `based on ${judged} of ${total} findings${weight}`;
}

/** What the rest of the findings are, when not all of them reach the score; null when they all do. */
export function unjudgedText(report: Report): string | null {
  const { judged, total } = reportConfidence(report);
  if (judged >= total) return null;
  const rest = total - judged;
  return `The other ${rest} ${rest === 1 ? 'finding does' : 'do'} not count toward the score (skipped, errored, or in a check left unscored): they neither raise nor lower it.`;
}

export function gateLine(report: Report): GateLine {
  const gate = report.gate;
  const parts = [gate.minScore === null ? 'no minimum score' : `min score ${formatNumber(gate.minScore)}`];
  if (gate.require.length > 0) parts.push(`required: ${gate.require.join(', ')}`);
  const terms = parts.join('; ');
  const word = gate.passed ? 'passed' : 'failed';
  const reasons = gate.reasons.length > 0 || gate.passed ? gate.reasons : ['the report says the gate failed, without a reason'];
  const text = gate.passed ? `${GATE_LABEL}: passed (${terms})` : `${GATE_LABEL}: failed — ${reasons.join('; ')}`;
  return { passed: gate.passed, word, terms, reasons, text };
}

const formatNumber = (n: number) => String(Math.round(n * 10) / 10);
