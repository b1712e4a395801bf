// One connection's lag trials in one direction as an inline SVG: a dot per trial with its error bound, a
// triangle above the timeout for a trial never seen, and the real-time / near-real-time thresholds as lines.
// The scale is logarithmic so 200 ms and 20 s both read on one chart.
import type { LagSample } from '../model/report.js';
import { escapeHtml as h } from './escape.js';
import { DIRECTION_LABEL, formatMs, lagPercentile, type LagView } from './facts.js';
import { pill } from './html-page.js';

const W = 520;
const H = 220;
const M = { left: 58, right: 122, top: 14, bottom: 34 };
const COLORS = { rt: '#1a7f37', nrt: '#bf8700', slow: '#cf222e', axis: '#59636e', grid: '#e6eaef' };

export function lagFigure(view: LagView): string {
  const { lag } = view;
  const klass = lag.class === 'real-time' ? 'pass' : lag.class === 'near-real-time' ? 'warn' : 'fail';
  const caption =
    `<figcaption><b>${h(view.connection)}</b> <span>${DIRECTION_LABEL[view.direction]}</span> ${pill(klass, lag.class)}` +
    `<span class="muted">p50 ${h(lagPercentile(lag, 'p50Ms'))} · p95 ${h(lagPercentile(lag, 'p95Ms'))} · ` +
    `${lag.censored} of ${lag.trials} not seen</span></figcaption>`;
  return `<figure class="lag">${caption}${lag.samples.length ? lagChart(view) : '<p class="muted">No trial was measured.</p>'}</figure>`;
}

export function lagChart(view: LagView): string {
  const { lag } = view;
  const rtMs = positive(lag.realTimeSeconds) * 1000;
  const nrtMs = positive(lag.nearRealTimeSeconds) * 1000;
  const timeoutMs = positive(lag.timeoutSeconds) * 1000;
  const measured = lag.samples.filter((s) => !s.censored && s.lagMs !== null);
  const smallest = Math.min(rtMs, ...measured.map((s) => Math.max(1, s.lowMs)));
  const lo = 10 ** Math.floor(Math.log10(Math.max(1, smallest / 1.5)));
  const hi = Math.max(timeoutMs, ...measured.map((s) => s.highMs)) * 2.2; // headroom for censored markers
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  // Clamped log scale: values outside [lo, hi] sit on the edge instead of leaving the chart.
  const y = (ms: number) => {
    const v = Math.min(hi, Math.max(lo, ms));
    return M.top + plotH * (1 - (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)));
  };
  const n = lag.samples.length;
  const x = (i: number) => M.left + (plotW * (i + 0.5)) / n;
  const color = (ms: number) => (ms <= rtMs ? COLORS.rt : ms <= nrtMs ? COLORS.nrt : COLORS.slow);

  const parts: string[] = [];
  const title = `${view.connection}, ${DIRECTION_LABEL[view.direction]}: ${n} trials, p50 ${lagPercentile(lag, 'p50Ms')}`;
  parts.push(`<title>${h(title)}</title>`);
  for (let tick = lo; tick <= hi; tick *= 10) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f(y(tick))}" y2="${f(y(tick))}" stroke="${COLORS.grid}"/>`);
    parts.push(`<text x="${M.left - 6}" y="${f(y(tick) + 4)}" text-anchor="end" font-size="11" fill="${COLORS.axis}">${h(formatMs(tick))}</text>`);
  }
  parts.push(threshold(y(rtMs), COLORS.rt, `real-time ${seconds(rtMs)}`, '5 4'));
  parts.push(threshold(y(nrtMs), COLORS.nrt, `near-real-time ${seconds(nrtMs)}`, '5 4'));
  parts.push(threshold(y(timeoutMs), COLORS.axis, `timeout ${seconds(timeoutMs)}`, ''));
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" stroke="${COLORS.axis}"/>`);
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="${COLORS.axis}"/>`);
  lag.samples.forEach((s, i) => parts.push(sampleMark(s, i, x(i), y, color, timeoutMs)));
  parts.push(`<text x="${f(M.left + plotW / 2)}" y="${H - 4}" text-anchor="middle" font-size="11" fill="${COLORS.axis}">trial</text>`);
  return `<svg data-testid="lag-chart" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif">${parts.join('')}</svg>`;
}

function sampleMark(s: LagSample, i: number, cx: number, y: (ms: number) => number, color: (ms: number) => string, timeoutMs: number): string {
  const label = `<text x="${f(cx)}" y="${H - 18}" text-anchor="middle" font-size="11" fill="${COLORS.axis}">#${i + 1}</text>`;
  if (s.censored || s.lagMs === null) {
    // Never seen: all we know is "later than lowMs" — an arrow from there up past the timeout.
    const top = y(timeoutMs) - 14;
    const tip = `M ${f(cx)} ${f(top - 7)} L ${f(cx - 7)} ${f(top + 5)} L ${f(cx + 7)} ${f(top + 5)} Z`;
    const what = `trial ${i + 1}: not seen within ${formatMs(timeoutMs)}${s.change ? ` (${s.change})` : ''}`;
    return (
      `<g data-testid="lag-censored"><title>${h(what)}</title>` +
      `<line x1="${f(cx)}" x2="${f(cx)}" y1="${f(y(Math.max(1, s.lowMs)))}" y2="${f(top + 5)}" stroke="${COLORS.slow}" stroke-dasharray="3 3"/>` +
      `<path d="${tip}" fill="${COLORS.slow}"/>` +
      `<text x="${f(cx)}" y="${f(top - 10)}" text-anchor="middle" font-size="10" fill="${COLORS.slow}">not seen</text></g>${label}`
    );
  }
  const c = color(s.lagMs);
  const yl = y(Math.max(1, s.lowMs));
  const yh = y(Math.max(1, s.highMs));
  const what = `trial ${i + 1}: ${formatMs(s.lagMs)} (between ${formatMs(s.lowMs)} and ${formatMs(s.highMs)})${s.change ? `, ${s.change}` : ''}`;
  return (
    `<g data-testid="lag-sample"><title>${h(what)}</title>` +
    `<line x1="${f(cx)}" x2="${f(cx)}" y1="${f(yl)}" y2="${f(yh)}" stroke="${c}" stroke-width="2"/>` +
    `<line x1="${f(cx - 5)}" x2="${f(cx + 5)}" y1="${f(yl)}" y2="${f(yl)}" stroke="${c}" stroke-width="2"/>` +
    `<line x1="${f(cx - 5)}" x2="${f(cx + 5)}" y1="${f(yh)}" y2="${f(yh)}" stroke="${c}" stroke-width="2"/>` +
    `<circle cx="${f(cx)}" cy="${f(y(Math.max(1, s.lagMs)))}" r="5.5" fill="${c}" stroke="#fff" stroke-width="1.5"/></g>${label}`
  );
}

function threshold(yy: number, color: string, text: string, dash: string): string {
  return (
    `<line x1="${M.left}" x2="${W - M.right}" y1="${f(yy)}" y2="${f(yy)}" stroke="${color}" stroke-width="1.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>` +
    `<text x="${W - M.right + 6}" y="${f(yy + 4)}" font-size="11" fill="${color}">${h(text)}</text>`
  );
}

/** Thresholds are whole seconds in plans: "3 s", not "3.0 s". */
const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : formatMs(ms));
const positive = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 1);
const f = (v: number) => (Math.round(v * 10) / 10).toString();
