// One plan, two EHRs, two kinds of vendor: the FHIR facade on one connection and the REST API on the other, judged
// in one run, each from its own EHR.
import { afterAll, expect, it } from 'vitest';
import { runBookings } from '../helpers/ehr-truth.js';
import { evaluatePlan, testPlan, worldConnection } from '../helpers/run.js';
import { startWorld, type World } from '../helpers/world.js';
import { restConnection, startRestWorld, type RestWorld } from './world.js';

let facade: World | undefined;
let rest: RestWorld | undefined;
afterAll(async () => {
  await Promise.allSettled([facade?.close(), rest?.close()]);
});

it('judges a fhir connection to one EHR and an http connection to another in one run', async () => {
  [facade, rest] = await Promise.all([startWorld({ vendor: { behavior: 'deep' } }), startRestWorld()]);
  const run = await evaluatePlan(testPlan([worldConnection(facade, 'epic'), restConnection(rest, 'athenahealth')]), { checks: ['bidirectional', 'freshness', 'coverage'] });
  expect(run.report.connections.map((c) => [c.system, c.vendorKind, c.live])).toEqual([
    ['epic', 'fhir', true],
    ['athenahealth', 'http', true],
  ]);
  for (const system of ['epic', 'athenahealth']) {
    for (const id of ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched'] as const) {
      expect(run.finding(id, system).status, `${system} ${id}: ${run.finding(id, system).message}`).toBe('pass');
    }
  }
  expect(run.findings.find((f) => f.id === 'required-systems')?.status).toBe('pass');
  // Each vendor's bookings were its own EHR's to hold, and cleanup left neither EHR with one.
  for (const base of [facade.sandbox.fhirBaseUrl, rest.sandbox.fhirBaseUrl]) {
    expect((await runBookings(base, run.runId)).filter((a) => a.status !== 'cancelled')).toEqual([]);
  }
}, 120_000);
