// EHR API shapes between Epic's and a full one, made by narrowing what the sandbox's CapabilityStatement says
// (the probes go by the statement, as they must with a real EHR): the method each finding takes follows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeConflict, judgeIdempotent, judgeWriteLands } from '../../checks/bidirectional.js';
import { judgeLag } from '../../checks/freshness.js';
import type { CapabilitySummary } from '../../src/capability/reader.js';
import { gatherBidirectional } from '../../src/probes/bidirectional.js';
import { gatherFreshness } from '../../src/probes/freshness.js';
import type { OperatorStepRecord } from '../../src/operator/types.js';
import { contextFor, staffScriptOperator, startRealWorld, type RealWorld } from './world.js';

const thresholds = { realTimeSeconds: 2, nearRealTimeSeconds: 4, timeoutSeconds: 4 };
const settings = { trials: 2, ...thresholds, raceAttempts: 1 };

function without(cap: CapabilitySummary, type: string, what: { interactions?: string[]; searchParams?: string[] }): void {
  const resource = cap.resources[type]!;
  resource.interactions = resource.interactions.filter((i) => !what.interactions?.includes(i));
  resource.searchParams = resource.searchParams.filter((p) => !what.searchParams?.includes(p));
}

describe('an EHR whose API reads slots but cannot change them', () => {
  let world: RealWorld;
  beforeAll(async () => {
    world = await startRealWorld('generic', { ehrStaffUrl: undefined });
  }, 30_000);
  afterAll(async () => world?.close());

  const narrow = (cap: CapabilitySummary) => {
    without(cap, 'Slot', { interactions: ['update', 'patch'] });
    without(cap, 'Appointment', { interactions: ['create'] });
  };

  it('a person blocks the slot for conflict-refused, seen through Slot search; the rest stays API', async () => {
    const { ctx, close } = await contextFor(world, { operator: await staffScriptOperator(world), narrow });
    try {
      expect(ctx.methods!['conflict-refused'].method).toBe('operator');
      expect(ctx.methods!['write-lands'].method).toBe('api');
      const evidence = await gatherBidirectional(ctx, { queueWaitMs: 4_000 });
      expect(evidence.readThrough).toMatchObject({ kind: 'ok', data: { ehrFree: expect.any(Array) } });
      expect(evidence.readThrough.kind === 'ok' && evidence.readThrough.data.readBy).toBeUndefined();
      expect(evidence.conflictRefused.kind).toBe('ok');
      if (evidence.conflictRefused.kind !== 'ok') return;
      const conflict = evidence.conflictRefused.data;
      expect(conflict.blockedBy).toBe('operator');
      expect(conflict.operatorSteps!.map((s) => [s.kind, s.outcome])).toEqual([['block-slot', 'done'], ['free-slot', 'done']]);
      expect(judgeConflict(conflict)[0]).toBe('pass');
      // The person unblocked it again: the EHR shows it free.
      expect((await ctx.ehr.read<{ status: string }>('Slot', conflict.slotId)).status).toBe('free');
    } finally {
      await close();
    }
  }, 60_000);

  it('EHR → vendor lag is timed from a person’s block, which the EHR’s Slot search shows landing; the race is impossible', async () => {
    const { ctx, close } = await contextFor(world, { operator: await staffScriptOperator(world), narrow });
    try {
      const evidence = await gatherFreshness(ctx, settings);
      expect(evidence.race).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^cannot be measured on this EHR: a person cannot act at the same moment/) });
      expect(evidence.ehrToVendor.kind).toBe('ok');
      if (evidence.ehrToVendor.kind !== 'ok') return;
      const lag = evidence.ehrToVendor.data;
      expect(lag.methods).toEqual(['operator-block-slot']);
      expect(lag.operatorSteps!.map((s: OperatorStepRecord) => s.kind)).toEqual(['block-slot', 'free-slot']);
      expect(judgeLag('ehr-to-vendor-lag', ctx.key, lag, thresholds).status).toBe('pass');
      expect(evidence.vendorToEhr.kind).toBe('ok');
    } finally {
      await close();
    }
  }, 60_000);

  it('without anyone to ask, only the findings that need a person are skipped', async () => {
    const { ctx, ledger, close } = await contextFor(world, { narrow });
    try {
      const evidence = await gatherBidirectional(ctx, { queueWaitMs: 4_000 });
      expect(evidence.conflictRefused).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^needs a person at the EHR/) });
      expect(evidence.writeLands.kind).toBe('ok');
      expect(ledger.entries().some((e) => e.action === 'block-slot')).toBe(false);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('an EHR that cannot search Appointment by identifier', () => {
  let world: RealWorld;
  beforeAll(async () => {
    world = await startRealWorld('generic', { ehrStaffUrl: undefined });
  }, 30_000);
  afterAll(async () => world?.close());

  it('finds the vendor’s booking by the patient and the slot’s date instead', async () => {
    const { ctx, close } = await contextFor(world, { narrow: (cap) => without(cap, 'Appointment', { searchParams: ['identifier'] }) });
    try {
      expect(ctx.methods!['write-lands']).toMatchObject({ method: 'api', via: ['Appointment:search-type(patient,date)'] });
      const evidence = await gatherBidirectional(ctx, { queueWaitMs: 4_000 });
      expect(evidence.writeLands.kind).toBe('ok');
      expect(evidence.writeIdempotent.kind).toBe('ok');
      if (evidence.writeLands.kind !== 'ok' || evidence.writeIdempotent.kind !== 'ok') return;
      expect(evidence.writeLands.data.ehrBookings).toHaveLength(1);
      expect(judgeWriteLands(evidence.writeLands.data)[0]).toBe('pass');
      expect(judgeIdempotent(evidence.writeIdempotent.data)[0]).toBe('pass');
      const searches = evidence.writeLands.requests.filter((r) => r.method === 'GET' && r.url.includes('/Appointment?'));
      expect(searches.length).toBeGreaterThan(0);
      for (const r of searches) expect(r.url).not.toContain('identifier=');
    } finally {
      await close();
    }
  }, 60_000);
});
