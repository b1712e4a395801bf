// A short Markdown summary for a pull-request or ticket comment: the verdict, a table of checks, every
// failing or erroring finding by name, and lag and cost in one line each. The HTML report has the rest.
import type { Report, Status } from '../model/report.js';
import { escapeMarkdown as md } from './escape.js';
import {
  checkScoreText,
  cleanupSentence,
  costBreakdown,
  DIRECTION_LABEL,
  formatMoney,
  formatNumber,
  lagPercentile,
  lagViews,
  unscoredNote,
  volumeLine,
  volumeViews,
} from './facts.js';
import { GATE_LABEL, headline, unjudgedText } from './headline.js';
import { byPerson, connectionReach, mixedReach } from './vendor-reach.js';

const ICON: Record<Status, string> = { pass: '✅', warn: '⚠️', fail: '❌', error: '💥', skip: '⏭️' };

export function formatMarkdown(report: Report): string {
  // The vendor's result in the heading; the gate on its own line, with its own mark.
  const head = headline(report);
  const lines: string[] = [
    `### ehr-check: ${md(report.vendor.name)} — ${head.evaluated ? head.result : 'not evaluated'}`,
    '',
    head.evaluated
      ? (head.basis ? `${md(head.basis.charAt(0).toUpperCase() + head.basis.slice(1))}.${unjudgedText(report) ? ` ${md(unjudgedText(report))}` : ''}` : 'No findings.')
      : `**Not evaluated:** ${md(head.reason ?? '')}.`,
    '',
    `**${GATE_LABEL}: ${head.gate.passed ? '✅ passed' : '❌ failed'}**${head.gate.passed ? ` (${md(head.gate.terms)})` : ''}`,
    ...(head.gate.passed ? [] : head.gate.reasons.map((r) => `- ${md(r)}`)),
    '',
    `Buyer **${md(report.buyer.name)}** · run \`${report.runId.replace(/`/g, "'")}\` · ${report.startedAt.slice(0, 10)} · ` +
      `${report.connections.length} connection${report.connections.length === 1 ? '' : 's'}`,
  ];
  if (mixedReach(report)) lines.push('', `Vendor reached: ${md(connectionReach(report))}.`);
  const note = unscoredNote(report);
  if (note) lines.push('', `> Note: the ${md(note)}.`);
  if (report.partial) lines.push('', '> ⚠️ **Partial report:** the run was interrupted; findings it did not reach are skipped.');

  lines.push('', '| Check | Status | Score | Weight | Findings |', '| --- | --- | ---: | ---: | --- |');
  for (const check of report.checks) {
    lines.push(`| ${md(check.title)} | ${ICON[check.status]} ${check.status} | ${checkScoreText(check)} | ${check.weight} | ${countStatuses(check.findings.map((f) => f.status))} |`);
  }

  const problems = report.checks.flatMap((check) => check.findings.filter((f) => f.status === 'fail' || f.status === 'error'));
  lines.push('');
  if (problems.length === 0) lines.push('**No failing or erroring findings.**');
  else {
    lines.push(`**Failing or erroring findings (${problems.length}):**`, '');
    for (const f of problems) {
      const by = byPerson(f);
      lines.push(`- ${ICON[f.status]} **${f.id}** ${f.connection ? `on \`${f.connection.replace(/`/g, "'")}\`` : '(whole run)'}: ${md(f.message)}${by ? ` (${by})` : ''}`);
    }
  }
  const warnings = report.checks.flatMap((check) => check.findings.filter((f) => f.status === 'warn'));
  if (warnings.length > 0) {
    lines.push('', `<details><summary>${warnings.length} warning${warnings.length === 1 ? '' : 's'}</summary>`, '');
    for (const f of warnings) lines.push(`- ⚠️ **${f.id}** ${f.connection ? `on \`${f.connection.replace(/`/g, "'")}\`` : '(whole run)'}: ${md(f.message)}`);
    lines.push('', '</details>');
  }

  const lags = lagViews(report);
  if (lags.length > 0) {
    const parts = lags.map((v) => `${md(v.connection)} ${DIRECTION_LABEL[v.direction]} p50 ${lagPercentile(v.lag, 'p50Ms')} (${md(v.lag.class)})`);
    lines.push('', `**Lag:** ${parts.join(' · ')}`);
  }
  const volume = volumeViews(report);
  if (volume.length > 0) lines.push('', `**Volume:** ${volume.map((v) => `${ICON[v.status]} ${md(v.connection)} ${md(volumeLine(v))}`).join(' · ')}`);
  if (report.roi) {
    const roi = report.roi;
    lines.push(
      '',
      `**Cost:** ${formatMoney(roi.costPerWeek)}/week in staff time — ${formatNumber(roi.manualReentriesPerWeek)} manual re-entries, ` +
        `${formatNumber(roi.staffHoursPerWeek)} staff hours and ${formatNumber(roi.expectedDoubleBookingsPerWeek)} expected double bookings per week.`,
    );
    const parts = costBreakdown(roi);
    if (parts) lines.push('', `= ${md(parts)}.`);
  }
  lines.push('', `**Cleanup:** ${md(cleanupSentence(report))}`);
  for (const item of report.cleanup.leftover) lines.push(`- ⚠️ left over: ${md(item)}`);
  return `${lines.join('\n')}\n`;
}

function countStatuses(statuses: Status[]): string {
  const order: Status[] = ['fail', 'error', 'warn', 'pass', 'skip'];
  return order
    .map((s) => [s, statuses.filter((x) => x === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}
