// A probe that throws is a bug, not a verdict: the run still finishes, the findings it left unprobed are
// `error` with the reason, the other checks are judged, and cleanup still undoes what was written.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluateOnce, planFor, runBookings, startWorld, taggedWithRun, type World } from '../bidirectional/world.js';

vi.mock('../../src/probes/freshness.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/probes/freshness.js')>();
  return { ...real, gatherFreshness: async () => { throw new TypeError('boom in a freshness probe'); } };
});

describe('a probe that throws', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'deep' });
  });
  afterAll(() => world.close());

  it('is reported as error on what it left unprobed, and the run is still judged and cleaned up', async () => {
    const run = await evaluateOnce(planFor(world, { timeoutSeconds: 3 }), { checks: ['bidirectional', 'freshness'] });
    for (const id of ['ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race'] as const) {
      const f = run.finding(id);
      expect(f.status).toBe('error');
      expect(f.message).toMatch(/internal error \(boom in a freshness probe\)/);
    }
    expect(run.finding('write-lands').status).toBe('pass');
    expect(run.report.checks.find((c) => c.id === 'freshness')!.score).toBeNull();
    expect(run.report.cleanup.leftover).toEqual([]);
    expect(await taggedWithRun(world.sandbox.fhirBaseUrl, run.runId)).toEqual({ Appointment: [], Patient: [] });
    expect((await runBookings(world.sandbox.fhirBaseUrl, run.runId)).filter((b) => b.status !== 'cancelled')).toEqual([]);
  });
});
