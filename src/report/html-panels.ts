// Two panels of the HTML report: the coverage matrix (systems against claims and what was seen) and the
// cost panel (what the measured behaviour costs the buyer each week, with its formulas).
import type { CoverageRow, Report, RoiPanel } from '../model/report.js';
import { escapeHtml as h } from './escape.js';
import { costBreakdown, formatMoney, formatNumber } from './facts.js';
import { pill } from './html-page.js';

const CERTIFIED = { verified: 'pass', claimed: 'warn', lapsed: 'fail', none: 'skip' } as const;

export function coverageMatrixHtml(report: Report): string {
  const cov = report.coverage;
  if (!cov || cov.matrix.length === 0) return '';
  const claimed = cov.claimedSystemCount === null ? 'no count claimed' : `${cov.claimedSystemCount} claimed`;
  const rows = cov.matrix.map((r) => matrixRow(r));
  return (
    `<h3>Coverage matrix <span class="muted" style="font-weight:400">— ${h(cov.verifiedCount)} verified live · ${h(claimed)}</span></h3>` +
    `<table class="matrix" data-testid="coverage-matrix"><thead><tr><th>System</th><th>Buyer runs it</th><th>Vendor claims it</th><th>Live</th>` +
    `<th>Read</th><th>Write</th><th>Vendor certified</th><th>EHR certified (ONC)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function matrixRow(r: CoverageRow): string {
  const yes = (v: boolean) => `<span class="chip">${v ? 'yes' : 'no'}</span>`;
  const live = r.live === null ? pill(null) : r.live ? pill('pass', 'live') : pill('fail', 'down');
  const certified = pill(CERTIFIED[r.certified] ?? 'skip', r.certified);
  const ehr = r.ehrCertified === undefined ? pill(null) : pill(r.ehrCertified === 'certified' ? 'pass' : r.ehrCertified === 'not-certified' ? 'fail' : 'skip', r.ehrCertified);
  // A system the buyer runs that nobody connected is the row to notice.
  const style = r.buyerRuns && r.live === null ? ' style="background:var(--fail-bg)"' : '';
  return (
    `<tr${style}><td><b>${h(r.displayName)}</b> <code class="muted">${h(r.system)}</code></td><td>${yes(r.buyerRuns)}</td><td>${yes(r.claimed)}</td>` +
    `<td>${live}</td><td>${pill(r.read)}</td><td>${pill(r.write)}</td><td>${certified}</td><td>${ehr}</td></tr>`
  );
}

export function costHtml(roi: RoiPanel): string {
  const bad = roi.costPerWeek > 0 || roi.expectedDoubleBookingsPerWeek > 0;
  const stats = [
    [formatNumber(roi.manualReentriesPerWeek), 'manual re-entries / week'],
    [formatNumber(roi.staffHoursPerWeek), 'staff hours / week'],
    [formatNumber(roi.expectedDoubleBookingsPerWeek), 'expected double bookings / week'],
    ...(roi.doubleBookingCostPerWeek === undefined ? [] : [[formatMoney(roi.doubleBookingCostPerWeek), 'of it for double-bookings / week']]),
    ...(roi.volumeCostPerWeek === undefined ? [] : [[formatNumber((roi.volumeLostPerWeek ?? 0) + (roi.volumeDuplicatesPerWeek ?? 0)), 'bookings lost or duplicated at volume / week']]),
    [formatMoney(roi.costPerWeek * 52), 'per year'],
  ].map(([value, label]) => `<div><b>${h(value)}</b><span class="muted">${h(label)}</span></div>`);
  const parts = costBreakdown(roi);
  const basis = Object.entries(roi.basis ?? {}).map(([k, v]) => `<dt>${h(k)}</dt><dd>${v === null ? '<span class="muted">none</span>' : h(v)}</dd>`);
  return (
    `<h2>What the gaps cost</h2><div class="cost" style="margin-top:12px"><div><div class="big ${bad ? 'bad' : 'good'}">${h(formatMoney(roi.costPerWeek))}</div>` +
    `<div class="muted">staff cost per week</div></div><div class="stats">${stats.join('')}</div></div>` +
    `<p class="muted" style="margin-bottom:4px">From the buyer’s volumes: ${h(formatNumber(roi.bookingsPerWeek))} bookings a week, ` +
    `${h(formatNumber(roi.minutesPerManualEntry))} minutes per manual entry, ` +
    `${roi.minutesPerDoubleBooking === undefined ? '' : `${h(formatNumber(roi.minutesPerDoubleBooking))} minutes per double-booking, `}${h(formatMoney(roi.staffHourlyCost))} per staff hour.</p>` +
    (parts ? `<p data-testid="cost-parts">${h(parts)}.</p>` : '') +
    `<details><summary>How it is computed</summary><div class="evidence"><dl>${basis.join('')}</dl></div></details>`
  );
}
