// Several reports side by side, as rows of cells both compare formatters draw: vendors ranked by score,
// and in each row the best value marked (only where the vendors differ; a tie for first marks each).
import { ALL_FINDING_IDS, type Finding, type Report, type RoiPanel, type Status } from '../model/report.js';
import { vendorKindWords } from './vendor-reach.js';
import { DIRECTION_LABEL, formatMoney, formatMs, formatNumber, lagViews, scoreText, STATUS_SYMBOL, worstStatus, type Direction } from './facts.js';

export interface CompareCell {
  text: string;
  best: boolean;
  /** For finding and gate rows: the status the cell stands for. */
  status?: Status | null;
}

export interface CompareRow {
  group: 'Verdict' | 'Checks' | 'Findings' | 'Lag' | 'Coverage' | 'Cost';
  label: string;
  cells: CompareCell[];
}

export interface Comparison {
  /** Best score first; reports without a score last. */
  reports: Report[];
  rows: CompareRow[];
}

const GRADE_RANK = { A: 5, B: 4, C: 3, D: 2, F: 1 } as const;
const POINTS: Record<Status, number | null> = { pass: 1, warn: 0.5, fail: 0, error: 0, skip: null };

export function rankReports(reports: readonly Report[]): Report[] {
  return [...reports].sort(
    (a, b) =>
      (b.score ?? -1) - (a.score ?? -1) ||
      Number(b.gate.passed) - Number(a.gate.passed) ||
      a.vendor.name.localeCompare(b.vendor.name),
  );
}

export function compareReports(input: readonly Report[]): Comparison {
  const reports = rankReports(input);
  const rows: CompareRow[] = [];
  const row = (group: CompareRow['group'], label: string, cells: Array<{ text: string; key: number | null; status?: Status | null }>, better: 'higher' | 'lower') => {
    const best = bestIndexes(cells.map((c) => c.key), better);
    rows.push({ group, label, cells: cells.map((c, i) => ({ text: c.text, best: best.has(i), ...(c.status !== undefined && { status: c.status }) })) });
  };

  // How each vendor was reached (its kinds, once each): a person's product and an API are judged alike, by the EHR.
  row('Verdict', 'Reached through', reports.map((r) => ({ text: [...new Set(r.connections.map((c) => vendorKindWords(c.vendorKind)))].join(', ') || '—', key: null })), 'higher');
  row('Verdict', 'Score', reports.map((r) => ({ text: scoreText(r), key: r.score })), 'higher');
  row('Verdict', 'Grade', reports.map((r) => (r.grade ? { text: r.grade, key: GRADE_RANK[r.grade] ?? 0 } : { text: 'not evaluated', key: null })), 'higher');
  // The gate is each pipeline's own rule, shown apart from the vendor's grade.
  row('Verdict', 'CI gate', reports.map((r) => ({ text: `${r.gate.passed ? 'passed' : 'failed'}${r.partial ? ' (partial)' : ''}`, key: r.gate.passed ? 1 : 0, status: r.gate.passed ? 'pass' : 'fail' })), 'higher');

  const checkIds = [...new Set(reports.flatMap((r) => r.checks.map((c) => c.id)))];
  for (const id of checkIds) {
    const title = reports.flatMap((r) => r.checks).find((c) => c.id === id)!.title;
    row('Checks', title, reports.map((r) => {
      const check = r.checks.find((c) => c.id === id);
      if (!check) return { text: 'not run', key: null };
      return { text: check.score === null ? `${STATUS_SYMBOL[check.status]} not scored` : `${STATUS_SYMBOL[check.status]} ${Math.round(check.score * 100)}/100`, key: check.score, status: check.status };
    }), 'higher');
  }

  const seen = new Set(reports.flatMap((r) => r.checks.flatMap((c) => c.findings.map((f) => f.id as string))));
  const findingIds = [...ALL_FINDING_IDS.filter((id) => seen.has(id)), ...[...seen].filter((id) => !(ALL_FINDING_IDS as readonly string[]).includes(id))];
  for (const id of findingIds) {
    row('Findings', id, reports.map((r) => findingCell(r.checks.flatMap((c) => c.findings.filter((f) => f.id === id)))), 'higher');
  }

  for (const direction of ['ehr-to-vendor', 'vendor-to-ehr'] as const) {
    row('Lag', `Lag p50, ${DIRECTION_LABEL[direction]}`, reports.map((r) => lagCell(r, direction)), 'lower');
  }

  row('Coverage', 'Systems verified / claimed', reports.map((r) => {
    if (!r.coverage) return { text: '—', key: null };
    const { verifiedCount, claimedSystemCount } = r.coverage;
    const ratio = claimedSystemCount ? verifiedCount / claimedSystemCount : 0;
    // More systems verified wins; among equals, the vendor whose claims held up better.
    return { text: `${verifiedCount} of ${claimedSystemCount ?? '?'} claimed`, key: verifiedCount + Math.min(1, ratio) / 1000 };
  }), 'higher');

  if (reports.some((r) => r.roi)) {
    const roiCell = (r: Report, text: (roi: RoiPanel) => string, key: (roi: RoiPanel) => number) => (r.roi ? { text: text(r.roi), key: key(r.roi) } : { text: '—', key: null });
    row('Cost', 'Manual re-entries / week', reports.map((r) => roiCell(r, (roi) => formatNumber(roi.manualReentriesPerWeek), (roi) => roi.manualReentriesPerWeek)), 'lower');
    row('Cost', 'Expected double-bookings / week', reports.map((r) => roiCell(
      r,
      (roi) => `${formatNumber(roi.expectedDoubleBookingsPerWeek)}${roi.doubleBookingCostPerWeek === undefined ? '' : ` (${formatMoney(roi.doubleBookingCostPerWeek)})`}`,
      (roi) => roi.expectedDoubleBookingsPerWeek,
    )), 'lower');
    // A vendor that double-books is never the cheapest, whatever its staff time comes to: the harm to a
    // patient is not priced. Among equal costs it ranks after one that does not, and it never takes the mark.
    const cost = reports.map((r) => roiCell(r, (roi) => formatMoney(roi.costPerWeek), (roi) => roi.costPerWeek + (doubleBooks(r) ? 0.001 : 0)));
    row('Cost', 'Cost per week', cost, 'lower');
    const costRow = rows[rows.length - 1]!;
    costRow.cells.forEach((cell, i) => (cell.best &&= !doubleBooks(reports[i]!)));
  }
  return { reports, rows };
}

/** Whether the vendor double-books: the race said so, or the cost panel expects it to. */
export function doubleBooks(report: Report): boolean {
  if ((report.roi?.expectedDoubleBookingsPerWeek ?? 0) > 0) return true;
  return report.checks.some((c) => c.findings.some((f) => f.id === 'double-booking-race' && f.status === 'fail'));
}

/** One finding across a vendor's connections: the worst status, and how many connections passed. */
function findingCell(findings: Finding[]): { text: string; key: number | null; status: Status | null } {
  // A skipped connection says nothing about the others: show the worst judged status, skip only if all were.
  const judged = findings.filter((f) => f.status !== 'skip');
  const status = worstStatus((judged.length ? judged : findings).map((f) => f.status));
  if (status === null) return { text: '—', key: null, status: null };
  const points = findings.map((f) => POINTS[f.status]).filter((p): p is number => p !== null);
  const key = points.length ? points.reduce((a, b) => a + b, 0) / points.length : null;
  const passed = findings.filter((f) => f.status === 'pass').length;
  const tally = findings.length > 1 ? ` ${passed}/${findings.length}` : '';
  return { text: `${STATUS_SYMBOL[status]} ${status}${tally}`, key, status };
}

/** The slowest connection's median lag in one direction ("more than the timeout" ranks last). */
function lagCell(report: Report, direction: Direction): { text: string; key: number | null } {
  const views = lagViews(report).filter((v) => v.direction === direction);
  if (views.length === 0) return { text: '—', key: null };
  const worst = views.reduce((a, b) => (lagKey(b) > lagKey(a) ? b : a));
  const key = lagKey(worst);
  const text = Number.isFinite(key) ? formatMs(key) : `> ${worst.lag.timeoutSeconds} s`;
  return { text: `${text} (${worst.lag.class})${views.length > 1 ? ` ${worst.connection}` : ''}`, key };
}

const lagKey = (v: ReturnType<typeof lagViews>[number]) => v.lag.p50Ms ?? Number.POSITIVE_INFINITY;

function bestIndexes(keys: Array<number | null>, better: 'higher' | 'lower'): Set<number> {
  const present = keys.filter((k): k is number => k !== null);
  if (present.length < 2 || present.every((k) => k === present[0])) return new Set();
  const target = better === 'higher' ? Math.max(...present) : Math.min(...present);
  return new Set(keys.flatMap((k, i) => (k === target ? [i] : [])));
}
