// The HTML report in a real browser (chromium or Chrome through playwright-core, found by test/helpers/browser): it renders its verdict,
// every check and the lag charts; it fetches nothing and logs no error (so it is self-contained); hostile
// text stays text; it prints with evidence expanded. Leaves test-output/report.png to look at.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatCompareHtml } from '../../src/report/compare.js';
import { formatHtml } from '../../src/report/html.js';
import { browserAbsence, browserOrSkip, findBrowser } from '../helpers/browser.js';
import { REPO } from '../helpers/paths.js';
import { hostileReport, HOSTILE_MESSAGE, sample } from './samples.js';

const BROWSER = findBrowser();
const OUT = join(REPO, 'test-output');

// Without a browser each test is skipped with the reason; with EHRC_REQUIRE_BROWSER=1 (CI) each one fails.
describe('HTML report in chromium', () => {
  let browser: BrowserContext;
  let profile: string;

  beforeEach((ctx) => void browserOrSkip(ctx, BROWSER));

  beforeAll(async () => {
    if (browserAbsence(BROWSER)) return;
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'ehr-check-chromium-'));
    // A fresh profile each run (playwright passes it to chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: BROWSER.executable,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timeout: 60_000,
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  /** Opens an HTML string as a file:// page, recording console errors, page errors and any request off the file. */
  async function open(html: string, name: string): Promise<{ page: Page; problems: string[] }> {
    const file = join(OUT, name);
    writeFileSync(file, html);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return { page, problems };
  }

  it('shows the verdict, every check section and the lag charts, fetching nothing', async () => {
    const report = sample('shallow');
    const { page, problems } = await open(formatHtml(report), 'report.html');
    try {
      const verdict = await page.getByTestId('verdict').innerText();
      expect(verdict).toContain('GRADE F');
      expect(verdict).toContain('QuickBook Assist');
      expect(await page.getByTestId('gate').innerText()).toMatch(/CI GATE\s+✖ failed/);
      expect(verdict).toContain('46.3');
      expect(await page.locator('.grade').first().textContent()).toBe('F');

      const sections = page.getByTestId('check-section');
      expect(await sections.count()).toBe(report.checks.length);
      for (const check of report.checks) {
        const section = page.locator(`[data-testid="check-section"][data-check="${check.id}"]`);
        expect(await section.isVisible()).toBe(true);
        expect(await section.locator('h2').innerText()).toBe(check.title);
      }

      const charts = page.locator('svg[data-testid="lag-chart"]');
      expect(await charts.count()).toBe(4);
      for (let i = 0; i < 4; i++) {
        const box = await charts.nth(i).boundingBox();
        expect(box!.width).toBeGreaterThan(300);
        expect(box!.height).toBeGreaterThan(120);
      }
      expect(await page.locator('svg[data-testid="lag-chart"] circle').count()).toBe(14); // 20 trials, 6 never seen
      expect(await page.locator('svg[data-testid="lag-chart"] [data-testid="lag-censored"]').count()).toBe(6);

      // Evidence is folded away on screen and opens on click.
      const evidence = page.getByTestId('finding').first().locator('.evidence');
      expect(await evidence.isVisible()).toBe(false);
      await page.getByTestId('finding').first().locator('summary').click();
      expect(await evidence.isVisible()).toBe(true);

      await page.screenshot({ path: join(OUT, 'report.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('keeps hostile text inert: a <script> in a message is shown, never run', async () => {
    const { page, problems } = await open(formatHtml(hostileReport()), 'hostile.html');
    try {
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      const shown = page.locator('.finding .message', { hasText: '<script>window.__pwned = 1</script>' });
      expect(await shown.count()).toBe(1);
      expect(await shown.textContent()).toBe(HOSTILE_MESSAGE);
      expect(await page.title()).toContain('Evil "Vendor" <img src=x');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('prints on white with evidence expanded and each check on its own page', async () => {
    const { page, problems } = await open(formatHtml(sample('batch')), 'print.html');
    try {
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('finding').first().locator('.evidence').isVisible()).toBe(true);
      const style = await page.evaluate(() => {
        const section = document.querySelector('[data-testid="check-section"]')!;
        return { breakBefore: getComputedStyle(section).breakBefore, body: getComputedStyle(document.body).backgroundColor };
      });
      expect(style.breakBefore).toBe('page');
      expect(style.body).toBe('rgb(255, 255, 255)');
      await page.pdf({ path: join(OUT, 'report.pdf') }); // fires beforeprint: the page's own script opens every <details>
      expect(await page.evaluate(() => [...document.querySelectorAll('details')].every((d) => d.open))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('renders the comparison page without errors, the best values marked', async () => {
    const { page, problems } = await open(formatCompareHtml([sample('shallow'), sample('deep'), sample('batch'), sample('error')]), 'compare.html');
    try {
      expect(await page.getByTestId('vendor-card').count()).toBe(4);
      expect(await page.getByTestId('vendor-card').first().innerText()).toContain('Northwind Voice AI');
      expect(await page.locator('td[data-best="true"]').count()).toBeGreaterThan(10);
      await page.screenshot({ path: join(OUT, 'compare.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
