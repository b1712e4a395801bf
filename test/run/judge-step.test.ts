// The judge step alone, on evidence a real run of the demo's deep vendor gathered (fixtures/golden/
// demo-deep.evidence.json, recorded by golden.test.ts with RECORD_EVIDENCE=1): no server, no I/O. Replayed, it
// must give the golden report's checks, and what the evidence holds, not anything else, must decide them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvidence } from '../../checks/evidence.js';
// The golden run predates the opt-in volume check and does not list it: the checks a plan runs by default.
import { DEFAULT_CHECK_IDS as CHECK_IDS } from '../../checks/index.js';
import type { Report } from '../../src/model/report.js';
import { judgeRun } from '../../src/run/judge.js';
import { resolveGateSpec, scoreReport } from '../../src/scoring.js';
import { REPO } from '../helpers/paths.js';
import { normaliseReport } from './normalise.js';
import { replayEvidence, type RecordedEvidence } from './recorded-evidence.js';

const GOLDEN = join(REPO, 'fixtures', 'golden', 'demo-deep.json');
const EVIDENCE = join(REPO, 'fixtures', 'golden', 'demo-deep.evidence.json');

describe('the judge step on recorded evidence', () => {
  let recorded: RecordedEvidence;
  let evidence: RunEvidence;
  let golden: { checks: unknown[] };

  beforeAll(async () => {
    ({ recorded, evidence } = await replayEvidence(EVIDENCE));
    golden = JSON.parse(await readFile(GOLDEN, 'utf8')) as { checks: unknown[] };
  });

  /** The checks as the report would hold them, normalised as the golden file is. */
  const normalisedChecks = (e: RunEvidence, wanted = CHECK_IDS) => {
    const judged = judgeRun(e, recorded.checks, wanted);
    const weights = Object.fromEntries(judged.checks.map((c) => [c.id, recorded.checks[c.id].weight]));
    const { checks } = scoreReport(judged.checks, weights, resolveGateSpec(recorded.gate, {}));
    const report = { runId: recorded.runId, connections: recorded.connections, checks } as unknown as Report;
    return renumberIds((normaliseReport(report) as { checks: unknown[] }).checks);
  };

  /** normaliseReport numbers generated ids over the whole report; the checks alone number them from 1 again. */
  const renumberIds = (checks: unknown[]): unknown[] => {
    const ids = new Map<string, string>();
    const text = JSON.stringify(checks).replace(/<id:\d+>/g, (id) => ids.get(id) ?? (ids.set(id, `<id:${ids.size + 1}>`), ids.get(id)!));
    return JSON.parse(text) as unknown[];
  };

  it("gives the golden report's checks, findings and evidence", () => {
    expect(normalisedChecks(evidence)).toEqual(renumberIds(golden.checks));
  });

  it('keeps only the wanted checks, still judging those they read (coverage reads bidirectional)', () => {
    const judged = judgeRun(evidence, recorded.checks, ['coverage']);
    expect(judged.checks.map((c) => c.id)).toEqual(['coverage']);
    expect(normalisedChecks(evidence, ['coverage'])).toEqual(renumberIds(golden.checks.filter((c) => (c as { id: string }).id === 'coverage')));
    expect([...judged.inputs.keys()]).toEqual(['bidirectional', 'coverage', 'freshness', 'volume']);
  });

  it('is decided by the evidence: a booking the EHR does not hold fails write-lands, and the site is no longer covered', () => {
    const changed = structuredClone({ ...evidence, catalog: undefined }) as unknown as RunEvidence;
    changed.catalog = evidence.catalog;
    changed.now = evidence.now;
    const writeLands = changed.connections[0]!.probes.bidirectional!.writeLands;
    if (writeLands.kind !== 'ok') throw new Error('the recorded booking was not made');
    writeLands.data.ehrBookings = [];
    const { checks } = judgeRun(changed, recorded.checks, CHECK_IDS);
    const find = (check: string, id: string) => checks.find((c) => c.id === check)!.findings.find((f) => f.id === id)!;
    expect(find('bidirectional', 'write-lands')).toMatchObject({ status: 'fail', evidence: { manualReentry: true } });
    expect(find('coverage', 'required-systems')).toMatchObject({ status: 'warn', message: expect.stringMatching(/^partial coverage: /) });
    const before = judgeRun(evidence, recorded.checks, CHECK_IDS).checks;
    expect(before[0]!.findings.find((f) => f.id === 'write-lands')!.status).toBe('pass');
    expect(before[1]!.findings.find((f) => f.id === 'required-systems')!.status).toBe('pass');
  });

  it('runs with nothing but the evidence: every connection unreachable makes every probed finding an error', () => {
    const unreachable: RunEvidence = {
      ...evidence,
      connections: evidence.connections.map((c) => ({ ...c, live: { ...c.live, live: false }, probes: {}, notProbedReason: 'the EHR did not answer' })),
    };
    const { checks } = judgeRun(unreachable, recorded.checks, CHECK_IDS);
    const probed = checks.flatMap((c) => c.findings).filter((f) => !['certification', 'required-systems', 'claim-integrity', 'connection-live'].includes(f.id));
    expect(probed.length).toBeGreaterThan(0);
    expect(probed.every((f) => f.status === 'error' && f.message === 'not probed: the EHR did not answer')).toBe(true);
  });
});
