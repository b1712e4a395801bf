// A finding's evidence as HTML: how it was verified, the HTTP exchanges that decided it, the lag trials,
// then every other field. All of it came from endpoints, so all of it is escaped and bounded in size.
import { escapeHtml as h } from './escape.js';
import { formatMs } from './facts.js';

const METHOD_WORDS: Record<string, string> = {
  api: 'measured through the API',
  operator: 'confirmed by an operator',
  impossible: 'cannot be verified on this EHR',
};
const VENDOR_METHOD_WORDS: Record<string, string> = {
  api: "through the vendor's API",
  operator: "by a person using the vendor's product",
  impossible: 'cannot be done with this kind of vendor',
};
const SHOWN_APART = new Set(['method', 'reason', 'requests', 'samples', 'vendorKind', 'vendorMethod', 'vendorMethodReason']);
const MAX_LIST = 24;
const MAX_JSON = 4000;

export function evidenceHtml(evidence: Record<string, unknown> | undefined): string {
  const e = evidence ?? {};
  const parts: string[] = [];
  const rows: string[] = [];
  if (typeof e.method === 'string') rows.push(row('How verified', `${h(e.method)} — ${h(METHOD_WORDS[e.method] ?? 'see reason')}`));
  if (typeof e.reason === 'string') rows.push(row('Reason', h(e.reason)));
  if (typeof e.vendorMethod === 'string') {
    const kind = typeof e.vendorKind === 'string' ? `${e.vendorKind} vendor: ` : '';
    const why = typeof e.vendorMethodReason === 'string' ? ` (${h(e.vendorMethodReason)})` : '';
    rows.push(row('Vendor side', `${h(kind)}${h(e.vendorMethod)} — ${h(VENDOR_METHOD_WORDS[e.vendorMethod] ?? 'see reason')}${why}`));
  }
  for (const [key, value] of Object.entries(e)) {
    if (SHOWN_APART.has(key) || value === undefined) continue;
    rows.push(row(words(key), valueHtml(value)));
  }
  if (rows.length) parts.push(`<dl>${rows.join('')}</dl>`);
  if (Array.isArray(e.samples) && e.samples.length) parts.push(samplesTable(e.samples));
  if (Array.isArray(e.requests) && e.requests.length) parts.push(requestsTable(e.requests));
  return parts.length ? `<div class="evidence">${parts.join('')}</div>` : '<div class="evidence muted">No evidence recorded.</div>';
}

const row = (term: string, html: string) => `<dt>${h(term)}</dt><dd>${html}</dd>`;

/** `vendorFreeCount` → "vendor free count". */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ').toLowerCase();
}

function valueHtml(value: unknown): string {
  if (value === null) return '<span class="muted">none</span>';
  if (typeof value === 'string') return h(value);
  if (typeof value === 'number' || typeof value === 'boolean') return `<span class="mono">${h(String(value))}</span>`;
  if (Array.isArray(value) && value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) {
    if (value.length === 0) return '<span class="muted">none</span>';
    const shown = value.slice(0, MAX_LIST).map((v) => `<code>${h(String(v))}</code>`).join(', ');
    return value.length > MAX_LIST ? `${shown} <span class="muted">and ${value.length - MAX_LIST} more</span>` : shown;
  }
  let json = JSON.stringify(value, null, 1) ?? String(value);
  if (json.length > MAX_JSON) json = `${json.slice(0, MAX_JSON)}\n… (${json.length - MAX_JSON} more characters)`;
  return `<pre>${h(json)}</pre>`;
}

function requestsTable(requests: unknown[]): string {
  const rows = requests.slice(0, 50).map((r) => {
    const q = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const status = q.status === null || q.status === undefined ? `<span class="muted">${h(q.error ?? 'no answer')}</span>` : h(q.status);
    const ms = typeof q.durationMs === 'number' ? formatMs(q.durationMs) : '—';
    return `<tr><td class="mono">${h(q.method ?? '')}</td><td class="url mono">${h(q.url ?? '')}</td><td class="num">${status}</td><td class="num">${h(ms)}</td></tr>`;
  });
  const more = requests.length > 50 ? `<tr><td colspan="4" class="muted">and ${requests.length - 50} more</td></tr>` : '';
  return `<table><thead><tr><th>Method</th><th>URL</th><th class="num">Status</th><th class="num">Time</th></tr></thead><tbody>${rows.join('')}${more}</tbody></table>`;
}

function samplesTable(samples: unknown[]): string {
  const rows = samples.slice(0, 100).map((s, i) => {
    const t = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    const lag = t.censored ? '<span class="leftover">not seen</span>' : h(formatMs(num(t.lagMs)));
    const interval = t.censored ? `≥ ${h(formatMs(num(t.lowMs)))}` : `${h(formatMs(num(t.lowMs)))} – ${h(formatMs(num(t.highMs)))}`;
    return `<tr><td class="num">${i + 1}</td><td>${h(t.change ?? '')}</td><td class="num">${lag}</td><td class="num">${interval}</td></tr>`;
  });
  return `<table><thead><tr><th class="num">Trial</th><th>Change</th><th class="num">Lag</th><th class="num">Interval</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
