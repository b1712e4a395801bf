// The four situations a committee must never misread, each a real evaluation on loopback (the demo world's
// embedded EHR sandboxes and reference vendors, or ports where nothing listens):
// - all-pass:         every finding passes and the gate passes;
// - certification:    every probe passes, but the vendor claims no certification for the EHRs the buyer runs,
//                     and the plan's gate requires the bidirectional check: grade A, gate failed;
// - min-score-zero:   a vendor that fails much, under a gate of `minScore: 0` and nothing required: F, gate passed;
// - nothing-reachable: no connection answers: not evaluated (no grade), gate failed.
import { startDemoWorld } from '../../fixtures/demo/scenario.js';
import type { LoadedPlan } from '../../src/model/plan.js';
import type { Report } from '../../src/model/report.js';
import { evaluatePlan } from '../helpers/run.js';
import { closedPort } from '../helpers/world.js';

export const HEADLINE_CASES = ['all-pass', 'certification', 'min-score-zero', 'nothing-reachable'] as const;
export type HeadlineCase = (typeof HEADLINE_CASES)[number];

/** One trial each way with a short timeout: the headline, not the lag, is under test. */
const QUICK_FRESHNESS = { trials: 1, timeoutSeconds: 2, realTimeSeconds: 1, nearRealTimeSeconds: 1.5 };

async function run(loaded: LoadedPlan, runId: string): Promise<Report> {
  return (await evaluatePlan(loaded, { runId, client: { connectTimeoutMs: 2_000, totalTimeoutMs: 10_000 } })).report;
}

export async function headlineReports(): Promise<Record<HeadlineCase, Report>> {
  const world = await startDemoWorld({ only: ['deep', 'shallow'], freshness: QUICK_FRESHNESS });
  try {
    const deep = world.plans.find((p) => p.vendor.id === 'deep')!.loaded;
    const shallow = world.plans.find((p) => p.vendor.id === 'shallow')!.loaded;
    // The same deep vendor, whose manifest claims no certification at all.
    const uncertified: LoadedPlan = {
      ...deep,
      manifest: { ...deep.manifest!, systems: deep.manifest!.systems.map(({ certifications: _dropped, ...rest }) => rest) },
    };
    const minZero: LoadedPlan = { ...shallow, plan: { ...shallow.plan, gate: { minScore: 0, require: [] } } };
    const port = await closedPort();
    const unreachable: LoadedPlan = {
      ...deep,
      plan: {
        ...deep.plan,
        connections: deep.plan.connections.map((c) => ({
          ...c,
          ehr: { ...c.ehr, fhirBaseUrl: `http://127.0.0.1:${port}/fhir/R4` },
          vendor: { kind: 'fhir' as const, baseUrl: `http://127.0.0.1:${port}/vendor/fhir`, auth: { type: 'none' as const } },
        })),
      },
    };
    // One after another: two runs against the same sandboxes at once would race for the same slots.
    const allPass = await run(deep, 'headline-all-pass');
    const certification = await run(uncertified, 'headline-certification');
    const [minScoreZero, nothingReachable] = await Promise.all([run(minZero, 'headline-min-score-zero'), run(unreachable, 'headline-nothing-reachable')]);
    return { 'all-pass': allPass, certification, 'min-score-zero': minScoreZero, 'nothing-reachable': nothingReachable };
  } finally {
    await world.close();
  }
}
