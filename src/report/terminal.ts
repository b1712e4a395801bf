// The terminal report: the verdict first, then a table per check, coverage, lag, cost, writes, and the
// three problems that matter most, last, where the eye lands when the command returns.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CheckResult, CoverageRow, Report, Status } from '../model/report.js';
import { plainText } from './escape.js';
import {
  checkScoreText,
  cleanupSentence,
  DIRECTION_LABEL,
  findingLabel,
  formatMoney,
  formatNumber,
  lagPercentile,
  lagViews,
  scoreText,
  STATUS_SYMBOL,
  topProblems,
  unscoredNote,
  verdictWord,
  writeGroups,
} from './facts.js';

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
  const verdict = verdictLine(report, c, width);
  if (options.quiet) return `${verdict}\n`;

  const blocks: string[] = [verdict + '\n' + context(report, c, width)];
  for (const check of report.checks) blocks.push(checkBlock(check, c, width));
  if (report.coverage?.matrix.length) blocks.push(coverageBlock(report, c));
  const lags = lagBlock(report, c);
  if (lags) blocks.push(lags);
  if (report.roi) blocks.push(costBlock(report, c, width));
  blocks.push(writesBlock(report, c, width));
  blocks.push(reasonsBlock(report, c, width));
  return blocks.join('\n\n') + '\n';
}

function verdictLine(report: Report, c: ChalkInstance, width: number): string {
  const word = verdictWord(report);
  const badge = word === 'PASS' ? c.bold.green(word) : c.bold.red(word);
  const partial = report.partial ? c.yellow('  (partial: run interrupted)') : '';
  const line = `${badge}  ${c.bold(plainText(report.vendor.name))}  ${scoreText(report)}  grade ${c.bold(report.grade)}${partial}`;
  const reasons = report.gate.reasons.map(plainText);
  if (word === 'PASS' || reasons.length === 0) return line;
  const more = reasons.length > 1 ? ` (+${reasons.length - 1} more)` : '';
  const plainLength = line.replace(/\u001b\[[0-9;]*m/g, '').length;
  return `${line}  ${c.dim(clip(`gate: ${reasons[0]}${more}`, width - plainLength - 2))}`;
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
  const note = unscoredNote(report);
  if (note) lines.push(`Note: ${note}`);
  if (!report.gate.passed && report.gate.reasons.length > 0) lines.push(`Gate failed: ${report.gate.reasons.map(plainText).join('; ')}`);
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
  for (const f of check.findings) t.push([f.id, plainText(f.connection ?? '(run)'), statusCell(f.status, c), plainText(f.message)]);
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

function costBlock(report: Report, c: ChalkInstance, width: number): string {
  const roi = report.roi!;
  const headline = roi.costPerWeek > 0 ? c.bold.red(`${formatMoney(roi.costPerWeek)}/week`) : c.bold.green(`${formatMoney(0)}/week`);
  const lines = [
    `${c.bold('Cost of the gaps')}  ${headline}`,
    `${formatNumber(roi.manualReentriesPerWeek)} manual re-entries and ${formatNumber(roi.staffHoursPerWeek)} staff hours per week; ` +
      `${formatNumber(roi.expectedDoubleBookingsPerWeek)} expected double bookings per week.`,
    c.dim(`Inputs: ${formatNumber(roi.bookingsPerWeek)} bookings/week, ${formatNumber(roi.minutesPerManualEntry)} min per manual entry, ${formatMoney(roi.staffHourlyCost)}/hour.`),
  ];
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

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
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
