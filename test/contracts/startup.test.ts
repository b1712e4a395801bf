// `--help` must not pay for ajv or yaml: nothing that main.ts imports statically may reach src/contracts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/paths.js';

/** Static, value-level imports of a TypeScript module (`import type` and `await import()` are not loads at start). */
function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gm)) specifiers.push(m[1]!);
  for (const m of source.matchAll(/^import\s+'([^']+)'/gm)) specifiers.push(m[1]!);
  return specifiers;
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const ts = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(ts)) visit(ts);
    }
  };
  visit(entry);
  return seen;
}

describe('start-up cost', () => {
  it('main.ts reaches neither ajv, yaml nor src/contracts without a command asking', () => {
    const loaded = [...reachable(join(REPO, 'src', 'cli', 'main.ts'))];
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.filter((m) => /^(ajv|ajv-formats|yaml)$|[/\\]contracts[/\\]/.test(m))).toEqual([]);
  });

  it('the schema and validate commands do load the contracts', () => {
    for (const command of ['schema', 'validate']) {
      const loaded = [...reachable(join(REPO, 'src', 'commands', `${command}.ts`))];
      expect(loaded.some((m) => /[/\\]contracts[/\\]/.test(m))).toBe(true);
    }
  });
});
