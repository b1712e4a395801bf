import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/report/escape.js';
import { formatMarkdown } from '../../src/report/markdown.js';
import { allFindings, hostileReport, sample, SAMPLE_NAMES, SCRIPT } from './samples.js';

describe('formatMarkdown', () => {
  it('names the vendor, grade and score in its heading, and the CI gate on its own line', () => {
    expect(formatMarkdown(sample('deep')).split('\n').slice(0, 5)).toEqual([
      '### ehr-check: Northwind Voice AI — grade A, 100/100',
      '',
      'Based on all 32 findings.',
      '',
      '**CI gate: ✅ passed** (min score 70; required: bidirectional)',
    ]);
    const shallow = formatMarkdown(sample('shallow')).split('\n');
    expect(shallow[0]).toBe('### ehr-check: QuickBook Assist — grade F, 46.3/100');
    expect(shallow.slice(4, 6)).toEqual(['**CI gate: ❌ failed**', '- score 46.3 is under the minimum 70']);
  });

  it('has a table of checks with status, score and weight', () => {
    const md = formatMarkdown(sample('shallow'));
    expect(md).toContain('| Check | Status | Score | Weight | Findings |');
    expect(md).toContain('| Bidirectional and certified | ❌ fail | 50 | 40 | 4 fail, 3 warn, 4 pass, 1 skip |');
    expect(md).toContain('| Freshness | ❌ fail | 25 | 30 | 4 fail, 1 warn, 1 pass |');
    expect(formatMarkdown(sample('error'))).toContain('| Bidirectional and certified | 💥 error | — | 40 |');
  });

  it.each(SAMPLE_NAMES)('%s: names every failing and erroring finding with its connection and message', (name) => {
    const report = sample(name);
    const md = formatMarkdown(report);
    const problems = allFindings(report).filter(({ finding }) => finding.status === 'fail' || finding.status === 'error');
    for (const { finding } of problems) {
      const where = finding.connection ? `on \`${finding.connection}\`` : '(whole run)';
      expect(md).toContain(`**${finding.id}** ${where}: ${escapeMarkdown(finding.message)}`);
    }
    if (problems.length === 0) expect(md).toContain('No failing or erroring findings.');
  });

  it('gives lag and cost one line each, and says what cleanup left', () => {
    const md = formatMarkdown(sample('shallow'));
    expect(md).toMatch(/^\*\*Lag:\*\* epic EHR → vendor p50 7\.8 s \(delayed\) · epic vendor → EHR p50 3\.4 s \(delayed\) · .*eclinicalworks vendor → EHR p50 > 30 s \(stale\)$/m);
    expect(md).toMatch(/^\*\*Cost:\*\* \$760\/week in staff time — 300 manual re-entries, 20 staff hours and 0 expected double bookings per week\.$/m);
    expect(formatMarkdown(sample('batch'))).toContain('- ⚠️ left over: Appointment/a1-appt-581: the EHR refused to remove it');
  });

  it('flags a partial report', () => {
    expect(formatMarkdown(sample('partial'))).toContain('**Partial report:**');
  });

  it('renders hostile text as words: no HTML, no links, no table breaks', () => {
    const md = formatMarkdown(hostileReport());
    expect(md).not.toContain(SCRIPT);
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/[^\\]\]\(http/); // a link needs an unescaped "](", which never survives
    expect(md).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
    expect(md).toContain('&lt;script&gt;window.\\_\\_pwned = 1&lt;/script&gt;');
    // Every table row still has exactly its six cell borders.
    for (const row of md.split('\n').filter((l) => l.startsWith('| '))) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
  });
});
