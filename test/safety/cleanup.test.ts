// After a run the EHR holds nothing the run caused (DESIGN §8): nothing with the run tag, no Appointment with
// a run booking identifier, every slot as it was. After a normal run, after an interrupted one (SIGINT: exit
// 130 and a partial report), and after a killed one undone later by `ehr-check cleanup`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateOnce, planFor, readEhr, runBookings, searchEhr, slotStatuses, startWorld, taggedWithRun, type World } from '../bidirectional/world.js';
import { runCli } from '../helpers/cli.js';
import { startCli, waitUntil } from '../run/cli-process.js';
import { ledgers, readJson, tempDir, writePlanFile } from '../run/plan-file.js';
import { validateReport } from '../../src/contracts/validate.js';
import type { Report } from '../../src/model/report.js';
import { makesRecord } from '../../src/safety/types.js';

const CLEAN = { Appointment: [], Patient: [] };

/** Nothing of the run left: no tagged resource, no run booking, every slot back to its status before the run. */
async function expectClean(world: World, runId: string, slotsBefore: Record<string, string>): Promise<void> {
  const base = world.sandbox.fhirBaseUrl;
  expect(await taggedWithRun(base, runId)).toEqual(CLEAN);
  expect(await runBookings(base, runId)).toEqual([]);
  expect(await slotStatuses(base)).toEqual(slotsBefore);
}

/** Slots whose status differs from the snapshot. */
async function changedSlots(world: World, before: Record<string, string>): Promise<string[]> {
  const now = await slotStatuses(world.sandbox.fhirBaseUrl);
  return Object.keys(now).filter((id) => now[id] !== before[id]);
}

describe('after a normal run', () => {
  let world: World;
  beforeAll(async () => {
    // An EHR that accepts overbooking, so what the shallow vendor queues on a busy slot does land there too.
    world = await startWorld({ behavior: 'shallow', syncIntervalMs: 300, bookingQueueMs: 500 }, { allowOverbooking: true });
  });
  afterAll(() => world?.close());

  it('leaves nothing of a shallow vendor’s run: its late (queued) bookings and the duplicate patient it made are removed', async () => {
    const before = await slotStatuses(world.sandbox.fhirBaseUrl);
    const run = await evaluateOnce(planFor(world, { timeoutSeconds: 3 }), { checks: ['bidirectional', 'freshness'] });
    // The run did write, through the vendor and directly: this is not a clean EHR by default.
    const answers = run.ledger.entries().filter((e) => e.target === 'vendor' && e.action === 'book').map((e) => e.result?.status);
    expect(answers.length).toBeGreaterThanOrEqual(3);
    expect(answers.every((s) => s === 202)).toBe(true);
    expect(run.finding('patient-matched').evidence).toMatchObject({ ehrPatients: 2 });
    const removed = run.report.writes!.filter((w) => w.removed);
    expect(removed.filter((w) => w.target === 'vendor' && w.action === 'book').length).toBeGreaterThanOrEqual(2);
    expect(removed.filter((w) => w.action === 'register-patient')).toHaveLength(1);
    expect(run.report.cleanup.leftover).toEqual([]);
    expect(run.report.writes!.every((w) => w.removed && w.connection === 'epic')).toBe(true);
    // The counts reconcile: a line per record the run's writes made, each removed, by its probe or by cleanup.
    const { cleanup, writes } = run.report;
    expect(cleanup.created).toBe(writes!.length);
    expect(cleanup.removed + cleanup.leftover.length).toBe(cleanup.created);
    expect(cleanup.removedByProbe).toBeGreaterThan(0);
    expect(cleanup.removedByProbe).toBe(writes!.filter((w) => w.removedBy === 'probe').length);
    const recordWrites = run.ledger.entries().filter(makesRecord).length;
    expect(cleanup.created - cleanup.foundByIdentifier! - cleanup.foundByTag! + cleanup.writesWithoutRecord!).toBe(recordWrites);
    // Anything still in the vendor's queue would land within its queue delay: wait past it, then look.
    await new Promise((r) => setTimeout(r, 1_500));
    await expectClean(world, run.runId, before);
  }, 60_000);
});

describe('an EHR that offers no Patient create (athenahealth-like)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld((sandbox) => ({ behavior: 'deep', faults: ['duplicate-patients'], ehrStaffUrl: sandbox.staffUrl }), { flavor: 'athena' });
  });
  afterAll(() => world?.close());

  it('asks the vendor to register one of the EHR’s own patients again, and cleanup leaves every one of them as it was', async () => {
    const base = world.sandbox.fhirBaseUrl;
    const seeded = async () => Promise.all(world.sandbox.seeded.patientIds.map((id) => readEhr(base, 'Patient', id)));
    const before = await seeded();
    const run = await evaluateOnce(planFor(world), { checks: ['bidirectional'] });
    // The probe used a patient the EHR already had (found by search), not one of its own.
    const matched = run.finding('patient-matched');
    expect(matched.evidence.identifier).toMatch(/^urn:ehr-check:sandbox-mrn\|/);
    // this EHR refuses every Patient create, the vendor's too: no duplicate, and no match either
    expect(matched).toMatchObject({ status: 'warn', evidence: { vendorStatus: 405, ehrPatients: 1 } });
    expect(run.ledger.entries().some((e) => e.action === 'create-patient')).toBe(false);
    expect(await seeded()).toEqual(before);
    // This EHR cannot search by _tag: read everything and look at the tags (appointments from its own screens).
    const patients = await searchEhr<{ meta?: { tag?: Array<{ system?: string; code?: string }> } }>(base, 'Patient', {});
    expect(patients).toHaveLength(before.length);
    const ofRun = (tags: Array<{ system?: string; code?: string }> | undefined) => (tags ?? []).some((t) => t.system === 'urn:ehr-check:run' && t.code === run.runId);
    expect(patients.filter((p) => ofRun(p.meta?.tag))).toEqual([]);
    const appointments = (await (await fetch(`${world.sandbox.staffUrl}/appointments`)).json()) as Array<{ tags?: Array<{ system?: string; code?: string }> }>;
    expect(appointments.length).toBeGreaterThan(0);
    expect(appointments.filter((a) => ofRun(a.tags))).toEqual([]);
    expect(run.report.writes!.filter((w) => w.resourceType === 'Patient')).toEqual([]);
  }, 60_000);
});

describe('a booking the vendor still holds in its queue when the run ends', () => {
  let world: World;
  let dir: string;
  beforeAll(async () => {
    // The queue outlasts the run even on a loaded machine: a booking that landed before the run's own cleanup
    // would be removed there, and nothing would be left over to test.
    world = await startWorld({ behavior: 'shallow', syncIntervalMs: 300, bookingQueueMs: 10_000 });
    dir = await tempDir('queued');
  });
  afterAll(() => world?.close());

  it('is reported as left over, keeps the ledger open, and is removed by a later `ehr-check cleanup`', async () => {
    const before = await slotStatuses(world.sandbox.fhirBaseUrl);
    // A freshness timeout of 1 s makes the run wait only 1 s for a queued booking: it lands after the run.
    const plan = await writePlanFile(dir, { ehrBaseUrl: world.sandbox.fhirBaseUrl, vendorBaseUrl: world.vendor.baseUrl, freshness: { timeoutSeconds: 1, realTimeSeconds: 1, nearRealTimeSeconds: 1 } });
    const out = join(dir, 'queued.json');
    const run = await runCli(['run', '--plan', plan, '--allow-writes', '--check', 'bidirectional', '--json', out, '--quiet'], { cwd: dir });
    expect(run.code).toBe(1); // gate failed: the booking never landed during the run
    const report = await readJson<Report>(out);
    expect(report.cleanup.leftover.length).toBeGreaterThanOrEqual(1);
    for (const line of report.cleanup.leftover) expect(line).toMatch(new RegExp(`^booking urn:ehr-check:booking\\|${report.runId}-\\S+: queued by the vendor \\(HTTP 202\\) and not in the EHR yet`));
    // Each queued booking is a record the run's writes will make: counted in created, left over, not removed.
    expect(report.cleanup.created).toBe(report.writes!.length);
    expect(report.cleanup.removed + report.cleanup.leftover.length).toBe(report.cleanup.created);
    expect(report.writes!.filter((w) => w.queued && !w.removed)).toHaveLength(report.cleanup.leftover.length);
    expect((await ledgers(dir)).open).toEqual([report.runId]);

    // The vendor enters the queued bookings after its delay: the EHR now holds what the run caused.
    const landed = await waitUntil(() => runBookings(world.sandbox.fhirBaseUrl, report.runId), (found) => found.length >= report.cleanup.leftover.length, 25_000);
    expect(landed.ok).toBe(true);

    const cleanup = await runCli(['cleanup', '--plan', plan], { cwd: dir });
    expect(cleanup.stderr).toBe('');
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(new RegExp(`^${report.runId}: \\d+ ledger entries, [1-9]\\d* resource\\(s\\) removed\\n$`));
    await expectClean(world, report.runId, before);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [report.runId] });
  }, 90_000);
});

describe('interrupted and killed runs of the built CLI', () => {
  // A frozen vendor never sees a change, so each freshness trial holds a slot blocked in the EHR for its whole
  // timeout: the moment to interrupt, with the EHR visibly changed.
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'deep', faults: ['frozen'] });
  });
  afterAll(() => world?.close());

  async function startRun(label: string) {
    const dir = await tempDir(label);
    const plan = await writePlanFile(dir, {
      ehrBaseUrl: world.sandbox.fhirBaseUrl,
      vendorBaseUrl: world.vendor.baseUrl,
      freshness: { trials: 3, timeoutSeconds: 20, realTimeSeconds: 1, nearRealTimeSeconds: 5 },
    });
    const before = await slotStatuses(world.sandbox.fhirBaseUrl);
    const out = join(dir, 'report.json');
    const cli = startCli(['run', '--plan', plan, '--allow-writes', '--json', out], { cwd: dir });
    await cli.waitForStderr(/freshness/, 45_000);
    // Wait until the EHR visibly holds the run's changes: the booking of the bidirectional probes (removed only
    // by the final cleanup) and the slot the freshness trial blocked.
    const dirty = await waitUntil(() => changedSlots(world, before), (changed) => changed.length >= 2, 15_000);
    expect(dirty.ok, 'the run changed slots in the EHR').toBe(true);
    const [runId] = (await ledgers(dir)).open;
    expect(runId).toMatch(/^ehrc-\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    // Test patients of the bidirectional probes are still there until cleanup.
    expect((await taggedWithRun(world.sandbox.fhirBaseUrl, runId!)).Patient.length).toBeGreaterThan(0);
    return { dir, plan, out, cli, before, runId: runId! };
  }

  it('on SIGINT stops, cleans up, writes a partial report and exits 130', async () => {
    const { dir, out, cli, before, runId } = await startRun('sigint');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted: stopping probes and cleaning up/);
    expect(result.stderr).toMatch(/interrupted: cleanup ran and the partial report was written/);
    const report = await readJson<Report>(out);
    expect(report.partial).toBe(true);
    expect(report.runId).toBe(runId);
    expect(() => validateReport(report)).not.toThrow();
    expect(report.cleanup.leftover).toEqual([]);
    expect(report.cleanup.removed).toBeGreaterThan(0);
    // What the interruption cut short is reported as not measured, never as a verdict: the frozen vendor's
    // EHR → vendor trials could not have ended by then. A probe with finished trials (the vendor → EHR bookings
    // land at once) is judged on those alone, and says it was interrupted after them.
    for (const f of report.checks.find((c) => c.id === 'freshness')!.findings) {
      if (f.id === 'ehr-to-vendor-lag' || f.status === 'error') {
        expect(f.status, f.id).toBe('error');
        expect(f.message, f.id).toMatch(/interrupted/);
      } else if (f.evidence.interrupted) expect(f.message, f.id).toMatch(/interrupted after \d+ (trial|race)\(s\)/);
    }
    await expectClean(world, runId, before);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [runId] });
  }, 90_000);

  it('after SIGKILL leaves its ledger, and `ehr-check cleanup --plan` undoes the run from it', async () => {
    const { dir, plan, out, cli, before, runId } = await startRun('sigkill');
    cli.child.kill('SIGKILL');
    const result = await cli.exited;
    expect(result.signal).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    // Nothing cleaned: the EHR still holds the run's records and the blocked slot.
    expect((await taggedWithRun(world.sandbox.fhirBaseUrl, runId)).Patient.length).toBeGreaterThan(0);
    expect((await changedSlots(world, before)).length).toBeGreaterThan(0);
    expect(await ledgers(dir)).toEqual({ open: [runId], cleaned: [] });

    const cleanup = await runCli(['cleanup', '--plan', plan], { cwd: dir });
    expect(cleanup.stderr).toBe('');
    expect(cleanup.code).toBe(0);
    expect(cleanup.stdout).toMatch(new RegExp(`^${runId}: \\d+ ledger entries, [1-9]\\d* resource\\(s\\) removed\\n$`));
    await expectClean(world, runId, before);
    expect(await ledgers(dir)).toEqual({ open: [], cleaned: [runId] });

    // A second cleanup finds nothing left to do.
    const again = await runCli(['cleanup', '--plan', plan], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^nothing to clean up: no run ledger in /);
  }, 90_000);
});
