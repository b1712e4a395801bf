// When the volume check runs and what it leaves: only when the plan lists it, only where writes are allowed, and
// a run killed mid-burst leaves nothing in the EHR once `ehr-check cleanup` has run (read back with plain fetch).
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { volume } from '../../checks/volume.js';
import cleanupCommand from '../../src/commands/cleanup.js';
import { loadPlan } from '../../src/contracts/load.js';
import { InputError } from '../../src/errors.js';
import { gatherVolume } from '../../src/probes/volume/index.js';
import { buildContexts } from '../../src/run/connections.js';
import { FileLedger, ledgerDirFor } from '../../src/safety/ledger.js';
import type { Ledger, LedgerIntent } from '../../src/safety/types.js';
import { runBookings, slotStatuses } from '../helpers/ehr-truth.js';
import { evaluatePlan, newRunId } from '../helpers/run.js';
import type { World } from '../helpers/world.js';
import { tempDir, writePlanFile } from '../run/plan-file.js';
import { activeTagged, SMALL_BURST, startVolumeWorld, volumePlan } from './world.js';

let world: World;
beforeAll(async () => {
  // The racy vendor is slow to answer (it works between look-up and write): a burst lasts long enough to interrupt.
  world = await startVolumeWorld({ behavior: 'deep', faults: ['racy-dedup'] }, { allowOverbooking: true });
});
afterAll(() => world?.close());

describe('when the volume check runs', () => {
  it('does not run when the plan does not list it, and nothing is booked for it', async () => {
    const run = await evaluatePlan(volumePlan(world, null), { checks: ['coverage'] });
    expect(run.report.checks.map((c) => c.id)).toEqual(['coverage']);
    const all = await evaluatePlan(volumePlan(world, null), { allowWrites: false });
    expect(all.report.checks.map((c) => c.id)).toEqual(['bidirectional', 'coverage', 'freshness']);
    expect(all.ledger.entries().filter((e) => e.identifier?.includes('-volume-'))).toEqual([]);
  });

  it('refuses `--check volume` on a plan that does not list it, naming the field and the fix', async () => {
    const asked = evaluatePlan(volumePlan(world, null), { checks: ['volume'] });
    await expect(asked).rejects.toBeInstanceOf(InputError);
    await expect(asked).rejects.toThrow(/\/checks\/volume: .*add `volume: \{\}` under `checks`/);
  });

  it('runs with the others when the plan lists it', async () => {
    const run = await evaluatePlan(volumePlan(world, { bookings: 4, concurrency: 2, retryShare: 0 }), { allowWrites: false });
    expect(run.report.checks.map((c) => c.id)).toEqual(['bidirectional', 'coverage', 'freshness', 'volume']);
  });

  it('is skipped, with the reason, where writes are not allowed', async () => {
    const off = await evaluatePlan(volumePlan(world), { checks: ['volume'], allowWrites: false });
    const f = off.finding('writes-at-volume', 'epic');
    expect(f.status).toBe('skip');
    expect(f.message).toMatch(/--allow-writes/);
    const notSandbox = await evaluatePlan(volumePlan(world, {}, { sandbox: false }), { checks: ['volume'] });
    expect(notSandbox.finding('writes-at-volume', 'epic').message).toMatch(/sandbox: true/);
    expect(notSandbox.ledger.entries()).toEqual([]);
  });

  it('is skipped, with the count, when the EHR has too few free slots for the burst', async () => {
    const run = await evaluatePlan(volumePlan(world, { bookings: 500 }), { checks: ['volume'] });
    const f = run.finding('writes-at-volume', 'epic');
    expect(f.status).toBe('skip');
    expect(f.message).toMatch(/only \d+ slot\(s\) .* the burst needs 500/);
    expect(run.ledger.entries().filter((e) => e.action === 'book')).toEqual([]);
  });
});

/** The run's file ledger, pulling the plug once this many bookings have been sent. */
function cutting(inner: FileLedger, after: number, cut: AbortController): Ledger {
  let booked = 0;
  return {
    runId: inner.runId,
    intend: (intent: LedgerIntent) => {
      if (intent.action === 'book' && ++booked === after) cut.abort();
      return inner.intend(intent);
    },
    done: (seq, result) => inner.done(seq, result),
    entries: () => inner.entries(),
  };
}

describe('a run killed mid-burst', () => {
  it('stops starting bookings, and `ehr-check cleanup` then leaves nothing behind, duplicates included', async () => {
    const before = await slotStatuses(world.sandbox.fhirBaseUrl);
    const dir = await tempDir('volume-cut');
    const planFile = await writePlanFile(dir, { ehrBaseUrl: world.sandbox.fhirBaseUrl, vendorBaseUrl: world.vendor.baseUrl, claims: false });
    const loaded = { ...volumePlan(world, { bookings: 30, concurrency: 4, retryShare: 0.5 }), file: (await loadPlan(planFile)).file };
    const runId = newRunId('volume-cut');
    const cut = new AbortController();
    const file = await FileLedger.create(ledgerDirFor(dirname(planFile)), runId);
    const ledger = cutting(file, 10, cut);
    const [ctx] = buildContexts({ loaded, runId, ledger, allowWrites: true, env: {}, signal: cut.signal, progress: () => {} });
    const evidence = await gatherVolume(ctx!, { bookings: 30, concurrency: 4, retryShare: 0.5, queueWaitMs: 3_000 });
    await Promise.all([ctx!.ehr.close(), ctx!.vendor.close(), file.close()]);

    const [f] = volume.judge({ connections: [{ key: 'epic', probes: evidence }] });
    expect(f!.status).toBe('error');
    expect(f!.message).toMatch(/interrupted after \d+ of 30/);
    // The racy vendor doubled some retried bookings before the cut: cleanup must find those too.
    expect(f!.evidence.duplicates).toBeGreaterThan(0);
    // Some bookings were in the EHR when the plug was pulled; no new one started after it.
    expect((await activeTagged(world, runId)).length).toBeGreaterThan(0);
    expect(ledger.entries().filter((e) => e.action === 'book').length).toBeLessThan(30);

    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t), env: {}, stdoutIsTTY: false, stdinIsTTY: false, cwd: dir };
    expect(await cleanupCommand({ plan: planFile, runId }, io)).toBe(0);
    expect(await activeTagged(world, runId)).toEqual([]);
    expect((await runBookings(world.sandbox.fhirBaseUrl, runId)).filter((a) => a.status !== 'cancelled')).toEqual([]);
    expect(await slotStatuses(world.sandbox.fhirBaseUrl)).toEqual(before);
  });
});
