// The report of the demo world's deep vendor, normalised (test/run/normalise.ts) and diffed against
// fixtures/golden/demo-deep.json: a changed finding, status, message shape or evidence key breaks this test.
// `UPDATE_GOLDEN=1 npx vitest run test/run/golden.test.ts` rewrites the golden file after a deliberate change.
// `RECORD_EVIDENCE=1` rewrites the gathered evidence beside it, which test/run/judge-step.test.ts replays.
//
// The clock is pinned (Date only, still advancing with real time) so the sandbox seeds the same two weeks of
// slots and the probes pick the same ones on every run; timers and performance.now() stay real.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemoWorld, type DemoWorld } from '../../fixtures/demo/scenario.js';
import { validateReport } from '../../src/contracts/validate.js';
import type { Report } from '../../src/model/report.js';
import { cleanupSentence } from '../../src/report/facts.js';
import { evaluate } from '../../src/run/runner.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { makesRecord } from '../../src/safety/types.js';
import { REPO } from '../helpers/paths.js';
import { normaliseReport } from './normalise.js';
import { recordedEvidence } from './recorded-evidence.js';
import type { RunEvidence } from '../../checks/evidence.js';

const GOLDEN = join(REPO, 'fixtures', 'golden', 'demo-deep.json');
const EVIDENCE = join(REPO, 'fixtures', 'golden', 'demo-deep.evidence.json');
/** A Monday, early: the whole day's slots lie ahead of the probed window's start. */
const PINNED = new Date('2030-01-07T06:00:00.000Z');
const RUN_ID = 'ehrc-golden-run';

describe('the deep vendor of the demo world, against the golden report', () => {
  let world: DemoWorld;
  let report: Report;
  let ledger: MemoryLedger;
  let gathered: RunEvidence;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: PINNED, shouldAdvanceTime: true });
    // The golden run is the deep vendor's three default checks; the demo's volume burst is tested in test/volume.
    world = await startDemoWorld({ only: ['deep'], volume: false });
    const { loaded } = world.plans[0]!;
    report = await evaluate({
      loaded,
      runId: RUN_ID,
      ledger: (ledger = new MemoryLedger(RUN_ID)),
      allowWrites: true,
      gate: {},
      env: {},
      signal: new AbortController().signal,
      progress: () => {},
      toolVersion: '0.0.0-golden',
      onGathered: (evidence) => (gathered = evidence),
    });
    if (process.env.RECORD_EVIDENCE === '1') await writeFile(EVIDENCE, `${JSON.stringify(recordedEvidence(report, loaded.plan, gathered), null, 2)}\n`);
  }, 60_000);

  afterAll(async () => {
    vi.useRealTimers();
    await world?.close();
  });

  it('is a valid report', () => {
    expect(() => validateReport(report)).not.toThrow();
    expect(report.startedAt.startsWith('2030-01-07T06:')).toBe(true);
  });

  it('matches the golden file once normalised', async () => {
    const normalised = normaliseReport(report);
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(GOLDEN, `${JSON.stringify(normalised, null, 2)}\n`);
    expect(existsSync(GOLDEN), `${GOLDEN} is missing: run with UPDATE_GOLDEN=1 to write it`).toBe(true);
    const golden: unknown = JSON.parse(await readFile(GOLDEN, 'utf8'));
    expect(normalised).toEqual(golden);
  });

  it('counts writes and cleanup so that they reconcile, and says so in one sentence', () => {
    const { cleanup, writes = [] } = report;
    // created = what the run wrote (a line per record), removed + leftover = created.
    expect(cleanup.created).toBe(writes.length);
    expect(cleanup.removed + cleanup.leftover.length).toBe(cleanup.created);
    expect(cleanup.removed).toBe(writes.filter((w) => w.removed).length);
    expect(cleanup.removedByProbe).toBe(writes.filter((w) => w.removedBy === 'probe').length);
    // Per connection: patients (3) and the EHR side of the races (3) written directly; the booking that landed (1)
    // and the three freshness bookings through the vendor. The replay, the conflict, the matched patient and the
    // three races the vendor lost made no record.
    expect(writes.filter((w) => w.target === 'ehr')).toHaveLength(12);
    expect(writes.filter((w) => w.target === 'vendor')).toHaveLength(8);
    expect(cleanup).toMatchObject({ created: 20, removed: 20, writesWithoutRecord: 12, foundByIdentifier: 0, foundByTag: 0, otherLeftover: 0 });
    // Every write the ledger holds that could make a record is either a line of `writes` or made none.
    expect(cleanup.created + cleanup.writesWithoutRecord!).toBe(ledger.entries().filter(makesRecord).length);
    expect(ledger.entries().filter(makesRecord)).toHaveLength(32);
    expect(cleanupSentence(report)).toBe(
      `Wrote 20 records in the EHR (12 directly, 8 through the vendor); removed 20 of 20 (${cleanup.removedByProbe} by the probe that made them, ` +
        `${20 - cleanup.removedByProbe!} at cleanup); 12 writes made no record (refused, matched or replayed); ` +
        `${cleanup.slotsTouched} slots touched, all as they were (${cleanup.restored} put back at cleanup); nothing left over.`,
    );
  });

  describe('the normalisation', () => {
    const all = (r: Report) => r.checks.flatMap((c) => c.findings);
    const same = (change: (r: Report) => void) => {
      const copy = structuredClone(report);
      change(copy);
      return JSON.stringify(normaliseReport(copy)) === JSON.stringify(normaliseReport(report));
    };

    it('ignores timing: clock times, request durations, measured lags, run id, ports and generated ids', () => {
      expect(same((r) => (r.finishedAt = new Date(Date.parse(r.finishedAt) + 5_000).toISOString()))).toBe(true);
      expect(same((r) => all(r).forEach((f) => ((f.evidence.requests as Array<{ durationMs: number }> | undefined) ?? []).forEach((q) => (q.durationMs += 250))))).toBe(true);
      expect(
        same((r) => {
          const lag = all(r).find((f) => f.id === 'ehr-to-vendor-lag')!;
          lag.evidence.p50Ms = 731;
          lag.message = lag.message.replace(/p50 [^,]+,/, 'p50 731 ms,');
        }),
      ).toBe(true);
      const other = structuredClone(report);
      const text = JSON.stringify(other)
        .split(report.runId).join('ehrc-20300107T060000Z-abcdef')
        .split(new URL(report.connections[0]!.ehrBaseUrl).origin).join('http://127.0.0.1:1')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}/g, '00000000-0000-4000');
      expect(JSON.stringify(normaliseReport(JSON.parse(text) as Report))).toBe(JSON.stringify(normaliseReport(report)));
    });

    it('keeps what a reader relies on: a status, a message, an evidence key, a count, a slot', () => {
      expect(same((r) => (all(r).find((f) => f.id === 'write-lands')!.status = 'warn'))).toBe(false);
      expect(same((r) => (all(r).find((f) => f.id === 'conflict-refused')!.message += '!'))).toBe(false);
      expect(same((r) => { const e = all(r).find((f) => f.id === 'patient-matched')!.evidence; e.ehrPatientCount = e.ehrPatients; delete e.ehrPatients; })).toBe(false);
      expect(same((r) => (all(r).find((f) => f.id === 'write-idempotent')!.evidence.replayStatus = 201))).toBe(false);
      expect(same((r) => (all(r).find((f) => f.id === 'read-through')!.evidence.ehrFree as string[]).pop())).toBe(false);
      expect(same((r) => (all(r).find((f) => f.id === 'ehr-to-vendor-lag')!.evidence.class = 'near-real-time'))).toBe(false);
      expect(same((r) => (r.cleanup.removed -= 1))).toBe(false);
      expect(same((r) => (r.score = 95))).toBe(false);
    });
  });
});
