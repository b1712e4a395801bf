// The sample reports are valid reports (schema and writer's rules) and hold the situations they promise.
import { describe, expect, it } from 'vitest';
import { reportRuleProblems } from '../../src/contracts/report-rules.js';
import { schemaProblems } from '../../src/contracts/validate.js';
import type { LagEvidence } from '../../src/model/report.js';
import { checkStatus, gradeFor, overallScore, scoreFindings } from '../../src/scoring.js';
import { allFindings, sample, SAMPLE_NAMES } from './samples.js';

const lagEvidence = (name: (typeof SAMPLE_NAMES)[number]) =>
  allFindings(sample(name))
    .map(({ finding }) => finding)
    .filter((f) => (f.id === 'ehr-to-vendor-lag' || f.id === 'vendor-to-ehr-lag') && f.status !== 'error' && f.status !== 'skip')
    .map((f) => ({ finding: f, lag: f.evidence as unknown as LagEvidence }));

describe('fixtures/reports', () => {
  it.each(SAMPLE_NAMES)('%s.json is a valid report whose scores follow the scoring rules', (name) => {
    const report = sample(name);
    expect(schemaProblems('report', report, `${name}.json`)).toEqual([]);
    expect(reportRuleProblems(report, `${name}.json`)).toEqual([]);
    for (const check of report.checks) {
      expect(check.score).toBe(scoreFindings(check.findings));
      expect(check.status).toBe(checkStatus(check.findings));
    }
    expect(report.score).toBe(overallScore(report.checks));
    expect(report.grade).toBe(gradeFor(report.score));
    expect(report.cleanup.removed).toBe((report.writes ?? []).filter((w) => w.removed).length);
  });

  it('deep: grade A, every finding passes, lag about 0.2 s, three connections (epic, epic#2, athenahealth)', () => {
    const report = sample('deep');
    expect(report.grade).toBe('A');
    expect(report.gate.passed).toBe(true);
    expect(allFindings(report).every(({ finding }) => finding.status === 'pass')).toBe(true);
    expect(report.connections.map((c) => c.system)).toEqual(['epic', 'epic#2', 'athenahealth']);
    const e2v = lagEvidence('deep').filter(({ finding }) => finding.id === 'ehr-to-vendor-lag');
    expect(e2v).toHaveLength(3);
    for (const { lag } of e2v) {
      expect(lag.p50Ms).toBeGreaterThan(150);
      expect(lag.p50Ms).toBeLessThan(260);
      expect(lag.class).toBe('real-time');
    }
  });

  it('shallow: queued writes warn and fail, vendor-to-EHR lag 3-4 s is delayed, a duplicated patient, a cost panel', () => {
    const report = sample('shallow');
    const writes = allFindings(report).filter(({ finding }) => finding.id === 'write-lands').map(({ finding }) => finding);
    expect(writes.map((f) => [f.status, f.evidence.vendorStatus])).toEqual([['warn', 202], ['fail', 202]]);
    const v2e = lagEvidence('shallow').find(({ finding }) => finding.id === 'vendor-to-ehr-lag' && finding.connection === 'epic')!.lag;
    expect(v2e.class).toBe('delayed');
    expect(v2e.samples.every((s) => s.lagMs! >= 3000 && s.lagMs! <= 4000)).toBe(true);
    expect(allFindings(report).find(({ finding }) => finding.id === 'patient-matched' && finding.status === 'fail')).toBeTruthy();
    expect(lagEvidence('shallow').find(({ finding }) => finding.id === 'ehr-to-vendor-lag')!.finding.evidence.mechanism).toBe('snapshot');
    expect(report.roi!.manualReentriesPerWeek).toBeGreaterThan(0);
    expect(report.roi!.costPerWeek).toBeGreaterThan(0);
  });

  it('batch: not idempotent, the race double-books, a busy slot is not refused', () => {
    const failing = allFindings(sample('batch')).filter(({ finding }) => finding.status === 'fail').map(({ finding }) => finding.id);
    expect(failing).toEqual(expect.arrayContaining(['write-idempotent', 'double-booking-race', 'conflict-refused']));
  });

  it('error: errored findings leave a check unscored; partial: the run was interrupted', () => {
    const errored = sample('error');
    expect(allFindings(errored).some(({ finding }) => finding.status === 'error')).toBe(true);
    expect(errored.checks.some((c) => c.score === null)).toBe(true);
    expect(sample('partial').partial).toBe(true);
  });

  it('every measured lag finding has 5 trials, and censored trials appear', () => {
    const all = SAMPLE_NAMES.filter((n) => n !== 'partial').flatMap(lagEvidence);
    expect(all.length).toBeGreaterThan(8);
    for (const { lag } of all) expect(lag.samples).toHaveLength(5);
    expect(all.some(({ lag }) => lag.censored === 1)).toBe(true);
    for (const { lag } of all) expect(lag.censored).toBe(lag.samples.filter((s) => s.censored).length);
  });
});
