// `--help` must not pay for ajv or yaml: nothing that main.ts imports statically may reach src/contracts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachable } from '../helpers/imports.js';
import { REPO } from '../helpers/paths.js';

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
