import { describe, expect, it } from 'vitest';
import type { CheckId, CheckResult, Finding, FindingId, Status } from '../../src/model/report.js';
import {
  checkStatus,
  evaluateGate,
  gradeFor,
  overallScore,
  resolveGateSpec,
  scoreFindings,
  scoreReport,
  type GateSpec,
} from '../../src/scoring.js';

const f = (status: Status, id: FindingId = 'write-lands', connection: string | null = 'epic'): Finding => ({
  id,
  ...(connection ? { connection } : {}),
  status,
  title: id,
  message: `${id} ${status}`,
  evidence: {},
});
const statuses = (...list: Status[]) => list.map((s) => f(s));

describe('scoreFindings: pass 1, warn 0.5, fail 0, skip left out, error → null', () => {
  it.each<[string, Status[], number | null]>([
    ['all pass', ['pass', 'pass'], 1],
    ['all fail', ['fail', 'fail'], 0],
    ['one of each judgeable', ['pass', 'warn', 'fail'], 0.5],
    ['warn alone', ['warn'], 0.5],
    ['skip weighs nothing', ['pass', 'skip', 'skip'], 1],
    ['skip does not dilute a fail', ['fail', 'skip'], 0],
    ['three of four pass', ['pass', 'pass', 'pass', 'fail'], 0.75],
    ['an error makes the check unscored, not 0', ['pass', 'pass', 'error'], null],
    ['an error beats a fail', ['fail', 'error'], null],
    ['all skip: nothing to judge', ['skip', 'skip'], null],
    ['no findings at all', [], null],
  ])('%s', (_name, list, expected) => {
    expect(scoreFindings(statuses(...list))).toBe(expected);
  });
});

describe('checkStatus: error > fail > warn > pass > skip', () => {
  it.each<[Status[], Status]>([
    [['pass', 'pass'], 'pass'],
    [['pass', 'warn'], 'warn'],
    [['warn', 'fail', 'pass'], 'fail'],
    [['fail', 'error'], 'error'],
    [['skip', 'pass'], 'pass'],
    [['skip', 'skip'], 'skip'],
    [['skip', 'error'], 'error'],
    [[], 'skip'],
  ])('%j → %s', (list, expected) => {
    expect(checkStatus(statuses(...list))).toBe(expected);
  });
});

describe('overallScore: weighted mean over scored checks with weight > 0, 0..100, one decimal', () => {
  const c = (score: number | null, weight: number) => ({ score, weight });
  it.each<[string, Array<{ score: number | null; weight: number }>, number | null]>([
    ['default weights, all perfect', [c(1, 40), c(1, 30), c(1, 30)], 100],
    ['weighted mean', [c(1, 40), c(0.5, 30), c(0, 30)], 55],
    ['a null check is left out and weights renormalise', [c(1, 40), c(null, 30), c(0.5, 30)], 78.6],
    ['weight 0 is left out', [c(0, 0), c(0.75, 30)], 75],
    ['only unscored checks → null', [c(null, 40), c(null, 60)], null],
    ['only zero weights → null', [c(1, 0), c(0.5, 0)], null],
    ['no checks → null', [], null],
    ['rounded to one decimal', [c(2 / 3, 1)], 66.7],
    ['a scored 0 counts as 0, not as missing', [c(0, 50), c(1, 50)], 50],
  ])('%s', (_name, checks, expected) => {
    expect(overallScore(checks)).toBe(expected);
  });
});

describe('gradeFor: A >= 90, B >= 80, C >= 70, D >= 60, else F; no score, no grade', () => {
  it.each<[number | null, string | null]>([
    [100, 'A'],
    [90, 'A'],
    [89.9, 'B'],
    [80, 'B'],
    [79.9, 'C'],
    [70, 'C'],
    [69.9, 'D'],
    [60, 'D'],
    [59.9, 'F'],
    [0, 'F'],
    [null, null],
  ])('%s → %s', (score, grade) => {
    expect(gradeFor(score)).toBe(grade);
  });
});

const check = (id: CheckId, findings: Finding[]): Pick<CheckResult, 'id' | 'status' | 'findings'> => ({
  id,
  status: checkStatus(findings),
  findings,
});

describe('evaluateGate: reasons are plain sentences', () => {
  const passingBidirectional = check('bidirectional', [f('pass', 'write-lands'), f('pass', 'read-through')]);
  const failingBidirectional = check('bidirectional', [
    f('pass', 'read-through'),
    f('fail', 'write-lands', 'epic'),
    f('error', 'conflict-refused', 'athenahealth'),
    f('fail', 'write-idempotent', 'epic#2'),
  ]);
  const rows: Array<{ name: string; score: number | null; checks: ReturnType<typeof check>[]; spec: GateSpec; reasons: string[] }> = [
    { name: 'passes over the minimum', score: 82.5, checks: [passingBidirectional], spec: { minScore: 70 }, reasons: [] },
    { name: 'the minimum itself passes', score: 70, checks: [], spec: { minScore: 70 }, reasons: [] },
    {
      name: 'under the minimum',
      score: 62.5,
      checks: [],
      spec: { minScore: 70 },
      reasons: ['score 62.5 is under the minimum 70'],
    },
    {
      name: 'nothing judged fails even with no minimum',
      score: null,
      checks: [],
      spec: {},
      reasons: ['nothing could be judged: no check produced a score'],
    },
    { name: 'no minimum, no requirement, a score: passes', score: 12, checks: [], spec: { minScore: null }, reasons: [] },
    {
      name: 'a required check that failed names its findings, errors first',
      score: 90,
      checks: [failingBidirectional],
      spec: { minScore: 70, require: ['bidirectional'] },
      reasons: [
        'bidirectional errored: conflict-refused errored on athenahealth; write-lands failed on epic; write-idempotent failed on epic#2',
      ],
    },
    {
      name: 'a required check that is missing',
      score: 90,
      checks: [passingBidirectional],
      spec: { require: ['freshness'] },
      reasons: ['freshness is required but was not run'],
    },
    {
      name: 'a required check where everything was skipped',
      score: 90,
      checks: [check('bidirectional', [f('skip'), f('skip', 'read-through')])],
      spec: { require: ['bidirectional'] },
      reasons: ['bidirectional is required but nothing in it could be judged (every finding was skipped)'],
    },
    {
      name: 'a required check that only warns passes',
      score: 85,
      checks: [check('freshness', [f('warn', 'ehr-to-vendor-lag'), f('pass', 'double-booking-race')])],
      spec: { require: ['freshness'] },
      reasons: [],
    },
    {
      name: 'a run-level finding is named without a connection',
      score: 75,
      checks: [check('coverage', [f('fail', 'required-systems', null), f('pass', 'connection-live')])],
      spec: { require: ['coverage'] },
      reasons: ['coverage failed: required-systems failed'],
    },
    {
      name: 'every reason is listed, score first',
      score: 40,
      checks: [failingBidirectional],
      spec: { minScore: 70, require: ['bidirectional', 'coverage'] },
      reasons: [
        'score 40 is under the minimum 70',
        'bidirectional errored: conflict-refused errored on athenahealth; write-lands failed on epic; write-idempotent failed on epic#2',
        'coverage is required but was not run',
      ],
    },
  ];
  it.each(rows)('$name', ({ score, checks, spec, reasons }) => {
    const gate = evaluateGate({ score, checks }, spec);
    expect(gate.reasons).toEqual(reasons);
    expect(gate.passed).toBe(reasons.length === 0);
    expect(gate.minScore).toBe(spec.minScore ?? null);
    expect(gate.require).toEqual(spec.require ?? []);
  });

  it('lists a check required twice once', () => {
    expect(evaluateGate({ score: 90, checks: [] }, { require: ['coverage', 'coverage'] }).reasons).toEqual([
      'coverage is required but was not run',
    ]);
  });
});

describe('resolveGateSpec: flags override the saved gate, each for its own part', () => {
  const base: GateSpec = { minScore: 70, require: ['bidirectional'] };
  it.each<[string, Parameters<typeof resolveGateSpec>[1], GateSpec]>([
    ['no flags: the saved gate', {}, { minScore: 70, require: ['bidirectional'] }],
    ['--fail-under only', { failUnder: 85 }, { minScore: 85, require: ['bidirectional'] }],
    ['--fail-under 0 is a real minimum', { failUnder: 0 }, { minScore: 0, require: ['bidirectional'] }],
    ['--require only', { require: ['coverage', 'freshness'] }, { minScore: 70, require: ['coverage', 'freshness'] }],
    ['both', { failUnder: 50, require: ['freshness'] }, { minScore: 50, require: ['freshness'] }],
  ])('%s', (_name, flags, expected) => {
    expect(resolveGateSpec(base, flags)).toEqual(expected);
  });
  it('no saved gate and no flags: no minimum, nothing required', () => {
    expect(resolveGateSpec(undefined, {})).toEqual({ minScore: null, require: [] });
  });
});

describe('scoreReport: findings to the report fields', () => {
  it('scores checks, renormalises around an errored check and gates', () => {
    const run = scoreReport(
      [
        { id: 'bidirectional', title: 'Writes land', findings: [f('pass'), f('warn', 'read-through'), f('skip', 'certification')] },
        { id: 'coverage', title: 'Coverage', findings: [f('pass', 'connection-live'), f('error', 'claim-integrity', null)] },
        { id: 'freshness', title: 'Freshness', findings: [f('fail', 'ehr-to-vendor-lag'), f('pass', 'double-booking-race')] },
      ],
      { bidirectional: 40, coverage: 30, freshness: 30 },
      { minScore: 70, require: ['bidirectional'] },
    );
    expect(run.checks.map((c) => [c.id, c.status, c.score, c.weight])).toEqual([
      ['bidirectional', 'warn', 0.75, 40],
      ['coverage', 'error', null, 30],
      ['freshness', 'fail', 0.5, 30],
    ]);
    // (0.75·40 + 0.5·30) / 70 = 0.642857… → 64.3
    expect(run.score).toBe(64.3);
    expect(run.grade).toBe('D');
    expect(run.gate).toEqual({
      minScore: 70,
      require: ['bidirectional'],
      passed: false,
      reasons: ['score 64.3 is under the minimum 70'],
    });
    expect(run.checks[0]?.title).toBe('Writes land');
    expect(run.checks[0]?.findings).toHaveLength(3);
  });

  it('falls back to the default weights 40/30/30 for a check the weights leave out', () => {
    const run = scoreReport(
      [
        { id: 'bidirectional', title: 'B', findings: [f('pass')] },
        { id: 'freshness', title: 'F', findings: [f('fail', 'ehr-to-vendor-lag')] },
      ],
      {},
      {},
    );
    expect(run.checks.map((c) => c.weight)).toEqual([40, 30]);
    expect(run.score).toBe(57.1);
    expect(run.gate.passed).toBe(true);
  });

  it('nothing judged: score null, no grade (not evaluated, not F), gate failed', () => {
    const run = scoreReport([{ id: 'coverage', title: 'C', findings: [f('skip', 'connection-live')] }], {}, { minScore: 10 });
    expect(run.checks[0]?.status).toBe('skip');
    expect(run.score).toBeNull();
    expect(run.grade).toBeNull();
    expect(run.gate.passed).toBe(false);
    expect(run.gate.reasons).toEqual(['nothing could be judged: no check produced a score']);
  });
});
