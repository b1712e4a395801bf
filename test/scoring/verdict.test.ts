// The vendor's result and how much of it stands on evidence (src/verdict.ts), as tables of cases.
import { describe, expect, it } from 'vitest';
import type { CheckId, CheckResult, Finding, Status } from '../../src/model/report.js';
import { checkStatus, scoreFindings } from '../../src/scoring.js';
import { confidenceOf, reportConfidence, reportVerdict, verdictOf } from '../../src/verdict.js';
import { sample } from '../report/samples.js';

const f = (status: Status): Finding => ({ id: 'read-through', connection: 'epic', status, title: 't', message: 'm', evidence: {} });
const check = (id: CheckId, weight: number, statuses: Status[]): CheckResult => {
  const findings = statuses.map(f);
  return { id, title: id, status: checkStatus(findings), score: scoreFindings(findings), weight, findings };
};

describe('confidenceOf', () => {
  it.each<[string, CheckResult[], { judged: number; total: number; share: number | null }]>([
    ['everything judged', [check('bidirectional', 40, ['pass', 'fail']), check('coverage', 30, ['warn'])], { judged: 3, total: 3, share: 1 }],
    ['skips count as not judged, weighted by check', [check('bidirectional', 40, ['pass', 'skip', 'skip', 'skip']), check('coverage', 60, ['fail', 'pass'])], { judged: 3, total: 6, share: 0.7 }],
    // An error leaves its check unscored: none of that check's findings reach the score.
    ['an error makes the whole check stand on nothing', [check('bidirectional', 50, ['pass', 'pass', 'error']), check('coverage', 50, ['pass'])], { judged: 1, total: 4, share: 0.5 }],
    ['a check that weighs 0 is left out of both counts', [check('bidirectional', 0, ['skip', 'skip']), check('coverage', 30, ['pass'])], { judged: 1, total: 1, share: 1 }],
    ['only skips', [check('freshness', 30, ['skip', 'skip'])], { judged: 0, total: 2, share: 0 }],
    ['nothing weighs anything', [check('freshness', 0, ['pass'])], { judged: 0, total: 0, share: null }],
    ['a third, rounded to three decimals', [check('coverage', 30, ['pass', 'skip', 'skip'])], { judged: 1, total: 3, share: 0.333 }],
  ])('%s', (_name, checks, expected) => {
    expect(confidenceOf(checks)).toEqual(expected);
  });
});

describe('verdictOf', () => {
  it('graded whenever there is a score, however little stands on evidence', () => {
    expect(verdictOf({ score: 12, checks: [check('coverage', 30, ['fail', 'skip'])], connections: [{ live: true }] })).toEqual({ status: 'graded', reason: null });
  });

  it.each<[string, Parameters<typeof verdictOf>[0], string]>([
    [
      'no connection reachable',
      { score: null, checks: [check('coverage', 30, ['error'])], connections: [{ live: false }, { live: false }] },
      "none of the 2 connections could be reached or used, so nothing about the vendor was judged; check the plan's URLs, the network and the credentials (see connection-live)",
    ],
    ['interrupted first', { score: null, checks: [check('freshness', 30, ['skip'])], connections: [{ live: true }], partial: true }, 'the run was interrupted before anything could be judged'],
    [
      'each check says why it has no score',
      { score: null, checks: [check('bidirectional', 40, ['pass', 'error']), check('coverage', 0, ['pass']), check('freshness', 30, ['skip'])], connections: [{ live: true }] },
      'no check could be scored (bidirectional errored, coverage weighs 0, freshness had nothing to judge)',
    ],
  ])('not evaluated when nothing could be scored: %s', (_name, run, reason) => {
    expect(verdictOf(run)).toEqual({ status: 'not-evaluated', reason });
  });

  it('a 1.0 report without verdict or confidence gets them derived; a 1.1 report keeps its own', () => {
    const old = sample('error');
    expect(old.verdict).toBeUndefined();
    expect(reportVerdict(old)).toEqual({ status: 'graded', reason: null });
    expect(reportConfidence(old)).toEqual(confidenceOf(old.checks));
    const unevaluated = { ...old, score: null, grade: null, connections: old.connections.map((c) => ({ ...c, live: false })) };
    expect(reportVerdict(unevaluated).status).toBe('not-evaluated');
    const carried = { ...old, verdict: { status: 'graded' as const, reason: null }, confidence: { judged: 1, total: 2, share: 0.5 } };
    expect(reportConfidence(carried)).toEqual({ judged: 1, total: 2, share: 0.5 });
  });
});
