// A REST vendor far slower than the run (8 s against a 1 s wait, a gap no load on the machine closes): bookings it
// accepted as pending land in the EHR after the probes stopped waiting. The run's cleanup asks the vendor's own
// record, lists them as still queued, and a later cleanup removes them once they have landed.
import { afterAll, expect, it } from 'vitest';
import { FhirClient } from '../../src/http/fhir-client.js';
import { cleanupConnection } from '../../src/safety/cleanup.js';
import { openVendorChannel } from '../../src/vendor/index.js';
import { runBookings } from '../helpers/ehr-truth.js';
import { evaluatePlan, testPlan } from '../helpers/run.js';
import { restConnection, startRestWorld, type RestWorld } from './world.js';

let world: RestWorld | undefined;
afterAll(async () => world?.close());

const active = async (w: RestWorld, runId: string) => (await runBookings(w.sandbox.fhirBaseUrl, runId)).filter((a) => a.status !== 'cancelled');

it('bookings pending past the run are left as queued, then removed by a later cleanup once they land', async () => {
  world = await startRestWorld({ writeDelayMs: 8_000 });
  const connection = restConnection(world);
  const freshness = { trials: 1, timeoutSeconds: 1, realTimeSeconds: 1, nearRealTimeSeconds: 1 };
  const run = await evaluatePlan(testPlan([connection], { freshness }), { checks: ['bidirectional'] });
  const lands = run.finding('write-lands');
  expect(lands.status).toBe('fail');
  expect(lands.message).toMatch(/never reached the EHR|holds no such Appointment/);
  expect(run.report.cleanup.leftover.some((l) => /queued by the vendor|still holds a copy in its queue/.test(l))).toBe(true);

  // The vendor writes them after all.
  const deadline = Date.now() + 30_000;
  while ((await active(world, run.runId)).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect((await active(world, run.runId)).length).toBeGreaterThan(0);

  const ehr = new FhirClient({ baseUrl: world.sandbox.fhirBaseUrl, retry: { maxRetries: 0 } });
  const vendor = openVendorChannel(connection.vendor, { env: {} });
  try {
    const again = await cleanupConnection(ehr, run.runId, run.ledger.entries(), vendor);
    expect(again.summary.leftover).toEqual([]);
  } finally {
    await Promise.all([ehr.close(), vendor.close()]);
  }
  expect(await active(world, run.runId)).toEqual([]);
}, 90_000);
