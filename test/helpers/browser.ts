// The browser the HTML tests drive: CHROME_PATH, else chromium, chromium-browser or google-chrome on PATH.
// Without one a test is skipped with the reason printed, unless EHRC_REQUIRE_BROWSER=1 (set by .ci/run),
// which turns the absence into a failure so CI never skips them silently.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome'] as const;
export const REQUIRE_VAR = 'EHRC_REQUIRE_BROWSER';

export type BrowserSearch =
  | { executable: string; missing?: undefined; required: boolean }
  | { executable?: undefined; missing: string; required: boolean };

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Looks for a browser the way the tests do; `missing` says why none was found and what to do. */
export function findBrowser(env: NodeJS.ProcessEnv = process.env): BrowserSearch {
  const required = env[REQUIRE_VAR] === '1';
  const chosen = env.CHROME_PATH;
  // An explicit CHROME_PATH that is wrong is reported, not quietly replaced by another browser.
  if (chosen) {
    if (isExecutableFile(chosen)) return { executable: chosen, required };
    return { missing: `CHROME_PATH=${chosen} is not an executable file: point it at chromium or Chrome, or unset it`, required };
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of BROWSER_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return { executable: candidate, required };
    }
  }
  return {
    missing: `no browser found: set CHROME_PATH, or put ${BROWSER_NAMES.join(', ')} on PATH (Debian: apt-get install chromium, as .ci/run does)`,
    required,
  };
}

/** What a browser test does without a browser: fail when one is required, else skip. */
export function browserAbsence(search: BrowserSearch): { fail: string } | { skip: string } | undefined {
  if (search.executable) return undefined;
  if (search.required) return { fail: `${REQUIRE_VAR}=1 but ${search.missing}` };
  return { skip: `browser tests skipped: ${search.missing}` };
}

const warned = new Set<string>();

/**
 * For the start of a browser test (or its beforeEach): returns the executable, or skips the test with the
 * reason (printed once per file), or throws when a browser is required.
 */
export function browserOrSkip(ctx: { skip: (note?: string) => never }, search: BrowserSearch): string {
  const absence = browserAbsence(search);
  if (!absence) return search.executable!;
  if ('fail' in absence) throw new Error(absence.fail);
  if (!warned.has(absence.skip)) {
    warned.add(absence.skip);
    console.warn(absence.skip);
  }
  return ctx.skip(absence.skip);
}

