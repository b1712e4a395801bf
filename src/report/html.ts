// The HTML report: one self-contained file for a procurement committee. Verdict and grade first, then
// what matters most, then each check with its findings and evidence, lag charts, coverage, cost, writes.
import { CHECK_CATALOG } from '../../checks/catalog.js';
import { FINDINGS_BY_CHECK, type CheckResult, type Finding, type Report } from '../model/report.js';
import { escapeHtml as h } from './escape.js';
import { checkScoreText, cleanupSentence, lagViews, topProblems, unscoredNote, writeGroups } from './facts.js';
import { volumeTableHtml } from './html-volume.js';
import { GATE_LABEL, headline, unjudgedText } from './headline.js';
import { evidenceHtml } from './html-evidence.js';
import { lagFigure } from './html-lag-chart.js';
import { htmlPage, pill } from './html-page.js';
import { costHtml, coverageMatrixHtml } from './html-panels.js';
import { vendorKindWords } from './vendor-reach.js';

export function formatHtml(report: Report): string {
  const anchors = findingAnchors(report);
  const body = [
    '<main>',
    verdictHeader(report),
    summaryCards(report),
    reasonsSection(report, anchors),
    connectionsSection(report),
    ...report.checks.map((check) => checkSection(report, check, anchors)),
    report.coverage && !report.checks.some((c) => c.id === 'coverage') ? `<section>${coverageMatrixHtml(report)}</section>` : '',
    report.roi ? `<section class="panel" data-testid="cost-panel">${costHtml(report.roi)}</section>` : '',
    writesSection(report),
    `<footer>ehr-check ${h(report.tool.version)} · report schema ${h(report.schemaVersion)} · run <code>${h(report.runId)}</code> · ` +
      `started ${h(report.startedAt)} · finished ${h(report.finishedAt)}</footer>`,
    '</main>',
  ];
  const head = headline(report);
  return htmlPage(`ehr-check: ${report.vendor.name} — ${head.result}; ${GATE_LABEL} ${head.gate.word}`, body.filter(Boolean).join('\n'));
}

/**
 * The vendor's result (grade, score, how much stands on evidence; or "not evaluated" and why), tinted by the
 * grade; then the CI gate in its own box, coloured by its own result, so neither can be read as the other.
 */
function verdictHeader(report: Report): string {
  const head = headline(report);
  const when = report.startedAt.slice(0, 16).replace('T', ' ');
  const n = report.connections.length;
  const note = unscoredNote(report);
  const grade = head.grade ?? 'none';
  const label = head.evaluated ? `Vendor result · grade ${h(head.grade)}` : 'Vendor result · not evaluated';
  const detail = head.evaluated
    ? head.basis ? `<p class="basis" data-testid="basis">${h(capitalise(head.basis))}.</p>${unjudgedLine(report)}` : ''
    : `<p class="basis" data-testid="not-evaluated"><b>Not evaluated:</b> ${h(head.reason)}.</p>`;
  const partial = report.partial
    ? '<div class="banner" data-testid="partial-banner">Partial report: the run was interrupted. Findings it did not reach are marked skipped; the score covers only what was judged.</div>'
    : '';
  return (
    `<header class="verdict band-${head.band}" data-testid="verdict">` +
    `<div class="grade grade-${h(grade)}" aria-label="${head.evaluated ? `grade ${h(head.grade)}` : 'not evaluated'}">${head.evaluated ? h(head.grade) : '—'}</div>` +
    `<div><div class="verdict-label">${label}</div><h1>${h(report.vendor.name)}</h1>` +
    `<p>Evaluated for <b>${h(report.buyer.name)}</b> · ${h(when)} UTC · ${n} connection${n === 1 ? '' : 's'}</p>${detail}</div>` +
    `<div class="score-big"><div class="num">${report.score === null ? '—' : h(Math.round(report.score * 10) / 10)}</div><div class="muted">${report.score === null ? 'no score' : 'score / 100'}</div>${note ? `<div class="muted" style="max-width:180px;font-size:0.8rem">${h(note)}</div>` : ''}</div>` +
    `</header>${gateBox(report)}${partial}`
  );
}

function gateBox(report: Report): string {
  const gate = headline(report).gate;
  const state = gate.passed ? 'passed' : 'failed';
  const why = gate.passed
    ? ` <span>(${h(gate.terms)})</span>`
    : gate.reasons.length === 1 ? ` — ${h(gate.reasons[0])}` : `<ul>${gate.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>`;
  return (
    `<div class="gate gate-${state}" data-testid="gate"><span class="gate-label">${GATE_LABEL}</span> ` +
    `<b>${gate.passed ? '✔' : '✖'} ${state}</b>${why}` +
    `<div class="gate-note">The pipeline’s rule for this run (plan gate, --fail-under, --require); it does not change the vendor’s grade.</div></div>`
  );
}

const unjudgedLine = (report: Report) => {
  const text = unjudgedText(report);
  return text ? `<p class="muted" data-testid="unjudged">${h(text)}</p>` : '';
};

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function summaryCards(report: Report): string {
  const cards = report.checks.map((check) => {
    const pct = check.score === null ? 0 : Math.round(check.score * 100);
    const color = check.score === null ? 'var(--skip)' : pct >= 80 ? 'var(--pass)' : pct >= 60 ? '#d4a72c' : 'var(--fail)';
    const counts = (['fail', 'error', 'warn', 'pass', 'skip'] as const)
      .map((s) => [s, check.findings.filter((f) => f.status === s).length] as const)
      .filter(([, k]) => k > 0)
      .map(([s, k]) => `${k} ${s}`)
      .join(' · ');
    return (
      `<a class="card" href="#check-${h(check.id)}" style="color:inherit;text-decoration:none"><h3>${h(check.title)} ${pill(check.status)}</h3>` +
      `<div class="bar"><span style="width:${pct}%;background:${color}"></span></div>` +
      `<div class="counts">score ${checkScoreText(check)}${check.score === null ? ' (not judged)' : '/100'} · weight ${h(check.weight)} · ${counts || 'no findings'}</div></a>`
    );
  });
  return `<div class="cards">${cards.join('')}</div>`;
}

function reasonsSection(report: Report, anchors: Map<Finding, string>): string {
  const problems = topProblems(report);
  if (problems.length === 0) return '<section class="reasons panel"><h2>Top reasons</h2><p>Nothing failed, errored or raised a warning.</p></section>';
  const items = problems.map(
    ({ finding }) =>
      `<li>${pill(finding.status)} <a href="#${anchors.get(finding)}"><b>${h(finding.title)}</b></a> ` +
      `${finding.connection ? `<span class="chip">${h(finding.connection)}</span>` : ''} — ${h(finding.message)}</li>`,
  );
  return `<section class="reasons panel" data-testid="top-reasons"><h2>Top reasons</h2><ol>${items.join('')}</ol></section>`;
}

function connectionsSection(report: Report): string {
  if (report.connections.length === 0) return '';
  const rows = report.connections.map(
    (c) => `<tr><td><b>${h(c.system)}</b></td><td class="url mono">${h(c.ehrBaseUrl)}</td><td>${h(vendorKindWords(c.vendorKind))}<br><span class="url mono">${h(c.vendorBaseUrl)}</span></td><td>${pill(c.live ? 'pass' : 'fail', c.live ? 'live' : 'not live')}</td></tr>`,
  );
  return `<section><h2>Connections</h2><table><thead><tr><th>Connection</th><th>EHR (record of truth)</th><th>Vendor, and how it is reached</th><th>Live</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function checkSection(report: Report, check: CheckResult, anchors: Map<Finding, string>): string {
  const head =
    `<header><h2>${h(check.title)}</h2>${pill(check.status)}<span class="muted">weight ${h(check.weight)}</span>` +
    `<span class="score">${check.score === null ? 'not scored' : `${checkScoreText(check)}/100`}</span></header>`;
  const description = CHECK_CATALOG[check.id]?.description;
  const desc = description ? `<p class="check-desc">${h(description)}</p>` : '';
  const extras: string[] = [];
  if (check.id === 'freshness') {
    const views = lagViews(report);
    if (views.length) extras.push(`<h3>Lag per connection</h3><div class="charts">${views.map(lagFigure).join('')}</div>`);
  }
  if (check.id === 'coverage' && report.coverage) extras.push(coverageMatrixHtml(report));
  if (check.id === 'volume') extras.push(volumeTableHtml(report));
  const findings = check.findings.map((f) => findingHtml(f, anchors.get(f)!));
  return (
    `<section class="check" id="check-${h(check.id)}" data-testid="check-section" data-check="${h(check.id)}">${head}${desc}` +
    `${findingMatrix(check, anchors)}${extras.join('')}<h3>Findings</h3>${findings.join('')}</section>`
  );
}

/** Findings down, connections across: the whole check at a glance, each cell linking to its finding. */
function findingMatrix(check: CheckResult, anchors: Map<Finding, string>): string {
  if (check.findings.length === 0) return '<p class="muted">No findings.</p>';
  const known: readonly string[] = FINDINGS_BY_CHECK[check.id] ?? [];
  const ids = [...new Set(check.findings.map((f) => f.id as string))].sort((a, b) => rank(known, a) - rank(known, b));
  const runLevel = check.findings.some((f) => !f.connection);
  const conns = [...new Set(check.findings.flatMap((f) => (f.connection ? [f.connection] : [])))];
  const columns = [...(runLevel ? [''] : []), ...conns];
  const head = columns.map((c) => `<th>${c === '' ? 'whole run' : h(c)}</th>`).join('');
  const rows = ids.map((id) => {
    const title = check.findings.find((f) => f.id === id)!.title;
    const cells = columns.map((c) => {
      const f = check.findings.find((x) => x.id === id && (x.connection ?? '') === c);
      return `<td>${f ? `<a href="#${anchors.get(f)}" style="text-decoration:none">${pill(f.status)}</a>` : ''}</td>`;
    });
    return `<tr><td>${h(title)}<br><code class="muted">${h(id)}</code></td>${cells.join('')}</tr>`;
  });
  return `<table class="matrix"><thead><tr><th>Finding</th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const rank = (known: readonly string[], id: string) => (known.includes(id) ? known.indexOf(id) : known.length);

function findingHtml(f: Finding, anchor: string): string {
  return (
    `<article class="finding status-${f.status}" id="${anchor}" data-testid="finding" data-finding="${h(f.id)}">` +
    `<div class="finding-head">${pill(f.status)}<b>${h(f.title)}</b><code class="muted">${h(f.id)}</code>` +
    `<span class="conn">${f.connection ? `<span class="chip">${h(f.connection)}</span>` : '<span class="chip">whole run</span>'}</span></div>` +
    `<p class="message">${h(f.message)}</p>` +
    `<details><summary>Evidence</summary>${evidenceHtml(f.evidence)}</details></article>`
  );
}

function writesSection(report: Report): string {
  const groups = writeGroups(report.writes);
  const rows = groups.map(
    (g) =>
      `<tr><td>${h(g.connection)}</td><td>${g.target === 'ehr' ? 'EHR' : 'vendor'}</td><td>${h(g.action)}</td><td>${h(g.resourceType)}</td>` +
      `<td class="num">${g.count}</td><td class="num">${g.removed === g.count ? g.removed : `<span class="leftover">${g.removed}</span>`}</td></tr>`,
  );
  const table = groups.length
    ? `<table><thead><tr><th>Connection</th><th>Where</th><th>Action</th><th>Resource</th><th class="num">Written</th><th class="num">Removed</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : '';
  const leftover = report.cleanup.leftover.length
    ? `<p class="leftover">Left over, to remove by hand:</p><ul>${report.cleanup.leftover.map((l) => `<li class="leftover">${h(l)}</li>`).join('')}</ul>`
    : '<p>Nothing the run caused is left in the EHR.</p>';
  return `<section data-testid="writes"><h2>What was written and cleaned up</h2><p>${h(cleanupSentence(report))}</p>${table}${leftover}</section>`;
}

/** Stable, safe element ids for findings (never built from endpoint text). */
function findingAnchors(report: Report): Map<Finding, string> {
  const anchors = new Map<Finding, string>();
  report.checks.forEach((check, c) => check.findings.forEach((f, i) => anchors.set(f, `finding-${c}-${i}`)));
  return anchors;
}
