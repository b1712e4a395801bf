// Vendors side by side, in the terminal and as one self-contained HTML page. The best value of each row
// carries a ★ (and bold, where there is colour), so the eye finds the winner without reading numbers.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Report, Status } from '../model/report.js';
import { compareReports, type CompareCell, type CompareRow } from './compare-rows.js';
import { escapeHtml as h, plainText } from './escape.js';
import { scoreText } from './facts.js';
import { GATE_LABEL, headline } from './headline.js';
import { htmlPage, pill } from './html-page.js';

export const BEST_MARK = '★';

const STATUS_COLOR: Record<Status, 'green' | 'yellow' | 'red' | 'magenta' | 'gray'> = { pass: 'green', warn: 'yellow', fail: 'red', error: 'magenta', skip: 'gray' };

export function formatCompareTerminal(reports: readonly Report[], options: { color: boolean; width?: number }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const { reports: ranked, rows } = compareReports(reports);
  const width = Math.max(60, options.width ?? 100);
  const labelWidth = 30;
  const vendorWidth = Math.max(16, Math.floor((width - labelWidth - ranked.length - 1) / Math.max(1, ranked.length)));
  const table = new Table({
    head: ['', ...ranked.map((r, i) => c.bold(`${i + 1}. ${plainText(r.vendor.name)}`))],
    colWidths: [labelWidth, ...ranked.map(() => vendorWidth)],
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  let group = '';
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      table.push([{ colSpan: ranked.length + 1, content: c.bold.underline(group) }]);
    }
    table.push([plainText(row.label), ...row.cells.map((cell) => terminalCell(cell, c))]);
  }
  // The vendor's result first, coloured by its grade; the gate after it, coloured by its own result.
  const lines = ranked.map((r, i) => {
    const head = headline(r);
    const color = { good: c.green, fair: c.yellow, poor: c.red, none: c.bold }[head.band];
    const gate = `${GATE_LABEL} ${head.gate.passed ? c.green(head.gate.word) : c.red(head.gate.word)}`;
    return `${i + 1}. ${c.bold(plainText(r.vendor.name))}  ${color(head.result)}  ${gate}${r.partial ? c.yellow('  (partial)') : ''}  ${c.dim(plainText(r.runId))}`;
  });
  return `${c.bold(`Vendors compared (${ranked.length}), best score first`)}\n${lines.join('\n')}\n\n${table.toString()}\n${c.dim(`${BEST_MARK} marks the best value in each row; a vendor that double-books is never marked cheapest.`)}\n`;
}

function terminalCell(cell: CompareCell, c: ChalkInstance): string {
  const text = plainText(cell.text);
  const colored = cell.status ? c[STATUS_COLOR[cell.status]](text) : text;
  return cell.best ? c.bold(`${BEST_MARK} ${colored}`) : colored;
}

export function formatCompareHtml(reports: readonly Report[]): string {
  const { reports: ranked, rows } = compareReports(reports);
  const cards = ranked.map(
    (r, i) =>
      `<div class="card" data-testid="vendor-card"><h3><span>${i + 1}. ${h(r.vendor.name)}</span></h3>` +
      `<div style="display:flex;gap:14px;align-items:center;margin-top:8px"><div class="grade grade-${h(r.grade ?? 'none')}" style="width:56px;height:56px;font-size:30px">${h(r.grade ?? '—')}</div>` +
      `<div><b style="font-size:1.4rem">${h(r.grade ? scoreText(r) : 'not evaluated')}</b><div class="muted">${h(r.buyer.name)} · ${h(r.startedAt.slice(0, 10))}${r.partial ? ' · partial' : ''}</div></div></div>` +
      `<p style="margin:10px 0 0">${GATE_LABEL} ${pill(r.gate.passed ? 'pass' : 'fail', r.gate.passed ? 'passed' : 'failed')}</p></div>`,
  );
  const head = `<tr><th></th>${ranked.map((r, i) => `<th class="vendor">${i + 1}. ${h(r.vendor.name)}<br><code class="muted">${h(r.runId)}</code></th>`).join('')}</tr>`;
  const body: string[] = [];
  let group = '';
  for (const row of rows) {
    if (row.group !== group) {
      group = row.group;
      body.push(`<tr class="group"><td colspan="${ranked.length + 1}">${h(group)}</td></tr>`);
    }
    body.push(htmlRow(row));
  }
  return htmlPage(
    `ehr-check: ${ranked.length} vendors compared`,
    `<main><h1>Vendors compared</h1><p class="muted">Ranked by score. ${BEST_MARK} marks the best value in each row; a row where every vendor is equal marks none; a vendor that double-books is never marked cheapest.</p>` +
      `<div class="cards">${cards.join('')}</div>` +
      `<section><table class="compare" data-testid="compare-table"><thead>${head}</thead><tbody>${body.join('')}</tbody></table></section></main>`,
  );
}

function htmlRow(row: CompareRow): string {
  const cells = row.cells.map((cell) => {
    // Finding cells start with the status symbol, which the pill draws itself.
    const text = row.group === 'Findings' ? cell.text.replace(/^\S+\s/, '') : cell.text;
    const content = cell.status && row.group !== 'Checks' ? pill(cell.status, text) : h(text);
    return cell.best ? `<td class="best" data-best="true">${BEST_MARK} ${content}</td>` : `<td>${content}</td>`;
  });
  return `<tr><td>${row.group === 'Findings' ? `<code>${h(row.label)}</code>` : h(row.label)}</td>${cells.join('')}</tr>`;
}
