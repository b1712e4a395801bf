// Behaviour decides, the statement hints. The same vendors, honest and faulty, are judged on three EHRs that hold
// the same data and answer the same searches: one whose statement declares every search it answers, one whose
// statement lists only `_lastUpdated` and `identifier` (the searches ehr-check needs are tried, found honoured
// and used), and one that also drops some parameters it is sent (found ignored; results filtered on the client).
// The verdicts must be the same on all three; the evidence says which searches were declared and which verified.
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../fixtures/sandbox/types.js';
import type { VendorFault } from '../../fixtures/vendors/types.js';
import { planFindingMethods } from '../../src/capability/methods.js';
import { verifiedCapability } from '../../src/capability/verified.js';
import type { FindingId } from '../../src/model/report.js';
import { ehrAppointmentsByKey, ehrFreeSlots, probeWindow } from '../../src/ehr/ops.js';
import { verifyUndeclared } from '../../src/ehr/verify-capability.js';
import { BOOKING_IDENTIFIER_SYSTEM } from '../../src/safety/types.js';
import { contextFor, evaluateWith, nobody, planFor, startRealWorld, type RealWorld } from './world.js';

const BIDIRECTIONAL: FindingId[] = ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched'];

const EHRS: Record<string, Omit<SandboxOptions, 'flavor'>> = {
  plain: {},
  sparse: { sparseStatement: true },
  'sparse, dropping status and patient': { sparseStatement: true, ignoreSearchParams: ['status', 'patient'] },
};

const VENDORS: Array<{ name: string; faults: VendorFault[]; fails: FindingId[]; overbooking?: boolean }> = [
  { name: 'honest', faults: [], fails: [] },
  { name: 'confirm-without-write', faults: ['confirm-without-write'], fails: ['write-lands', 'write-idempotent'] },
  { name: 'write-twice', faults: ['write-twice'], fails: ['write-lands', 'write-idempotent'], overbooking: true },
  { name: 'ignore-conflicts', faults: ['ignore-conflicts'], fails: ['conflict-refused'] },
];

const worlds: RealWorld[] = [];
afterAll(async () => {
  await Promise.allSettled(worlds.map((w) => w.close()));
});

async function world(ehr: Omit<SandboxOptions, 'flavor'>, faults: VendorFault[] = [], overbooking = false): Promise<RealWorld> {
  const started = await startRealWorld('generic', { ehrStaffUrl: undefined, faults }, { ...ehr, allowOverbooking: overbooking });
  worlds.push(started);
  return started;
}

describe('the same verdicts whatever the statement declares', () => {
  it.each(VENDORS.map((v) => [v.name, v]))('%s vendor', async (_name, vendor) => {
    const rows: Record<string, Record<string, string>> = {};
    for (const [label, ehr] of Object.entries(EHRS)) {
      const w = await world(ehr, vendor.faults, vendor.overbooking);
      const run = await evaluateWith(planFor(w, 'generic-ehr'), nobody(), ['bidirectional']);
      rows[label] = Object.fromEntries(BIDIRECTIONAL.map((id) => [id, run.finding(id).status]));
      expect(run.findings.filter((f) => f.status === 'error').map((f) => `${label} ${f.id}: ${f.message}`)).toEqual([]);
      expect(run.report.cleanup.leftover, label).toEqual([]);
    }
    const expected = Object.fromEntries(BIDIRECTIONAL.map((id) => [id, vendor.fails.includes(id) ? 'fail' : 'pass']));
    expect(rows.plain).toEqual(expected);
    for (const label of Object.keys(EHRS)) expect(rows[label], label).toEqual(rows.plain);
  }, 180_000);
});

describe('evidence: declared vs verified', () => {
  it('plain: every search declared, nothing tried, no capabilityBasis', async () => {
    const run = await evaluateWith(planFor(await world(EHRS.plain!), 'generic-ehr'), nobody(), ['bidirectional']);
    for (const id of BIDIRECTIONAL) expect(run.finding(id).evidence.capabilityBasis, id).toBeUndefined();
  }, 60_000);

  it('sparse: Slot search and Appointment by slot are undeclared, answered correctly, and used by API', async () => {
    const run = await evaluateWith(planFor(await world(EHRS.sparse!), 'generic-ehr'), nobody(), ['bidirectional']);
    const read = run.finding('read-through');
    expect(read.evidence).toMatchObject({ method: 'api', via: ['Slot:search-type(schedule,status,start)'] });
    expect(read.evidence.methodReason).toMatch(/\(undeclared, answered correctly: Slot schedule, status, start\)$/);
    expect(read.evidence.capabilityBasis).toEqual({
      'Slot search by schedule': expect.stringMatching(/^undeclared, answered correctly \(all \d+ results match it\)$/),
      'Slot search by status': expect.stringMatching(/^undeclared, answered correctly/),
      'Slot search by start': expect.stringMatching(/^undeclared, answered correctly/),
    });
    expect(run.finding('write-lands').evidence.capabilityBasis).toMatchObject({
      'Appointment search by identifier': 'declared',
      'Appointment search by slot': expect.stringMatching(/^undeclared, answered correctly/),
    });
    expect(run.finding('write-lands').evidence.via).toEqual(['Appointment:search-type(identifier)']);
  }, 60_000);

  it('dropping status: Slot status is shown ignored, free slots are picked by their status on the client', async () => {
    const run = await evaluateWith(planFor(await world(EHRS['sparse, dropping status and patient']!), 'generic-ehr'), nobody(), ['bidirectional']);
    const read = run.finding('read-through');
    expect(read.status).toBe('pass');
    expect(read.evidence).toMatchObject({ method: 'api', via: ['Slot:search-type(schedule,start)'] });
    expect(read.evidence.methodReason).toMatch(/free ones picked by each Slot's status/);
    expect(read.evidence.capabilityBasis).toMatchObject({
      'Slot search by status': expect.stringMatching(/^undeclared, ignored by the server \(\d+ of \d+ results do not match it\)$/),
      'Slot search by schedule': expect.stringMatching(/^undeclared, answered correctly/),
    });
    expect(run.finding('write-lands').evidence.capabilityBasis).toMatchObject({
      'Appointment search by patient': expect.stringMatching(/^undeclared, ignored by the server/),
    });
  }, 60_000);

  it('sparse: the freshness findings are measured by API and the honest vendor passes them', async () => {
    const run = await evaluateWith(planFor(await world(EHRS.sparse!), 'generic-ehr', { trials: 1 }), nobody(), ['freshness']);
    for (const id of ['ehr-to-vendor-lag', 'vendor-to-ehr-lag', 'double-booking-race'] as const) {
      expect(run.finding(id), `${id}: ${run.finding(id).message}`).toMatchObject({ status: 'pass', evidence: { method: 'api' } });
    }
  }, 90_000);
});

describe('a server that ignores a parameter does not fool ehr-check', () => {
  it('an ignored schedule, status and (declared) identifier never show a slot or booking that is not there', async () => {
    const w = await world({ sparseStatement: true, ignoreSearchParams: ['schedule', 'status', 'identifier'] });
    const { ctx, close } = await contextFor(w);
    try {
      ctx.verification = await verifyUndeclared(ctx.ehr, ctx.capability!, { schedule: ctx.schedule, nonce: ctx.runId });
      const states = Object.fromEntries(ctx.verification.checks.map((c) => [`${c.type} ${c.name}`, c.state]));
      expect(states).toMatchObject({ 'Slot schedule': 'ignored', 'Slot status': 'ignored', 'Slot start': 'honoured', 'Appointment identifier': 'declared' });
      ctx.capability = verifiedCapability(ctx.capability!, ctx.verification);
      ctx.methods = planFindingMethods(ctx.capability, ctx.verification);
      expect(ctx.methods['read-through'].via).toEqual(['Slot:search-type(start)']);

      // The EHR's own screens (the staff console) are the oracle: they filter as asked.
      const window = probeWindow();
      const schedule = ctx.schedule!;
      const shown = await (await fetch(`${w.sandbox.staffUrl}/slots?${new URLSearchParams({ schedule, status: 'free', start: window.start, end: window.end })}`)).json();
      const free = await ehrFreeSlots(ctx, window);
      expect(free.map((s) => s.id).sort()).toEqual((shown as Array<{ id: string }>).map((s) => s.id).sort());
      expect(free.length).toBeGreaterThan(0);

      // A booking made at the front desk with a key: found alone, though the server answers every Appointment.
      const key = `${ctx.runId}-front-desk`;
      const booked = await fetch(`${w.sandbox.staffUrl}/appointments`, {
        method: 'POST',
        body: JSON.stringify({ slot: free[0]!.id, patient: w.sandbox.seeded.patientIds[0], identifier: `${BOOKING_IDENTIFIER_SYSTEM}|${key}` }),
      });
      expect(booked.status).toBe(201);
      const id = ((await booked.json()) as { id: string }).id;
      const everything = await ctx.ehr.searchAll('Appointment', { identifier: `${BOOKING_IDENTIFIER_SYSTEM}|${key}` });
      expect(everything.length).toBeGreaterThan(1); // the server ignored the identifier
      const found = await ehrAppointmentsByKey(ctx, key);
      expect(found.map((a) => a.id)).toEqual([id]);
      await fetch(`${w.sandbox.staffUrl}/appointments/${id}/cancel`, { method: 'POST' });
    } finally {
      await close();
    }
  }, 60_000);
});
