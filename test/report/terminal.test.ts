import { describe, expect, it } from 'vitest';
import { formatTerminal } from '../../src/report/terminal.js';
import { columns, hostileReport, sample, SAMPLE_NAMES } from './samples.js';

const ESC = '\u001b';

describe('formatTerminal', () => {
  it('starts with the vendor’s result, then the CI gate on its own line', () => {
    expect(formatTerminal(sample('deep'), { color: false }).split('\n').slice(0, 2)).toEqual([
      'Northwind Voice AI: grade A, 100/100 · based on all 32 findings',
      'CI gate: passed (min score 70; required: bidirectional)',
    ]);
    expect(formatTerminal(sample('shallow'), { color: false }).split('\n').slice(0, 3)).toEqual([
      'QuickBook Assist: grade F, 46.3/100 · based on 21 of 22 findings (97% by weight)',
      'CI gate: failed — score 46.3 is under the minimum 70; bidirectional failed: conflict-refused failed',
      '  on epic; patient-matched failed on epic; write-lands failed on eclinicalworks; certification',
    ]);
    expect(formatTerminal(sample('partial'), { color: false }).split('\n').slice(0, 2)).toEqual([
      'Northwind Voice AI: grade A, 100/100 (partial: run interrupted) · based on 10 of 12 findings (80% by',
      '  weight)',
    ]);
  });

  it('says when the score stands on fewer checks than were run', () => {
    expect(formatTerminal(sample('error'), { color: false })).toContain('Note: score from 1 of 3 checks (bidirectional, freshness not judged)');
    expect(formatTerminal(sample('deep'), { color: false })).not.toContain('Note:');
  });

  it('quiet prints the result and the gate only', () => {
    const out = formatTerminal(sample('batch'), { color: false, quiet: true });
    const full = formatTerminal(sample('batch'), { color: false });
    expect(out).toBe(`${full.slice(0, full.indexOf('\nBuyer '))}\n`);
    expect(out).toMatch(/^Nightly Sync Scheduling: grade F, 53\.3\/100 · .*\nCI gate: failed — /);
  });

  it.each(SAMPLE_NAMES)('%s: no colour codes at all without colour, and lines fit 100 columns', (name) => {
    const out = formatTerminal(sample(name), { color: false });
    expect(out).not.toContain(ESC);
    const wide = out.split('\n').filter((l) => columns(l) > 100);
    expect(wide).toEqual([]);
  });

  it('breaks the header between facts, never inside one ("· 2" then "connections")', () => {
    // The demo's header: a buyer name and run id long enough to pass 100 columns with the connection count.
    const report = { ...sample('deep'), buyer: { name: 'Riverside Health (demo)' }, runId: 'ehrc-20261124T221530Z-a1b2c3' };
    report.connections = [report.connections[0]!, { ...report.connections[0]!, system: 'eclinicalworks' }];
    // The header's facts come after the vendor's result and the CI gate line.
    const lines = formatTerminal(report, { color: false }).split('\n');
    const first = lines.findIndex((l) => l.startsWith('Buyer '));
    const header = lines.slice(first, first + 2);
    expect(header[0]).toBe(`Buyer Riverside Health (demo) · run ehrc-20261124T221530Z-a1b2c3 · ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC`);
    expect(header[1]).toBe('  2 connections');
    for (const width of [60, 80, 100, 140]) {
      const head = formatTerminal(report, { color: false, width }).split('\n\n')[0]!.split('\n');
      expect(head.some((l) => /· \d+$/.test(l)), `width ${width}`).toBe(false);
      expect(head.filter((l) => columns(l) > width), `width ${width}`).toEqual([]);
      expect(head.join(' ')).toContain('2 connections');
    }
  });

  it('fits a narrower terminal too', () => {
    const out = formatTerminal(sample('shallow'), { color: false, width: 80 });
    expect(out.split('\n').filter((l) => columns(l) > 80)).toEqual([]);
  });

  it('colours statuses when asked', () => {
    const out = formatTerminal(sample('shallow'), { color: true });
    expect(out).toContain(`${ESC}[31m`); // red: fail
    expect(out).toContain(`${ESC}[32m`); // green: pass
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatTerminal(sample('shallow'), { color: false }));
  });

  it('has a table per check with every finding, connection, status and message', () => {
    const report = sample('deep');
    const out = formatTerminal(report, { color: false });
    for (const check of report.checks) expect(out).toContain(check.title);
    const rows = out.split('\n').filter((l) => /^│ [a-z-]+ +│ (epic|epic#2|athenahealth|\(run\)) +│ ✔ pass/.test(l));
    expect(rows).toHaveLength(report.checks.reduce((n, c) => n + c.findings.length, 0));
  });

  it('shows the coverage matrix, lag per connection, the cost panel and the writes', () => {
    const out = formatTerminal(sample('shallow'), { color: false });
    expect(out).toMatch(/Coverage matrix {2}1 verified live · 92 claimed/);
    expect(out).toMatch(/│ MEDITECH +│ no +│ yes +│ — /);
    expect(out).toMatch(/│ epic +│ EHR → vendor +│ 7\.8 s +│ > 30 s +│ 1\/5 +│ delayed/);
    expect(out).toMatch(/│ eclinicalworks +│ vendor → EHR +│ > 30 s +│ > 30 s +│ 5\/5 +│ stale/);
    expect(out).toContain('Cost of the gaps  $760/week');
    expect(out).toContain('300 manual re-entries and 20 staff hours per week');
    expect(out).toMatch(/Writes and cleanup {2}Wrote \d+ \(EHR \d+, vendor \d+\); cleanup removed \d+ of \d+; nothing left over\./);
    expect(formatTerminal(sample('batch'), { color: false })).toContain('▲ left over: Appointment/a1-appt-581: the EHR refused to remove it');
  });

  it('names the three top reasons: fails and errors first, heavier checks first', () => {
    const out = formatTerminal(sample('shallow'), { color: false });
    const reasons = out.slice(out.indexOf('Top reasons')).split('\n').filter((l) => /^ {2}\d\. /.test(l));
    expect(reasons).toEqual([
      expect.stringMatching(/^ {2}1\. ✖ conflict-refused \[epic\] — the vendor accepted \(HTTP 202\)/),
      expect.stringMatching(/^ {2}2\. ✖ patient-matched \[epic\] — /),
      expect.stringMatching(/^ {2}3\. ✖ write-lands \[eclinicalworks\] — /),
    ]);
    // Errors count as fails: the error sample's first reasons are its errored bidirectional probes (weight 40).
    const errors = formatTerminal(sample('error'), { color: false });
    expect(errors.slice(errors.indexOf('Top reasons'))).toMatch(/1\. ! read-through \[oracle-health\]/);
    expect(formatTerminal(sample('deep'), { color: false })).toContain('Top reasons  nothing failed');
  });

  it('makes control characters from endpoints visible instead of sending them to the terminal', () => {
    const out = formatTerminal(hostileReport(), { color: false });
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\u0007');
    expect(out).toContain('\\x1b[31mred');
  });
});
