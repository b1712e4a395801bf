// The terminal report: the verdict first, then a table per check, coverage, lag, cost, writes, and the
// three problems that matter most, last, where the eye lands when the command returns.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CheckResult, CoverageRow, Report, Status } from '../model/report.js';
import { plainText } from './escape.js';
import {
  checkScoreText,
  cleanupSentence,
  costBreakdown,
  DIRECTION_LABEL,
  findingLabel,
  formatMoney,
  formatMs,
  formatNumber,
  lagPercentile,
  lagViews,
  STATUS_SYMBOL,
  topProblems,
  unscoredNote,
  volumeViews,
  writeGroups,
} from './facts.js';
import { GATE_LABEL, headline, type GradeBand } from './headline.js';
import { byPerson, connectionReach, mixedReach } from './vendor-reach.js';

export interface TerminalOptions {
  color: boolean;
  quiet?: boolean;
  /** Columns to fit; default 100. */
  width?: number;
}

const STATUS_COLOR: Record<Status, 'green' | 'yellow' | 'red' | 'magenta' | 'gray'> = {
  pass: 'green',
  warn: 'yellow',
  fail: 'red',
  error: 'magenta',
  skip: 'gray',
};

export function formatTerminal(report: Report, options: TerminalOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const width = Math.max(60, options.width ?? 100);
  const top = headlineLines(report, c, width);
  if (options.quiet) return `${top}\n`;

  const blocks: string[] = [top + '\n' + context(report, c, width)];
  for (const check of report.checks) blocks.push(checkBlock(check, c, width));
  if (report.coverage?.matrix.length) blocks.push(coverageBlock(report, c));
  const lags = lagBlock(report, c);
  if (lags) blocks.push(lags);
  const volume = volumeBlock(report, c);
  if (volume) blocks.push(volume);
  if (report.roi) blocks.push(costBlock(report, c, width));
  blocks.push(writesBlock(report, c, width));
  blocks.push(reasonsBlock(report, c, width));
  return blocks.join('\n\n') + '\n';
}

const BAND_COLOR: Record<GradeBand, 'green' | 'yellow' | 'red' | null> = { good: 'green', fair: 'yellow', poor: 'red', none: null };

/**
 * Two lines: the vendor's result ("Acme: grade A, 93.3/100 · based on all 22 findings", or "Acme: NOT EVALUATED —
 * why"), coloured by the grade; then the CI gate on its own line, coloured by its own result.
 */
function headlineLines(report: Report, c: ChalkInstance, width: number): string {
  const head = headline(report);
  const color = BAND_COLOR[head.band];
  const vendor = c.bold(plainText(report.vendor.name));
  const result = head.evaluated ? (color ? c.bold[color](head.result) : c.bold(head.result)) : c.bold('NOT EVALUATED');
  const detail = head.evaluated ? (head.basis ? ` · ${head.basis}` : '') : ` — ${plainText(head.reason ?? '')}`;
  const partial = report.partial ? c.yellow(' (partial: run interrupted)') : '';
  const gate = head.gate;
  const gateWord = gate.passed ? c.bold.green(gate.word) : c.bold.red(gate.word);
  const gateText = gate.passed ? `${gateWord} (${plainText(gate.terms)})` : `${gateWord} — ${gate.reasons.map(plainText).join('; ')}`;
  return [wrap(`${vendor}: ${result}${partial}${detail}`, width), wrap(`${c.bold(GATE_LABEL)}: ${gateText}`, width)].join('\n');
}

function context(report: Report, c: ChalkInstance, width: number): string {
  const facts = [
    `Buyer ${plainText(report.buyer.name)}`,
    `run ${plainText(report.runId)}`,
    `${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    `${report.connections.length} connection${report.connections.length === 1 ? '' : 's'}`,
  ];
  // Broken between facts, never inside one: "· 2" on one line and "connections" on the next reads as nonsense.
  const lines = joinFacts(facts, width);
  if (mixedReach(report)) lines.push(`Vendor reached: ${plainText(connectionReach(report))}`);
  const note = unscoredNote(report);
  if (note) lines.push(`Note: ${note}`);
  return c.dim(lines.map((l) => wrap(l, width)).join('\n'));
}

function table(head: string[], c: ChalkInstance, colWidths?: number[]): Table.Table {
  return new Table({
    head: head.map((h) => c.bold(h)),
    // No colour from cli-table3 itself: every ANSI code comes from our Chalk instance, so color:false means none.
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
    ...(colWidths ? { colWidths, wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
}

const statusCell = (s: Status | null, c: ChalkInstance) => (s === null ? c.gray('—') : c[STATUS_COLOR[s]](`${STATUS_SYMBOL[s]} ${s}`));

function checkBlock(check: CheckResult, c: ChalkInstance, width: number): string {
  const heading = `${c.bold(plainText(check.title))}  ${statusCell(check.status, c)} · score ${checkScoreText(check)}/100 · weight ${check.weight}`;
  const connWidth = Math.min(16, 2 + Math.max(10, ...check.findings.map((f) => (f.connection ?? '').length)));
  const fixed = [21, connWidth, 9];
  const message = Math.max(24, width - fixed.reduce((a, b) => a + b, 0) - (fixed.length + 2));
  const t = table(['Finding', 'Connection', 'Status', 'Message'], c, [...fixed, message]);
  for (const f of check.findings) {
    const by = byPerson(f);
    t.push([f.id, plainText(f.connection ?? '(run)'), statusCell(f.status, c), plainText(f.message) + (by ? c.dim(` (${by})`) : '')]);
  }
  return `${heading}\n${check.findings.length ? t.toString() : c.dim('  no findings')}`;
}

const yesNo = (v: boolean | null, c: ChalkInstance) => (v === null ? c.gray('—') : v ? c.green('yes') : c.red('no'));

function coverageBlock(report: Report, c: ChalkInstance): string {
  const cov = report.coverage!;
  const t = table(['System', 'Buyer runs', 'Claimed', 'Live', 'Read', 'Write', 'Certified'], c);
  for (const row of cov.matrix) {
    t.push([plainText(row.displayName), yesNo(row.buyerRuns, c), yesNo(row.claimed, c), yesNo(row.live, c), statusCell(row.read, c), statusCell(row.write, c), certifiedCell(row, c)]);
  }
  const claimed = cov.claimedSystemCount === null ? 'no count claimed' : `${cov.claimedSystemCount} claimed`;
  return `${c.bold('Coverage matrix')}  ${cov.verifiedCount} verified live · ${claimed}\n${t.toString()}`;
}

function certifiedCell(row: CoverageRow, c: ChalkInstance): string {
  const color = { verified: c.green, claimed: c.yellow, lapsed: c.red, none: c.gray }[row.certified] ?? c.gray;
  return color(row.certified);
}

function lagBlock(report: Report, c: ChalkInstance): string | null {
  const views = lagViews(report);
  if (views.length === 0) return null;
  const t = table(['Connection', 'Direction', 'p50', 'p95', 'Censored', 'Class'], c);
  for (const v of views) {
    const cls = { 'real-time': c.green, 'near-real-time': c.yellow, delayed: c.red, stale: c.red }[v.lag.class] ?? c.gray;
    t.push([plainText(v.connection), DIRECTION_LABEL[v.direction], lagPercentile(v.lag, 'p50Ms'), lagPercentile(v.lag, 'p95Ms'), `${v.lag.censored}/${v.lag.trials}`, cls(plainText(v.lag.class))]);
  }
  return `${c.bold('Freshness lag')}\n${t.toString()}`;
}

function volumeBlock(report: Report, c: ChalkInstance): string | null {
  const views = volumeViews(report);
  if (views.length === 0) return null;
  const t = table(['Connection', 'Status', 'Booked', 'Accepted', 'Refused', 'Landed', 'Duplicates', 'Lost', 'Throttled', 'Lag p50', 'p95'], c);
  for (const v of views) {
    const bad = (n: number) => (n > 0 ? c.red(String(n)) : String(n));
    t.push([plainText(v.connection), statusCell(v.status, c), `${v.attempted}${v.concurrency === null ? '' : ` (${v.concurrency} at once)`}`, String(v.accepted), String(v.refused), String(v.landed), bad(v.duplicates), bad(v.lostKeys.length), v.throttled ? c.yellow(String(v.throttled)) : '0', formatMs(v.lagP50Ms), formatMs(v.lagP95Ms)]);
  }
  return `${c.bold('Writes at volume')}\n${t.toString()}`;
}

function costBlock(report: Report, c: ChalkInstance, width: number): string {
  const roi = report.roi!;
  const headline = roi.costPerWeek > 0 ? c.bold.red(`${formatMoney(roi.costPerWeek)}/week`) : c.bold.green(`${formatMoney(0)}/week`);
  const lines = [
    `${c.bold('Cost of the gaps')}  ${headline}`,
    `${formatNumber(roi.manualReentriesPerWeek)} manual re-entries and ${formatNumber(roi.staffHoursPerWeek)} staff hours per week; ` +
      `${formatNumber(roi.expectedDoubleBookingsPerWeek)} expected double bookings per week.`,
  ];
  const parts = costBreakdown(roi);
  if (parts) lines.push(`= ${parts}.`);
  const perDoubleBooking = roi.minutesPerDoubleBooking === undefined ? '' : ` ${formatNumber(roi.minutesPerDoubleBooking)} min per double-booking,`;
  lines.push(c.dim(`Inputs: ${formatNumber(roi.bookingsPerWeek)} bookings/week, ${formatNumber(roi.minutesPerManualEntry)} min per manual entry,${perDoubleBooking} ${formatMoney(roi.staffHourlyCost)}/hour.`));
  const rule = roi.basis?.manualReentry;
  if (typeof rule === 'string') lines.push(c.dim(`${plainText(rule.charAt(0).toUpperCase() + rule.slice(1))}.`));
  return lines.map((l) => wrap(l, width)).join('\n');
}

function writesBlock(report: Report, c: ChalkInstance, width: number): string {
  const lines = [`${c.bold('Writes and cleanup')}  ${cleanupSentence(report)}`].map((l) => wrap(l, width));
  const groups = writeGroups(report.writes);
  if (groups.length > 0) {
    const t = table(['Connection', 'Where', 'Action', 'Resource', 'Written', 'Removed'], c);
    for (const g of groups) {
      const removed = g.removed === g.count ? String(g.removed) : c.red(String(g.removed));
      t.push([plainText(g.connection), g.target === 'ehr' ? 'EHR' : 'vendor', plainText(g.action), plainText(g.resourceType), String(g.count), removed]);
    }
    lines.push(t.toString());
  }
  for (const item of report.cleanup.leftover) lines.push(wrap(c.yellow(`  ▲ left over: ${plainText(item)}`), width));
  return lines.join('\n');
}

function reasonsBlock(report: Report, c: ChalkInstance, width: number): string {
  const problems = topProblems(report);
  if (problems.length === 0) return `${c.bold('Top reasons')}  ${c.green('nothing failed')}`;
  const lines = problems.map(({ finding }, i) => {
    const s = finding.status;
    return wrap(`  ${i + 1}. ${c[STATUS_COLOR[s]](STATUS_SYMBOL[s])} ${c.bold(plainText(findingLabel(finding)))} — ${plainText(finding.message)}`, width, '     ');
  });
  return `${c.bold('Top reasons')}\n${lines.join('\n')}`;
}

/** Joins facts with " · ", starting a new line before a fact that would not fit. */
function joinFacts(facts: string[], width: number): string[] {
  const lines: string[] = [];
  for (const fact of facts) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} · ${fact}`.length <= width) lines[lines.length - 1] = `${last} · ${fact}`;
    else lines.push(last === undefined ? fact : `  ${fact}`);
  }
  return lines;
}

/** Word-wraps one line to the width (ANSI codes count as zero columns). */
function wrap(line: string, width: number, indent = '  '): string {
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').length;
  if (visible(line) <= width) return line;
  const lead = /^ */.exec(line)![0];
  const out: string[] = [];
  let current = lead;
  for (const word of line.slice(lead.length).split(' ')) {
    const candidate = current.trim() === '' ? `${current}${word}` : `${current} ${word}`;
    if (visible(candidate) > width && current.trim() !== '') {
      out.push(current);
      current = `${indent}${word}`;
    } else current = candidate;
  }
  out.push(current);
  return out.join('\n');
}
