// Judging does no I/O: the checks, scoring and the runner's judge step load no package (node:fs included) and no
// module of the folders that talk to servers, files or people. Their types may come from there (`import type`
// loads nothing).
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reachable } from '../helpers/imports.js';
import { REPO } from '../helpers/paths.js';

const IO_FOLDERS = /^src[/\\](http|probes|operator|safety|run|commands|cli|chpl|contracts)[/\\]/;

describe('judging loads nothing that does I/O', () => {
  it.each(['checks/index.ts', 'src/scoring.ts', 'src/run/judge.ts'])('%s', (entry) => {
    const loaded = [...reachable(join(REPO, entry))].filter((m) => m !== join(REPO, entry));
    expect(loaded.length).toBeGreaterThan(1);
    const packages = loaded.filter((m) => !m.startsWith(REPO));
    const io = loaded.filter((m) => m.startsWith(REPO) && IO_FOLDERS.test(relative(REPO, m)));
    expect({ packages, io }).toEqual({ packages: [], io: [] });
  });
});
