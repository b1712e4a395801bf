// `compare` and `assert` handed a plan, a manifest or a registry instead of a report: one line that says what
// the file is and how a report is made, exit 2; never the report schema's list of errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { Workspace } from './workspace.js';

let ws: Workspace;
beforeEach(() => (ws = new Workspace()));
afterEach(() => ws.dispose());

const WORDS: Record<string, string> = {
  'plan.yaml': 'plan.yaml: is a plan, not a report: run `ehr-check run --plan plan.yaml` to produce one',
  'plan.json': 'plan.json: is a plan, not a report: run `ehr-check run --plan plan.json` to produce one',
  'vendor-manifest.json': 'vendor-manifest.json: is a vendor manifest, not a report: a plan names it, and `ehr-check run --plan PLAN` produces a report',
  'certifications.json': 'certifications.json: is a certification registry, not a report: a plan names it, and `ehr-check run --plan PLAN` produces a report',
};

describe('a plan, manifest or registry where a report is expected', () => {
  it.each(Object.keys(WORDS))('assert --report %s: one line naming what it is, exit 2', async (file) => {
    const r = await runCli(['assert', '--report', file], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`ehr-check: ${WORDS[file]}\n`);
  });

  it.each(Object.keys(WORDS))('compare report.json %s: one line naming what it is, nothing compared, exit 2', async (file) => {
    const r = await runCli(['compare', 'report.json', file], { cwd: ws.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`ehr-check: ${WORDS[file]}\n`);
  });

  it('a real report still loads: the same commands accept it', async () => {
    const r = await runCli(['compare', 'report.json'], { cwd: ws.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
