// The volume check's table in the HTML report: per connection, the burst's counts and its lag under load,
// with the keys that were lost named (the finding's evidence holds every booking).
import type { Report } from '../model/report.js';
import { escapeHtml as h } from './escape.js';
import { formatMs, volumeViews } from './facts.js';
import { pill } from './html-page.js';

export function volumeTableHtml(report: Report): string {
  const views = volumeViews(report);
  if (views.length === 0) return '';
  const bad = (n: number) => (n > 0 ? `<b style="color:var(--fail)">${h(n)}</b>` : h(n));
  const rows = views.map(
    (v) =>
      `<tr><td><code>${h(v.connection)}</code></td><td>${pill(v.status)}</td><td>${h(v.attempted)}${v.concurrency === null ? '' : ` <span class="muted">(${h(v.concurrency)} at once)</span>`}</td>` +
      `<td>${h(v.accepted)}</td><td>${h(v.refused)}</td><td>${h(v.landed)}</td><td>${bad(v.duplicates)}</td><td>${bad(v.lostKeys.length)}</td>` +
      `<td>${h(v.throttled)}</td><td>${h(formatMs(v.lagP50Ms))} / ${h(formatMs(v.lagP95Ms))}</td></tr>` +
      (v.lostKeys.length ? `<tr><td></td><td colspan="9" class="muted">lost keys: ${v.lostKeys.map((k) => `<code>${h(k)}</code>`).join(' ')}</td></tr>` : ''),
  );
  return (
    `<h3>Writes at volume</h3><table class="matrix" data-testid="volume-table"><thead><tr><th>Connection</th><th>Status</th><th>Booked</th>` +
    `<th>Accepted</th><th>Refused</th><th>Landed</th><th>Duplicates</th><th>Lost</th><th>Throttled</th><th>Lag p50 / p95</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
