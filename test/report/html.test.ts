import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LagEvidence } from '../../src/model/report.js';
import { formatHtml } from '../../src/report/html.js';
import { allFindings, hostileReport, sample, SAMPLE_NAMES, SCRIPT } from './samples.js';

const occurrences = (text: string, needle: string | RegExp) => (typeof needle === 'string' ? text.split(needle).length - 1 : (text.match(needle) ?? []).length);

describe('formatHtml', () => {
  it.each(SAMPLE_NAMES)('%s: one self-contained document, nothing fetched from anywhere', (name) => {
    const html = formatHtml(sample(name));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(occurrences(html, '<html')).toBe(1);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/href="(?!#)/); // only links within the page
    expect(html).toContain("default-src 'none'");
  });

  it('allows exactly its own inline script, by hash', () => {
    const html = formatHtml(sample('deep'));
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(html).toContain(`script-src 'sha256-${hash}'`);
  });

  it('puts the vendor’s result and grade up front, and the gate apart', () => {
    const html = formatHtml(sample('shallow'));
    const verdict = html.slice(html.indexOf('<header class="verdict'), html.indexOf('</header>'));
    expect(verdict).toContain('band-poor');
    expect(verdict).toContain('<div class="verdict-label">Vendor result · grade F</div>');
    expect(verdict).not.toMatch(/FAIL|PASS|gate/);
    expect(verdict).toContain('<h1>QuickBook Assist</h1>');
    expect(verdict).toContain('class="grade grade-F"');
    expect(verdict).toContain('<div class="num">46.3</div>');
    expect(html.indexOf('data-testid="verdict"')).toBeLessThan(html.indexOf('data-testid="check-section"'));
    expect(formatHtml(sample('partial'))).toContain('data-testid="partial-banner"');
    expect(formatHtml(sample('error'))).toContain('score from 1 of 3 checks (bidirectional, freshness not judged)');
  });

  it('has a section per check, every finding with its evidence in <details>', () => {
    const report = sample('deep');
    const html = formatHtml(report);
    for (const check of report.checks) expect(html).toContain(`data-testid="check-section" data-check="${check.id}"`);
    const findings = allFindings(report).length;
    expect(occurrences(html, 'data-testid="finding"')).toBe(findings);
    expect(occurrences(html, '<details><summary>Evidence</summary>')).toBe(findings);
    expect(html).toContain('http://127.0.0.1:8101/api/FHIR/R4/Appointment?identifier=urn:ehr-check:booking|bk-e1-7e9d');
  });

  it('draws one lag chart per measured direction and connection: a dot per trial, censored trials marked', () => {
    for (const name of SAMPLE_NAMES) {
      const report = sample(name);
      const html = formatHtml(report);
      const lags = allFindings(report)
        .map(({ finding }) => finding)
        .filter((f) => /-lag$/.test(f.id) && Array.isArray(f.evidence.samples))
        .map((f) => f.evidence as unknown as LagEvidence);
      expect(occurrences(html, 'data-testid="lag-chart"')).toBe(lags.length);
      const censored = lags.reduce((n, l) => n + l.samples.filter((s) => s.censored).length, 0);
      expect(occurrences(html, 'data-testid="lag-censored"')).toBe(censored);
      expect(occurrences(html, 'data-testid="lag-sample"')).toBe(lags.reduce((n, l) => n + l.samples.length, 0) - censored);
    }
    const shallow = formatHtml(sample('shallow'));
    expect(shallow).toContain('>real-time 1 s</text>');
    expect(shallow).toContain('>near-real-time 3 s</text>');
    expect(shallow).toContain('>timeout 30 s</text>');
    expect(shallow).toContain('<title>trial 5: not seen within 30.0 s (block-slot)</title>');
  });

  it('shows the coverage matrix, the cost panel, and what was written and cleaned up', () => {
    const html = formatHtml(sample('shallow'));
    const matrix = html.slice(html.indexOf('data-testid="coverage-matrix"'));
    for (const system of ['Epic', 'eClinicalWorks', 'athenahealth', 'Oracle Health', 'MEDITECH']) expect(matrix).toContain(`<b>${system}</b>`);
    expect(html).toContain('data-testid="cost-panel"');
    expect(html).toContain('<div class="big bad">$760</div>');
    expect(html).toContain('$39,520'); // per year
    const batch = formatHtml(sample('batch'));
    expect(batch).toContain('<li class="leftover">Appointment/a1-appt-581: the EHR refused to remove it</li>');
    expect(formatHtml(sample('deep'))).toContain('Nothing the run caused is left in the EHR.');
  });

  it('escapes every hostile string: a <script> in a message stays text', () => {
    const report = hostileReport();
    const html = formatHtml(report);
    const body = html.slice(0, html.lastIndexOf('<script>'));
    expect(body).not.toContain(SCRIPT);
    expect(body).not.toMatch(/<script|<img|<svg onload|onerror="|onload="/i);
    expect(occurrences(html, '<script>')).toBe(1); // only the page's own
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('Evil &quot;Vendor&quot; &lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;');
  });
});
