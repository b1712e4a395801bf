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
    expect(r.stdout).toContain('gate: minimum 70; required: bidirectional');
    expect(r.stderr).toBe('');
  });

  it('--fail-under overrides the saved minimum', async () => {
    const r = await runCli(['assert', '--report', report('passing.json'), '--fail-under', '90.5']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  gate failed');
    expect(r.stdout).toContain('- score 90 is under the minimum 90.5');
  });

  it('a required check that only warns still passes', async () => {
    const r = await runCli(['assert', '--report', report('passing.json'), '--require', 'coverage', '--require', 'freshness']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('required: coverage, freshness');
  });

  it("fails on the report's own gate and names the findings that decided it", async () => {
    const r = await runCli(['assert', '--report', report('failing-writes.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL  gate failed: Batch Sync Co, score 40/100 (F)');
    expect(r.stdout).toContain('- score 40 is under the minimum 70');
    expect(r.stdout).toContain('- bidirectional failed: write-lands failed on epic; conflict-refused failed on epic');
  });

  it('--require replaces the saved list of required checks', async () => {
    const r = await runCli(['assert', '--report', report('failing-writes.json'), '--fail-under', '40', '--require', 'coverage']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('gate: minimum 40; required: coverage');
    expect(r.stdout).toContain('- coverage failed: claim-integrity failed');
    expect(r.stdout).not.toContain('bidirectional');
    expect(r.stdout).not.toContain('under the minimum');
  });

  it('a lower --fail-under lets a report with no requirement pass', async () => {
    const r = await runCli(['assert', '--report', report('passing.json'), '--fail-under', '0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gate: minimum 0; required: bidirectional');
  });

  it('a report where nothing could be judged fails whatever the threshold', async () => {
    const r = await runCli(['assert', '--report', report('unjudged.json'), '--fail-under', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Unreachable Vendor, no score');
    expect(r.stdout).toContain('- nothing could be judged: no check produced a score');
    expect(r.stdout).toContain('partial');
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
