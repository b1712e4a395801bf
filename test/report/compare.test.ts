import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRoiPanel } from '../../src/roi.js';
import { compareReports, doubleBooks } from '../../src/report/compare-rows.js';
import { BEST_MARK, formatCompareHtml, formatCompareTerminal } from '../../src/report/compare.js';
import { runCli } from '../helpers/cli.js';
import { REPO } from '../helpers/paths.js';
import { hostileReport, sample, samplePath } from './samples.js';

const three = () => [sample('shallow'), sample('batch'), sample('deep')];
const rowOf = (name: string) => compareReports(three()).rows.find((r) => r.label === name)!;

describe('compareReports', () => {
  it('ranks vendors by score, reports without a score last', () => {
    expect(compareReports(three()).reports.map((r) => r.vendor.name)).toEqual(['Northwind Voice AI', 'Nightly Sync Scheduling', 'QuickBook Assist']);
    const noScore = { ...sample('error'), score: null };
    expect(compareReports([noScore, sample('shallow')]).reports.map((r) => r.score)).toEqual([46.3, null]);
  });

  it('marks the best value of each row, in the right direction', () => {
    expect(rowOf('Score').cells.map((c) => c.best)).toEqual([true, false, false]);
    // Lower is better for lag and cost: the batch vendor writes back fastest, the deep one costs nothing.
    expect(rowOf('Lag p50, vendor → EHR').cells.map((c) => [c.text, c.best])).toEqual([
      ['345 ms (real-time) athenahealth', false],
      ['280 ms (real-time)', true],
      ['> 30 s (stale) eclinicalworks', false],
    ]);
    expect(rowOf('Cost per week').cells.map((c) => [c.text, c.best])).toEqual([['$0', true], ['$1,015', false], ['$760', false]]);
    // A tie for first marks both; a row where all are equal marks none.
    expect(rowOf('write-lands').cells.map((c) => c.best)).toEqual([true, true, false]);
    expect(rowOf('connection-live').cells.map((c) => c.best)).toEqual([false, false, false]);
  });

  it('summarises a finding over a vendor’s connections', () => {
    expect(rowOf('write-lands').cells.map((c) => c.text)).toEqual(['✔ pass 3/3', '✔ pass', '✖ fail 0/2']);
    expect(rowOf('Systems verified / claimed').cells.map((c) => c.text)).toEqual(['2 of 2 claimed', '1 of 3 claimed', '1 of 92 claimed']);
  });
});

describe('double-bookings in the comparison', () => {
  const volumes = { bookingsPerWeek: 600, minutesPerManualEntry: 4, staffHourlyCost: 38 };
  // A vendor measured 2 s behind the EHR, whose race failed or passed; `reentry` is its share of manual re-entries.
  const withPanel = (name: 'deep' | 'batch', racePassed: boolean, reentry: number, minutesPerDoubleBooking?: number) => ({
    ...sample(name),
    roi: buildRoiPanel({ ...volumes, ...(minutesPerDoubleBooking !== undefined && { minutesPerDoubleBooking }) }, [
      { connection: 'epic', reentryFraction: reentry, lagSeconds: 2, lagIsLowerBound: false, racePassed },
    ]),
  });
  const cost = (reports: ReturnType<typeof withPanel>[]) => {
    const { rows, reports: ranked } = compareReports(reports);
    const row = (label: string) => rows.find((r) => r.label === label)!.cells.map((c, i) => [ranked[i]!.vendor.name, c.text, c.best]);
    return { perWeek: row('Cost per week'), doubleBookings: row('Expected double-bookings / week'), reentries: row('Manual re-entries / week') };
  };

  it('shows the expected double-bookings and their cost, and counts them in the cost per week', () => {
    const { perWeek, doubleBookings, reentries } = cost([withPanel('deep', true, 0), withPanel('batch', false, 0)]);
    expect(doubleBookings).toEqual([['Northwind Voice AI', '0 ($0)', true], ['Nightly Sync Scheduling', '4.4 ($56)', false]]);
    expect(perWeek).toEqual([['Northwind Voice AI', '$0', true], ['Nightly Sync Scheduling', '$56', false]]);
    expect(reentries).toEqual([['Northwind Voice AI', '0', false], ['Nightly Sync Scheduling', '0', false]]);
  });

  it('never marks a vendor that double-books as cheapest: not in a tie, and not when it is cheaper', () => {
    // Double-bookings priced at 0 minutes: both cost $0, only the vendor that never double-books is marked.
    expect(cost([withPanel('deep', true, 0), withPanel('batch', false, 0, 0)]).perWeek).toEqual([['Northwind Voice AI', '$0', true], ['Nightly Sync Scheduling', '$0', false]]);
    // The vendor that double-books is cheaper (the other re-enters 10% of bookings by hand): no mark at all.
    expect(cost([withPanel('deep', true, 0.1), withPanel('batch', false, 0)]).perWeek).toEqual([['Northwind Voice AI', '$152', false], ['Nightly Sync Scheduling', '$56', false]]);
    // The rule reads the race too: a failed race with no lag measured still double-books.
    expect(doubleBooks(sample('batch'))).toBe(true);
    expect(doubleBooks(sample('deep'))).toBe(false);
  });

  it('says the rule under the table', () => {
    expect(formatCompareTerminal(three(), { color: false })).toContain('a vendor that double-books is never marked cheapest');
    expect(formatCompareHtml(three())).toContain('a vendor that double-books is never marked cheapest');
  });
});

describe('formatCompareTerminal', () => {
  it('prints the ranking and a side-by-side table, without colour codes when asked', () => {
    const out = formatCompareTerminal(three(), { color: false });
    expect(out).not.toContain('\u001b');
    // The vendor's result first, the CI gate after it: never one word standing for both.
    const ranking = out.split('\n').filter((l) => /^\d\. /.test(l));
    expect(ranking.map((l) => l.replace(/ {2}r-.*$/, ''))).toEqual([
      '1. Northwind Voice AI  grade A, 100/100  CI gate passed',
      '2. Nightly Sync Scheduling  grade F, 53.3/100  CI gate failed',
      '3. QuickBook Assist  grade F, 46.3/100  CI gate failed',
    ]);
    expect(out).toMatch(/│ CI gate +│ ★ passed +│ failed +│ failed +│/);
    expect(out).toMatch(new RegExp(`│ Score +│ ${BEST_MARK} 100/100 +│ 53\\.3/100 +│ 46\\.3/100 +│`));
    expect(out).toMatch(new RegExp(`│ Cost per week +│ ${BEST_MARK} \\$0 +│ \\$1,015 +│ \\$760 +│`));
  });

  it('colours and bolds when asked, and keeps hostile control characters out', () => {
    expect(formatCompareTerminal(three(), { color: true })).toContain('\u001b[1m');
    expect(formatCompareTerminal([hostileReport(), sample('deep')], { color: false })).not.toMatch(/[\u0007\u001b]/);
  });
});

describe('formatCompareHtml', () => {
  it('is one self-contained page with the best cells marked, vendors ranked', () => {
    const html = formatCompareHtml(three());
    expect(html).not.toMatch(/\bsrc\s*=|<link|url\(/i);
    expect(html.indexOf('1. Northwind Voice AI')).toBeLessThan(html.indexOf('2. Nightly Sync Scheduling'));
    expect(html).toMatch(new RegExp(`<tr><td>Score</td><td class="best" data-best="true">${BEST_MARK} 100/100</td><td>53.3/100</td><td>46.3/100</td></tr>`));
    expect(html).toContain('data-testid="compare-table"');
  });

  it('escapes hostile vendor names', () => {
    const html = formatCompareHtml([hostileReport(), sample('deep')]);
    expect(html).not.toContain('<img');
    expect(html).toContain('Evil &quot;Vendor&quot; &lt;img');
  });
});

describe('ehr-check compare', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ehr-check-compare-'));
  });

  it('prints the comparison of saved reports and writes the HTML when asked: exit 0', async () => {
    const html = join(dir, 'compare.html');
    const result = await runCli(['compare', samplePath('shallow'), samplePath('deep'), samplePath('batch'), '--html', html], { cwd: REPO });
    expect(result.stderr).toContain(`comparison written to ${html}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('1. Northwind Voice AI  grade A, 100/100  CI gate passed');
    expect(result.stdout).not.toContain('\u001b');
    expect(readFileSync(html, 'utf8')).toContain('data-testid="compare-table"');
  });

  it('a file that is not a report: exit 2, naming the file', async () => {
    const notReport = join(dir, 'plan.json');
    writeFileSync(notReport, JSON.stringify({ version: 1, hello: 'world' }));
    const result = await runCli(['compare', samplePath('deep'), notReport], { cwd: REPO });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(notReport);
    expect(result.stdout).toBe('');
  });

  it('a missing file or broken JSON: exit 2, naming the file', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schemaVersion": "1.0", "checks": [');
    for (const file of ['no-such-report.json', broken]) {
      const result = await runCli(['compare', file], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(file === broken ? 'broken.json' : 'no-such-report.json');
    }
  });
});
