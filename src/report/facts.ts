// What every formatter says the same way: the verdict, the order of problems, lag and cost in words.
// Pure: a report in, plain values out. Evidence is read defensively, since it came from endpoints.
import type { CheckResult, Finding, LagEvidence, LagSample, Report, Status } from '../model/report.js';

export const STATUS_SYMBOL: Record<Status, string> = { pass: '✔', warn: '▲', fail: '✖', error: '!', skip: '–' };

/** Worst first: how much a status should worry the reader. */
const SEVERITY: Record<Status, number> = { fail: 4, error: 3, warn: 2, skip: 1, pass: 0 };
export const severity = (s: Status): number => SEVERITY[s] ?? 0;

export function worstStatus(statuses: Status[]): Status | null {
  return statuses.reduce<Status | null>((worst, s) => (worst === null || severity(s) > severity(worst) ? s : worst), null);
}

/** 46.3/100: one decimal, as scoring rounds it. */
export const scoreText = (report: Report): string =>
  report.score === null ? 'no score' : `${Math.round(report.score * 10) / 10}/100`;

export const checkScoreText = (check: CheckResult): string =>
  check.score === null ? '—' : `${Math.round(check.score * 100)}`;

/** "score from 1 of 3 checks (bidirectional, freshness not judged)", or null when every check was scored. */
export function unscoredNote(report: Report): string | null {
  const unscored = report.checks.filter((c) => c.score === null).map((c) => c.id);
  // With no score at all the headline already says "not evaluated", and why.
  if (unscored.length === 0 || report.score === null) return null;
  const scored = report.checks.length - unscored.length;
  return `score from ${scored} of ${report.checks.length} checks (${unscored.join(', ')} not judged)`;
}

/** `write-lands [epic]`, or just the id for run-level findings. */
export const findingLabel = (f: Finding): string => (f.connection ? `${f.id} [${f.connection}]` : f.id);

export interface RankedProblem {
  finding: Finding;
  check: CheckResult;
}

/** The most important problems: fails and errors before warnings, heavier checks first, report order last. */
export function topProblems(report: Report, limit = 3): RankedProblem[] {
  const tier = (s: Status) => (s === 'fail' || s === 'error' ? 2 : s === 'warn' ? 1 : 0);
  const all = report.checks.flatMap((check) => check.findings.map((finding) => ({ finding, check })));
  return all
    .map((p, order) => ({ ...p, order }))
    .filter((p) => tier(p.finding.status) > 0)
    .sort(
      (a, b) =>
        tier(b.finding.status) - tier(a.finding.status) ||
        b.check.weight - a.check.weight ||
        severity(b.finding.status) - severity(a.finding.status) ||
        a.order - b.order,
    )
    .slice(0, limit)
    .map(({ finding, check }) => ({ finding, check }));
}

// ---- freshness ----

export type Direction = 'ehr-to-vendor' | 'vendor-to-ehr';
export const DIRECTION_LABEL: Record<Direction, string> = { 'ehr-to-vendor': 'EHR → vendor', 'vendor-to-ehr': 'vendor → EHR' };

export interface LagView {
  finding: Finding;
  connection: string;
  direction: Direction;
  lag: LagEvidence;
}

const isNumberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));

function asSample(v: unknown): LagSample | null {
  if (typeof v !== 'object' || v === null) return null;
  const s = v as Record<string, unknown>;
  if (!isNumberOrNull(s.lagMs) || typeof s.lowMs !== 'number' || typeof s.highMs !== 'number') return null;
  return s as unknown as LagSample;
}

/** The lag findings whose evidence carries measurements (an errored probe has none). */
export function lagViews(report: Report): LagView[] {
  const views: LagView[] = [];
  for (const check of report.checks) {
    for (const finding of check.findings) {
      if (finding.id !== 'ehr-to-vendor-lag' && finding.id !== 'vendor-to-ehr-lag') continue;
      const e = finding.evidence ?? {};
      if (!isNumberOrNull(e.p50Ms) || typeof e.trials !== 'number' || typeof e.class !== 'string') continue;
      const samples = Array.isArray(e.samples) ? e.samples.map(asSample).filter((s): s is LagSample => s !== null) : [];
      const lag = { ...e, samples } as LagEvidence;
      views.push({ finding, connection: finding.connection ?? '', direction: finding.id === 'ehr-to-vendor-lag' ? 'ehr-to-vendor' : 'vendor-to-ehr', lag });
    }
  }
  return views;
}

/** 210 ms, 3.4 s, 2.5 min. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A percentile that censored trials hid reads as "over the timeout", not as a number. */
export function lagPercentile(lag: LagEvidence, key: 'p50Ms' | 'p95Ms' | 'maxMs'): string {
  const value = lag[key];
  if (value === null && lag.censored > 0 && typeof lag.timeoutSeconds === 'number') return `> ${lag.timeoutSeconds} s`;
  return formatMs(value);
}

// ---- cost and writes: src/report/cost-and-cleanup.ts ----

export { cleanupSentence, costBreakdown, formatMoney, formatNumber, writeGroups, type WriteGroup } from './cost-and-cleanup.js';

// ---- volume: src/report/volume-facts.ts ----

export { volumeLine, volumeViews, type VolumeView } from './volume-facts.js';
