// From one demo run: every output a committee or a pipeline reads. The HTML opens in a real browser, the
// JUnit parses with the right counts, the Markdown names the verdict and every failing finding, `compare`
// ranks the three vendors as their scores do, and `assert` gates the saved reports.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { browserOrSkip, findBrowser } from '../helpers/browser.js';
import { DEMO_VENDORS } from '../../fixtures/demo/scenario.js';
import { runCli } from '../helpers/cli.js';
import { parseXml } from './xml.js';

/** Every vendor of the demo, each kind of vendor among them. */
const VENDORS = DEMO_VENDORS.map((v) => v.id);
const BROWSER = findBrowser();

describe('outputs of one demo run', () => {
  let dir: string;
  const file = (vendor: string, ext: string) => join(dir, `report.${vendor}.${ext}`);
  const report = (vendor: string) => JSON.parse(readFileSync(file(vendor, 'json'), 'utf8')) as Report;
  const findings = (r: Report) => r.checks.flatMap((c) => c.findings.map((f) => ({ ...f, check: c.id })));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ehr-check-demo-outputs-'));
    const out = (ext: string) => join(dir, `report.${ext}`);
    const run = await runCli(['demo', '--quiet', '--json', out('json'), '--html', out('html'), '--junit', out('xml'), '--markdown', out('md')], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
  }, 100_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every output for every vendor', () => {
    for (const v of VENDORS) for (const ext of ['json', 'html', 'xml', 'md']) expect(existsSync(file(v, ext)), `${v}.${ext}`).toBe(true);
  });

  it('JUnit: one suite per check, one case per finding, failures and errors counted as the report says', () => {
    for (const v of VENDORS) {
      const r = report(v);
      const root = parseXml(readFileSync(file(v, 'xml'), 'utf8'));
      const suites = root.children.filter((c) => c.name === 'testsuite' && c.attributes.name !== 'gate');
      expect(suites.map((s) => s.attributes.name)).toHaveLength(r.checks.length);
      const cases = suites.flatMap((s) => s.children.filter((c) => c.name === 'testcase'));
      const all = findings(r);
      expect(cases).toHaveLength(all.length);
      const count = (tag: string) => cases.filter((c) => c.children.some((x) => x.name === tag)).length;
      expect(count('failure'), v).toBe(all.filter((f) => f.status === 'fail').length);
      expect(count('error'), v).toBe(all.filter((f) => f.status === 'error').length);
      // Every finding, and the CI gate as one more test case, apart from them.
      expect(Number(root.attributes.tests)).toBe(all.length + 1);
      const gate = root.children.find((c) => c.name === 'testsuite' && c.attributes.name === 'gate')!;
      expect(gate.attributes.failures, v).toBe(r.gate.passed ? '0' : '1');
    }
  });

  it('Markdown: names the verdict and every failing finding', () => {
    for (const v of VENDORS) {
      const r = report(v);
      const md = readFileSync(file(v, 'md'), 'utf8');
      expect(md).toContain(r.gate.passed ? '**CI gate: ✅ passed**' : '**CI gate: ❌ failed**');
      expect(md.split('\n')[0]).toBe(`### ehr-check: ${r.vendor.name} — grade ${r.grade}, ${r.score}/100`);
      for (const f of findings(r).filter((x) => x.status === 'fail' || x.status === 'error')) expect(md, `${v}: ${f.id}`).toContain(f.id);
    }
  });

  it('compare ranks the three vendors as their scores do', async () => {
    const res = await runCli(['compare', file('shallow', 'json'), file('deep', 'json'), file('batch', 'json'), '--html', join(dir, 'compare.html')]);
    expect(res.code, res.stderr).toBe(0);
    const byScore = (['shallow', 'deep', 'batch'] as const).map(report).sort((a, b) => (b.score ?? -1) - (a.score ?? -1)).map((r) => r.vendor.name);
    const order = byScore.map((name) => res.stdout.indexOf(name));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(existsSync(join(dir, 'compare.html'))).toBe(true);
  });

  it('assert gates the saved reports: 0 for the passing vendor, 1 for a failing one, 2 for a file that is not a report', async () => {
    expect((await runCli(['assert', '--report', file('deep', 'json')])).code).toBe(0);
    expect((await runCli(['assert', '--report', file('shallow', 'json')])).code).toBe(1);
    expect((await runCli(['assert', '--report', file('deep', 'md')])).code).toBe(2);
  });

  it('HTML: the verdict, every check and a lag chart in chromium, with no console error', async (ctx) => {
    const executablePath = browserOrSkip(ctx, BROWSER);
    const profile = mkdtempSync(join(tmpdir(), 'ehr-check-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      for (const v of VENDORS) {
        const r = report(v);
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
        page.on('pageerror', (e) => problems.push(e.message));
        page.on('request', (q) => !q.url().startsWith('file:') && problems.push(`network: ${q.url()}`));
        await page.goto(pathToFileURL(file(v, 'html')).href);
        expect(await page.getByTestId('verdict').innerText()).toContain(r.vendor.name);
        expect(await page.getByTestId('check-section').count()).toBe(r.checks.length);
        expect(await page.locator('svg[data-testid="lag-chart"]').count()).toBeGreaterThan(0);
        expect(problems, v).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 60_000);
});
