// The shell every HTML output shares: one self-contained file, inline CSS, a content security policy that
// forbids every network fetch and every script but our own one-liner, and print rules.
import { createHash } from 'node:crypto';
import type { Status } from '../model/report.js';
import { escapeHtml as h } from './escape.js';
import { STATUS_SYMBOL } from './facts.js';

// Opens every <details> before printing, so evidence is on paper too (the CSS does it where browsers allow).
const PRINT_SCRIPT = "addEventListener('beforeprint',function(){document.querySelectorAll('details').forEach(function(d){d.open=true})});";
const SCRIPT_HASH = createHash('sha256').update(PRINT_SCRIPT).digest('base64');

const CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ehr-check">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>${PRINT_SCRIPT}</script>
</body>
</html>
`;
}

/** A coloured status label; the symbol keeps it readable without colour (and in greyscale print). */
export function pill(status: Status | null, text?: string): string {
  if (status === null) return '<span class="pill pill-none">—</span>';
  return `<span class="pill pill-${status}">${STATUS_SYMBOL[status]} ${h(text ?? status)}</span>`;
}

const STYLE = `
:root {
  --pass: #1a7f37; --pass-bg: #dafbe1; --warn: #9a6700; --warn-bg: #fff8c5; --fail: #cf222e; --fail-bg: #ffebe9;
  --error: #8250df; --error-bg: #fbefff; --skip: #57606a; --skip-bg: #eaeef2; --ink: #1f2328; --muted: #59636e;
  --line: #d1d9e0; --panel: #f6f8fa;
}
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 48px; }
h1, h2, h3 { line-height: 1.2; margin: 0; }
h2 { font-size: 1.35rem; }
h3 { font-size: 1.05rem; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86em; }
.muted { color: var(--muted); }
a { color: inherit; }
.reasons a { text-decoration: none; } .reasons a:hover { text-decoration: underline; }
h3 { margin-top: 18px; margin-bottom: 8px; }
section { margin-top: 32px; }
.panel { border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; background: #fff; }

.verdict { display: grid; grid-template-columns: auto 1fr auto; gap: 24px; align-items: center; padding: 24px 28px; border-radius: 14px; border: 2px solid; }
/* The header is tinted by the vendor's grade; the gate below it by its own result. */
.band-good { background: var(--pass-bg); border-color: var(--pass); }
.band-fair { background: var(--warn-bg); border-color: #d4a72c; }
.band-poor { background: var(--fail-bg); border-color: var(--fail); }
.band-none { background: var(--skip-bg); border-color: var(--skip); }
.grade { width: 112px; height: 112px; border-radius: 50%; display: flex; align-items: center; justify-content: center; font-size: 64px; font-weight: 800; color: #fff; background: var(--g); border: 4px solid var(--g); }
.grade-A { --g: #1a7f37; } .grade-B { --g: #4c9a2a; } .grade-C { --g: #bf8700; } .grade-D { --g: #d1570f; } .grade-F { --g: #cf222e; } .grade-none { --g: #8c959f; }
.verdict-label { font-size: 0.85rem; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); }
.verdict h1 { font-size: 1.9rem; margin-top: 4px; }
.verdict p { margin: 6px 0 0; }
.verdict .basis { font-weight: 600; }
.score-big { text-align: center; }
.score-big .num { font-size: 40px; font-weight: 800; line-height: 1; }
.gate { margin-top: 14px; padding: 10px 16px; border-radius: 10px; border: 1px solid; }
.gate-passed { background: var(--pass-bg); border-color: #aceebb; } .gate-passed b { color: var(--pass); }
.gate-failed { background: var(--fail-bg); border-color: #ffcecb; } .gate-failed b { color: var(--fail); }
.gate-label { font-size: 0.8rem; font-weight: 700; letter-spacing: 0.08em; text-transform: uppercase; color: var(--muted); margin-right: 6px; }
.gate ul { margin: 6px 0 0; padding-left: 20px; }
.gate-note { font-size: 0.8rem; color: var(--muted); margin-top: 4px; }
.banner { margin-top: 14px; padding: 10px 14px; border-radius: 8px; background: var(--warn-bg); border: 1px solid var(--warn); color: #4d3800; font-weight: 600; }

.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 14px; margin-top: 20px; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.card h3 { margin-top: 0; display: flex; justify-content: space-between; gap: 8px; align-items: baseline; }
.bar { height: 10px; background: var(--skip-bg); border-radius: 5px; overflow: hidden; margin: 10px 0 6px; }
.bar > span { display: block; height: 100%; }
.counts { font-size: 0.86rem; color: var(--muted); }

.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; border: 1px solid; }
.pill-pass { color: var(--pass); background: var(--pass-bg); border-color: #aceebb; }
.pill-warn { color: var(--warn); background: var(--warn-bg); border-color: #eac54f; }
.pill-fail { color: var(--fail); background: var(--fail-bg); border-color: #ffcecb; }
.pill-error { color: var(--error); background: var(--error-bg); border-color: #e2c5ff; }
.pill-skip, .pill-none { color: var(--skip); background: var(--skip-bg); border-color: var(--line); }

.reasons ol { margin: 8px 0 0; padding-left: 22px; }
.reasons li { margin: 6px 0; }

table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.matrix td, .matrix th { text-align: center; } .matrix td:first-child, .matrix th:first-child { text-align: left; }

.check > header { display: flex; flex-wrap: wrap; gap: 12px; align-items: baseline; border-bottom: 3px solid var(--line); padding-bottom: 8px; margin-bottom: 12px; }
.check > header .score { margin-left: auto; font-weight: 700; }
.check-desc { margin: 0 0 12px; color: var(--muted); }
.finding { border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: 8px; padding: 10px 14px; margin: 10px 0; }
.finding.status-pass { border-left-color: var(--pass); } .finding.status-warn { border-left-color: #d4a72c; }
.finding.status-fail { border-left-color: var(--fail); } .finding.status-error { border-left-color: var(--error); }
.finding-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; }
.finding-head .conn { margin-left: auto; }
.chip { display: inline-block; padding: 0 7px; border-radius: 5px; background: var(--panel); border: 1px solid var(--line); font-size: 0.82rem; }
.message { margin: 4px 0 0; overflow-wrap: anywhere; }
details { margin-top: 6px; }
summary { cursor: pointer; color: var(--muted); font-size: 0.88rem; }
.evidence { margin-top: 8px; font-size: 0.88rem; }
.evidence dl { display: grid; grid-template-columns: minmax(120px, max-content) 1fr; gap: 2px 14px; margin: 0; }
.evidence dt { color: var(--muted); } .evidence dd { margin: 0; overflow-wrap: anywhere; }
.evidence pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); padding: 6px 8px; border-radius: 6px; }
.evidence table { margin-top: 8px; font-size: 0.84rem; } .evidence td.url { overflow-wrap: anywhere; word-break: break-all; }

.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 14px; margin: 8px 0 16px; }
figure.lag { margin: 0; border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; }
figure.lag figcaption { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; font-size: 0.9rem; }
figure.lag svg { width: 100%; height: auto; display: block; margin-top: 6px; }

.cost { display: grid; grid-template-columns: auto 1fr; gap: 22px; align-items: center; }
.cost .big { font-size: 44px; font-weight: 800; line-height: 1; }
.cost .big.bad { color: var(--fail); } .cost .big.good { color: var(--pass); }
.stats { display: flex; flex-wrap: wrap; gap: 10px 26px; }
.stats div b { display: block; font-size: 1.25rem; }
.leftover { color: var(--fail); font-weight: 600; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.84rem; border-top: 1px solid var(--line); padding-top: 10px; }

.compare td.best { font-weight: 700; background: var(--pass-bg); }
.compare th.vendor { text-transform: none; font-size: 0.95rem; color: var(--ink); letter-spacing: 0; }
.compare td, .compare th { text-align: center; } .compare td:first-child, .compare th:first-child { text-align: left; }
.compare tr.group td { background: var(--panel); font-weight: 700; text-align: left; }

@media (max-width: 720px) { .verdict { grid-template-columns: 1fr; } .charts { grid-template-columns: 1fr; } }
@media print {
  body { font-size: 11pt; background: #fff; }
  main { max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; box-shadow: none !important; }
  .check { break-before: page; }
  .grade { background: #fff; color: var(--g); }
  .finding, figure.lag, tr, .card { break-inside: avoid; }
  summary { list-style: none; color: var(--ink); font-weight: 600; }
  summary::-webkit-details-marker { display: none; }
}
@media print { details::details-content { content-visibility: visible; display: block; } }
`;
