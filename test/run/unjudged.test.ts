// What was not judged never fails the vendor by itself: the demo's deep vendor run without --allow-writes (every
// booking skipped) used to read "claim-integrity fail, 50/100 F". Now the findings that need a booking are skipped,
// the score stands on what was judged, and the report says how little that is. The same run with writes judges
// every finding (the golden report, test/run/golden.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorld, type DemoWorld } from '../../fixtures/demo/scenario.js';
import { validateReport } from '../../src/contracts/validate.js';
import type { Report } from '../../src/model/report.js';
import { formatHtml } from '../../src/report/html.js';
import { formatTerminal } from '../../src/report/terminal.js';
import { REPO } from '../helpers/paths.js';
import { evaluatePlan } from '../helpers/run.js';

describe('the deep demo vendor without writes', () => {
  let world: DemoWorld;
  let report: Report;

  beforeAll(async () => {
    world = await startDemoWorld({ only: ['deep'] });
    ({ report } = await evaluatePlan(world.plans[0]!.loaded, { runId: 'unjudged', allowWrites: false, client: {} }));
  }, 60_000);

  afterAll(async () => {
    await world?.close();
  });

  const all = () => report.checks.flatMap((c) => c.findings);
  const one = (id: string) => all().find((f) => f.id === id)!;

  it('fails nothing: what needs a booking is skipped, coverage of the sites and claims is not judged', () => {
    expect(() => validateReport(report)).not.toThrow();
    expect(all().filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([]);
    expect(one('required-systems')).toMatchObject({
      status: 'skip',
      message: 'not judged: Main Hospital (Epic): untested; Eastside Clinic (eClinicalWorks): untested; 0 of 2 site(s) verified',
    });
    expect(one('claim-integrity')).toMatchObject({
      status: 'skip',
      message: '0 verified of 2 claimed; not judged: no booking could be judged on Epic, eClinicalWorks',
      evidence: { verifiedCount: 0, refuted: [] },
    });
    expect(all().filter((f) => f.status === 'pass').map((f) => `${f.id} ${f.connection}`)).toEqual([
      'read-through epic',
      'certification epic',
      'read-through eclinicalworks',
      'certification eclinicalworks',
      'connection-live epic',
      'connection-live eclinicalworks',
    ]);
  });

  it('grades what was judged, and says it stands on 6 of 22 findings, 28% of the evaluation by weight', () => {
    expect(report).toMatchObject({ score: 100, grade: 'A', verdict: { status: 'graded', reason: null } });
    // bidirectional 4 of 12 × 40, coverage 2 of 4 × 30, freshness 0 of 6 × 30 (unscored), over 100.
    expect(report.confidence).toEqual({ judged: 6, total: 22, share: 0.283 });
    expect(formatTerminal(report, { color: false }).split('\n')[0]).toBe('Deepwater Scheduling: grade A, 100/100 · based on 6 of 22 findings (28% by weight)');
    expect(formatHtml(report)).toContain(
      '<p class="basis" data-testid="basis">Based on 6 of 22 findings (28% by weight).</p><p class="muted" data-testid="unjudged">The other 16 do not count',
    );
    // Left to look at, beside the headline cases (test/report/headline.test.ts).
    mkdirSync(join(REPO, 'test-output'), { recursive: true });
    writeFileSync(join(REPO, 'test-output', 'headline-no-writes.html'), formatHtml(report));
    writeFileSync(join(REPO, 'test-output', 'headline-no-writes.txt'), formatTerminal(report, { color: false }));
  });
});
