// How the browser tests find a browser: CHROME_PATH first, then chromium, chromium-browser, google-chrome on
// PATH; without one they skip with the reason, unless EHRC_REQUIRE_BROWSER=1 makes the absence a failure.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserAbsence, browserOrSkip, findBrowser } from '../helpers/browser.js';

const root = mkdtempSync(join(tmpdir(), 'ehr-check-find-browser-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function place(dir: string, name: string, executable = true): string {
  mkdirSync(join(root, dir), { recursive: true });
  const file = join(root, dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, executable ? 0o755 : 0o644);
  return file;
}
const pathOf = (...dirs: string[]) => dirs.map((d) => join(root, d)).join(delimiter);

describe('finding a browser', () => {
  it('takes CHROME_PATH before anything on PATH', () => {
    const chosen = place('chosen', 'my-chrome');
    place('bin1', 'chromium');
    expect(findBrowser({ CHROME_PATH: chosen, PATH: pathOf('bin1') }).executable).toBe(chosen);
  });

  it('reports a CHROME_PATH that is not an executable file instead of quietly using another browser', () => {
    const plain = place('plain', 'not-exec', false);
    place('bin2', 'chromium');
    for (const chosen of [plain, join(root, 'absent'), join(root, 'plain')]) {
      const search = findBrowser({ CHROME_PATH: chosen, PATH: pathOf('bin2') });
      expect(search.executable).toBeUndefined();
      expect(search.missing).toContain(`CHROME_PATH=${chosen} is not an executable file`);
    }
  });

  it('on PATH prefers chromium, then chromium-browser, then google-chrome, skipping files it cannot run', () => {
    const chrome = place('a', 'google-chrome');
    const browser = place('b', 'chromium-browser');
    place('c', 'chromium', false);
    expect(findBrowser({ PATH: pathOf('a', 'b', 'c') }).executable).toBe(browser);
    expect(findBrowser({ PATH: pathOf('a', 'c') }).executable).toBe(chrome);
    const chromium = place('d', 'chromium');
    expect(findBrowser({ PATH: pathOf('a', 'b', 'd') }).executable).toBe(chromium);
  });

  it('without one, says what to do; the tests skip, or fail when EHRC_REQUIRE_BROWSER=1', () => {
    const none = findBrowser({ PATH: pathOf('empty') });
    expect(none.missing).toMatch(/no browser found: set CHROME_PATH, or put chromium, chromium-browser, google-chrome on PATH/);
    expect(browserAbsence(none)).toEqual({ skip: `browser tests skipped: ${none.missing}` });

    const required = findBrowser({ PATH: pathOf('empty'), EHRC_REQUIRE_BROWSER: '1' });
    expect(browserAbsence(required)).toEqual({ fail: `EHRC_REQUIRE_BROWSER=1 but ${none.missing}` });
    place('f', 'chromium');
    expect(browserAbsence(findBrowser({ PATH: pathOf('f'), EHRC_REQUIRE_BROWSER: '1' }))).toBeUndefined();
  });

  it('browserOrSkip returns the browser, skips with the reason, or throws when one is required', () => {
    const notes: Array<string | undefined> = [];
    const ctx = {
      skip: (note?: string): never => {
        notes.push(note);
        throw new Error('skipped');
      },
    };
    const found = place('g', 'chromium');
    expect(browserOrSkip(ctx, findBrowser({ PATH: pathOf('g') }))).toBe(found);
    expect(() => browserOrSkip(ctx, findBrowser({ PATH: pathOf('empty') }))).toThrow('skipped');
    expect(notes).toEqual([`browser tests skipped: ${findBrowser({ PATH: pathOf('empty') }).missing}`]);
    expect(() => browserOrSkip(ctx, findBrowser({ PATH: pathOf('empty'), EHRC_REQUIRE_BROWSER: '1' }))).toThrow(
      /^EHRC_REQUIRE_BROWSER=1 but no browser found/,
    );
    expect(notes).toHaveLength(1);
  });
});
