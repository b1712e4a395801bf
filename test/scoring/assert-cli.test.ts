// `ehr-check assert` through the built CLI, on hand-made saved reports (build first: npx tsc -p .).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const report = (name: string) => join(FIXTURES, name);

describe('ehr-check assert', () => {
  it('passes a report that meets its own gate, and says why', async () => {
    const r = await runCli(['assert', '--report', report('passing.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('PASS  gate passed: Example Voice AI, score 90/100 (A)');
    expect(r.stdout).toContain('gate: minScore 70 (saved), require bidirectional (saved)\n');
    expect(r.stderr).toBe('');
  });

  it('--fail-under overrides the saved minimum', async () => {
    const r = await runCli(['assert', '--report', report('passing.json'), '--fail-under', '90.5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  gate failed');
    expect(r.stdout).toContain('- score 90 is under the minimum 90.5');
    expect(r.stdout).toContain('gate: minScore 90.5 (--fail-under, instead of the saved 70), require bidirectional (saved)\n');
  });

  it('a required check that only warns still passes', async () => {
    const r = await runCli(['assert', '--report', report('passing.json'), '--require', 'coverage', '--require', 'freshness']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gate: minScore 70 (saved), require bidirectional (saved) + coverage, freshness (--require)\n');
  });

  it("fails on the report's own gate and names the findings that decided it", async () => {
    const r = await runCli(['assert', '--report', report('failing-writes.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  gate failed: Batch Sync Co, score 40/100 (F)');
    expect(r.stdout).toContain('- score 40 is under the minimum 70');
    expect(r.stdout).toContain('- bidirectional failed: write-lands failed on epic; conflict-refused failed on epic');
  });

  it('--require adds to the saved list of required checks, and says which came from where', async () => {
    const r = await runCli(['assert', '--report', report('failing-writes.json'), '--fail-under', '40', '--require', 'coverage']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('gate: minScore 40 (--fail-under, instead of the saved 70), require bidirectional (saved) + coverage (--require)\n');
    expect(r.stdout).toContain('- bidirectional failed: write-lands failed on epic; conflict-refused failed on epic');
    expect(r.stdout).toContain('- coverage failed: claim-integrity failed');
    expect(r.stdout).not.toContain('under the minimum');
  });

  it('--require of a check the saved gate already requires adds nothing', async () => {
    const r = await runCli(['assert', '--report', report('passing.json'), '--require', 'bidirectional']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gate: minScore 70 (saved), require bidirectional (saved)\n');
  });

  it('a lower --fail-under lets a report with no requirement pass', async () => {
    const r = await runCli(['assert', '--report', report('passing.json'), '--fail-under', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gate: minScore 0 (--fail-under, instead of the saved 70), require bidirectional (saved)\n');
  });

  it('a report where nothing could be judged fails whatever the threshold', async () => {
    const r = await runCli(['assert', '--report', report('unjudged.json'), '--fail-under', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Unreachable Vendor, no score');
    expect(r.stdout).toContain('- nothing could be judged: no check produced a score');
    expect(r.stdout).toContain('partial');
    expect(r.stdout).toContain('gate: minScore 0 (--fail-under, instead of the saved 70), no check required\n');
  });

  it.each([
    ['a missing file', 'no-such-report.json', /no-such-report\.json.*not found/i],
    ['invalid JSON', 'truncated.json', /truncated\.json.*JSON/],
    ['a vendor manifest, not a report', 'not-a-report.json', /not-a-report\.json.*report/i],
  ])('%s is bad input: exit 2', async (_name, file, message) => {
    const r = await runCli(['assert', '--report', report(file)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['--require', 'speed'], /--require.*"speed"/],
    [['--fail-under', '150'], /--fail-under.*0\.\.100/],
    [['--fail-under', 'high'], /--fail-under.*"high"/],
  ])('bad flags %j: exit 2', async (flags, message) => {
    const r = await runCli(['assert', '--report', report('passing.json'), ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
