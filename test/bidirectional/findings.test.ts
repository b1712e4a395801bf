// Each bidirectional finding, end to end through evaluate(): a reference vendor that passes it and one that
// fails it, on a real EHR sandbox. Every verdict is checked against what the EHR holds, read independently.
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningSandbox, SandboxOptions } from '../../fixtures/sandbox/index.js';
import type { VendorOptions } from '../../fixtures/vendors/index.js';
import type { CertificationRegistry, Manifest } from '../../src/model/plan.js';
import type { Finding } from '../../src/model/report.js';
import { dropSlotWrites, type ProxyOptions } from '../helpers/ehr-proxy.js';
import { startWorld } from '../helpers/world.js';
import {
  closedPortUrl,
  earlyFreeSlot,
  ehrFreeSlotIds,
  evaluateOnce,
  planFor,
  readEhr,
  runBookings,
  slotStatuses,
  staff,
  taggedWithRun,
  type Evaluation,
  type PlanOptions,
  type World,
} from './world.js';

// ---- Scenarios: one world and one evaluation each, shared by the findings that read it ----

const worlds: World[] = [];
afterAll(async () => {
  await Promise.allSettled(worlds.map((w) => w.close()));
});

interface Scenario {
  world: World;
  run: Evaluation;
  /** Every slot's status before the run: the run must leave them all as they were. */
  slotsBefore: Record<string, string>;
}

function scenario(
  vendor: Omit<VendorOptions, 'ehrBaseUrl'>,
  sandbox: SandboxOptions = {},
  setup: {
    beforeVendor?: (sandbox: RunningSandbox) => Promise<void>;
    afterVendor?: (w: World) => Promise<void>;
    plan?: PlanOptions;
    /** ehr-check (not the vendor) reaches the EHR through a proxy with these habits. */
    ehrProxy?: ProxyOptions;
  } = {},
): () => Promise<Scenario> {
  let started: Promise<Scenario> | undefined;
  return () =>
    (started ??= (async () => {
      const world = await startWorld({ vendor, sandbox, ...(setup.beforeVendor && { beforeVendor: setup.beforeVendor }), ...(setup.ehrProxy && { probeProxy: setup.ehrProxy }) });
      worlds.push(world);
      await setup.afterVendor?.(world);
      const slotsBefore = await slotStatuses(world.sandbox.fhirBaseUrl);
      const run = await evaluateOnce(planFor(world, setup.plan));
      return { world, run, slotsBefore };
    })());
}

const deep = scenario({ behavior: 'deep' });
const confirmWithoutWrite = scenario({ behavior: 'deep', faults: ['confirm-without-write'] });
const writeTwice = scenario({ behavior: 'deep', faults: ['write-twice'] }, { allowOverbooking: true });
const batchOverbooking = scenario({ behavior: 'batch', syncIntervalMs: 300 }, { allowOverbooking: true });
// An EHR that drops Slot writes: ehr-check's block is an EHR-side booking, which this EHR lets a second one overbook.
const batchOverbookingBookedBlock = scenario({ behavior: 'batch', syncIntervalMs: 300 }, { allowOverbooking: true }, { ehrProxy: { answer: dropSlotWrites } });
const ignoreConflicts = scenario({ behavior: 'deep', faults: ['ignore-conflicts'] });
const duplicatePatients = scenario({ behavior: 'deep', faults: ['duplicate-patients'] });
const shallow = scenario({ behavior: 'shallow', syncIntervalMs: 300, bookingQueueMs: 400 }, {}, { plan: { timeoutSeconds: 3 } });

let blockedAfterStart = '';
const frozenBlocked = scenario({ behavior: 'deep', faults: ['frozen'] }, {}, {
  afterVendor: async (w) => {
    blockedAfterStart = await earlyFreeSlot(w.sandbox);
    await staff(w.sandbox, 'block', blockedAfterStart);
  },
});
let freedAfterStart = '';
const frozenFreed = scenario({ behavior: 'deep', faults: ['frozen'] }, {}, {
  beforeVendor: async (sandbox) => {
    freedAfterStart = await earlyFreeSlot(sandbox);
    await staff(sandbox, 'block', freedAfterStart);
  },
  afterVendor: async (w) => staff(w.sandbox, 'free', freedAfterStart),
});

type Ev = Record<string, any>;
const ev = (f: Finding) => f.evidence as Ev;

/** What every write scenario must leave behind: nothing tagged, no run booking, every slot as it was. */
async function expectEhrRestored(s: Scenario): Promise<void> {
  const base = s.world.sandbox.fhirBaseUrl;
  expect(await taggedWithRun(base, s.run.runId)).toEqual({ Appointment: [], Patient: [] });
  expect(await runBookings(base, s.run.runId)).toEqual([]);
  expect(await slotStatuses(base)).toEqual(s.slotsBefore);
  expect(s.run.report.cleanup.leftover).toEqual([]);
}

/** The ids the finding saw in the EHR were real EHR records, which cleanup then removed. */
function expectRemoved(s: Scenario, ids: string[]): void {
  const removed = new Set((s.run.report.writes ?? []).filter((w) => w.removed).map((w) => w.id));
  for (const id of ids) expect(removed, `cleanup removed ${id}`).toContain(id);
}

describe('read-through', () => {
  it('passes for a deep vendor: its free slots are exactly the EHR’s', async () => {
    const s = await deep();
    const f = s.run.finding('read-through');
    expect(f.status).toBe('pass');
    const e = ev(f);
    expect(e.ehrFreeCount).toBeGreaterThan(10);
    expect(e.vendorFreeCount).toBe(e.ehrFreeCount);
    expect([...e.vendorFree].sort()).toEqual([...e.ehrFree].sort());
    expect(e).toMatchObject({ phantomSlots: [], missingSlots: [] });
    // The EHR's side of the comparison is what the EHR holds in that window (the run restored every slot).
    expect((await ehrFreeSlotIds(s.world.sandbox, e.window)).sort()).toEqual([...e.ehrFree].sort());
    expect(f.message).toBe(`the vendor shows exactly the EHR's ${e.ehrFreeCount} free slot(s)`);
  });

  it('fails for a frozen vendor after a slot is blocked in the EHR: the vendor still offers it', async () => {
    const s = await frozenBlocked();
    const f = s.run.finding('read-through');
    expect(f.status).toBe('fail');
    const e = ev(f);
    expect(e.phantomSlots).toEqual([blockedAfterStart]);
    expect(e.missingSlots).toEqual([]);
    expect(e.vendorFree).toContain(blockedAfterStart);
    expect(e.ehrFree).not.toContain(blockedAfterStart);
    expect(e.vendorFreeCount).toBe(e.ehrFreeCount + 1);
    expect(f.message).toMatch(/offers 1 slot\(s\) the EHR holds as busy or absent/);
    expect((await readEhr(s.world.sandbox.fhirBaseUrl, 'Slot', blockedAfterStart)).status).toBe('busy-unavailable');
  });

  it('warns when a frozen vendor does not show a slot the EHR freed after its last look', async () => {
    const s = await frozenFreed();
    const f = s.run.finding('read-through');
    expect(f.status).toBe('warn');
    expect(ev(f)).toMatchObject({ phantomSlots: [], missingSlots: [freedAfterStart] });
    expect(ev(f).ehrFree).toContain(freedAfterStart);
    expect((await readEhr(s.world.sandbox.fhirBaseUrl, 'Slot', freedAfterStart)).status).toBe('free');
  });
});

describe('write-lands', () => {
  it('passes for a deep vendor: one Appointment in the EHR, for the booked slot and patient', async () => {
    const s = await deep();
    const f = s.run.finding('write-lands');
    expect(f.status).toBe('pass');
    const e = ev(f);
    expect(e.vendorStatus).toBe(201);
    expect(e.ehrBookings).toEqual([{ id: expect.any(String), status: 'booked', slot: `Slot/${e.slotId}`, patient: `Patient/${e.patientId}` }]);
    expect(e.slotBookings).toBe(1);
    expectRemoved(s, [e.ehrBookings[0].id, e.patientId]);
    // The report's list of writes names who wrote each record: the booking was the vendor's, made for us.
    expect(s.run.report.writes).toContainEqual({ connection: 'epic', target: 'vendor', action: 'book', resourceType: 'Appointment', id: e.ehrBookings[0].id, removed: true, removedBy: 'cleanup' });
    expect(s.run.report.writes).toContainEqual({ connection: 'epic', target: 'ehr', action: 'create-patient', resourceType: 'Patient', id: e.patientId, removed: true, removedBy: 'cleanup' });
    await expectEhrRestored(s);
  });

  it('fails for a vendor that answers 201 but writes nothing: the EHR holds no Appointment for the key', async () => {
    const s = await confirmWithoutWrite();
    const f = s.run.finding('write-lands');
    expect(f.status).toBe('fail');
    expect(ev(f)).toMatchObject({ vendorStatus: 201, ehrBookings: [], slotBookings: 0 });
    expect(f.message).toBe('the vendor confirmed the booking (HTTP 201) but the EHR holds no such Appointment: a manual re-entry for the buyer’s staff');
    expect(ev(f).manualReentry).toBe(true);
    expect((await readEhr(s.world.sandbox.fhirBaseUrl, 'Slot', ev(f).slotId)).status).toBe('free');
    await expectEhrRestored(s);
  });

  it('fails for a vendor that writes every booking twice, on an EHR that accepts overbooking', async () => {
    const s = await writeTwice();
    const f = s.run.finding('write-lands');
    expect(f.status).toBe('fail');
    const e = ev(f);
    expect(e.vendorStatus).toBe(201);
    expect(e.ehrBookings).toHaveLength(2);
    expect(new Set(e.ehrBookings.map((b: Ev) => b.id)).size).toBe(2);
    for (const b of e.ehrBookings) expect(b).toMatchObject({ status: 'booked', slot: `Slot/${e.slotId}`, patient: `Patient/${e.patientId}` });
    expect(e.slotBookings).toBe(2);
    expect(f.message).toBe('one booking became 2 Appointments in the EHR');
    expectRemoved(s, e.ehrBookings.map((b: Ev) => b.id));
    await expectEhrRestored(s);
  });

  it('warns for a vendor that only queues the booking (202), naming when it reached the EHR and that it is no manual re-entry', async () => {
    const s = await shallow();
    const f = s.run.finding('write-lands');
    expect(f.status).toBe('warn');
    const e = ev(f);
    expect(e.vendorStatus).toBe(202);
    expect(e.ehrBookings).toHaveLength(1);
    expect(e.queuedLandedAfterMs).toBeGreaterThan(0);
    expect(f.message).toMatch(/^the booking was only queued \(HTTP 202\); after \d+\.\d s it reached the EHR by itself within the timeout: not a manual re-entry$/);
    expect(e.manualReentry).toBe(false);
  });
});

describe('write-idempotent', () => {
  it('passes for a deep vendor: the replay is answered 200 and the EHR still holds one Appointment', async () => {
    const s = await deep();
    const f = s.run.finding('write-idempotent');
    expect(f.status).toBe('pass');
    const e = ev(f);
    expect(e).toMatchObject({ vendorStatus: 201, replayStatus: 200, slotBookings: 1 });
    expect(e.ehrBookings).toHaveLength(1);
    // the same Appointment write-lands saw
    expect(e.ehrBookings[0].id).toBe(ev(s.run.finding('write-lands')).ehrBookings[0].id);
  });

  it('fails for a batch vendor on an overbooking EHR: the replay became a second Appointment', async () => {
    const s = await batchOverbooking();
    const f = s.run.finding('write-idempotent');
    expect(f.status).toBe('fail');
    const e = ev(f);
    expect(e).toMatchObject({ vendorStatus: 201, replayStatus: 201, slotBookings: 2 });
    expect(e.ehrBookings).toHaveLength(2);
    for (const b of e.ehrBookings) expect(b).toMatchObject({ status: 'booked', slot: `Slot/${e.slotId}` });
    expect(f.message).toBe('repeating the same booking key left 2 Appointments in the EHR (replay answered 201)');
    expectRemoved(s, e.ehrBookings.map((b: Ev) => b.id));
    await expectEhrRestored(s);
  });

  it('fails for a vendor that never writes: after two bookings the EHR holds none', async () => {
    const s = await confirmWithoutWrite();
    const f = s.run.finding('write-idempotent');
    expect(f.status).toBe('fail');
    expect(ev(f)).toMatchObject({ replayStatus: 201, ehrBookings: [] });
    expect(f.message).toBe('after two bookings with the same key the EHR holds no Appointment for it');
  });
});

describe('conflict-refused', () => {
  it('passes for a deep vendor: a slot busy in the EHR is refused with 409 and nothing is written', async () => {
    const s = await deep();
    const f = s.run.finding('conflict-refused');
    expect(f.status).toBe('pass');
    const e = ev(f);
    expect(e).toMatchObject({ blockedBy: 'slot-update', vendorStatus: 409, ehrBookings: [], slotBookings: 0 });
    expect(e.vendorMessage).toContain(`Slot/${e.slotId}`);
    expect(f.message).toMatch(/^refused with HTTP 409 \(.+\); nothing written$/);
    // the probe blocked the slot for the test and put it back
    expect((await readEhr(s.world.sandbox.fhirBaseUrl, 'Slot', e.slotId)).status).toBe('free');
  });

  it('fails for a batch vendor on an overbooking EHR: it wrote a booking onto the busy slot', async () => {
    // The slot is held by ehr-check's EHR-side booking (this EHR drops Slot writes), and the EHR overbooks it.
    const s = await batchOverbookingBookedBlock();
    const f = s.run.finding('conflict-refused');
    expect(f.status).toBe('fail');
    const e = ev(f);
    expect(e.blockedBy).toBe('ehr-appointment');
    expect(e.vendorStatus).toBe(201);
    expect(e.ehrBookings).toEqual([expect.objectContaining({ status: 'booked', slot: `Slot/${e.slotId}` })]);
    expect(e.slotBookings).toBe(2);
    expect(f.message).toBe('the vendor wrote a booking onto a slot that was busy in the EHR (the slot now holds 2 active booking(s))');
    expectRemoved(s, [e.ehrBookings[0].id]);
    await expectEhrRestored(s);
  });

  it('fails for a batch vendor on an overbooking EHR that will not overbook a slot closed by staff: it confirmed a booking the EHR refused', async () => {
    const s = await batchOverbooking();
    const f = s.run.finding('conflict-refused');
    expect(f.status).toBe('fail');
    const e = ev(f);
    expect(e).toMatchObject({ blockedBy: 'slot-update', vendorStatus: 201, ehrBookings: [], slotBookings: 0 });
    expect(f.message).toMatch(/confirmed \(HTTP 201\) a booking on a busy slot that the EHR does not hold/);
  });

  it('fails for a vendor that ignores conflicts: it confirms a booking the EHR never took', async () => {
    const s = await ignoreConflicts();
    const f = s.run.finding('conflict-refused');
    expect(f.status).toBe('fail');
    expect(ev(f)).toMatchObject({ vendorStatus: 201, ehrBookings: [], slotBookings: 0 });
    expect(f.message).toMatch(/confirmed \(HTTP 201\) a booking on a busy slot that the EHR does not hold/);
    await expectEhrRestored(s);
  });

  it('fails for a vendor that queues (202) a booking on a busy slot instead of refusing it', async () => {
    const s = await shallow();
    const f = s.run.finding('conflict-refused');
    expect(f.status).toBe('fail');
    expect(ev(f)).toMatchObject({ vendorStatus: 202, ehrBookings: [] });
    expect(f.message).toBe('the vendor accepted (HTTP 202) a booking on a busy slot instead of refusing it');
  });
});

describe('patient-matched', () => {
  it('passes for a deep vendor: the known patient is matched (200), the EHR holds one record', async () => {
    const s = await deep();
    const f = s.run.finding('patient-matched');
    expect(f.status).toBe('pass');
    expect(ev(f)).toMatchObject({ vendorStatus: 200, ehrPatients: 1 });
    expect(ev(f).identifier).toMatch(new RegExp(`^urn:ehr-check:patient\\|${s.run.runId}-existing-patient-\\d+$`));
  });

  it('fails for a vendor that registers every patient anew: the EHR holds a duplicate', async () => {
    const s = await duplicatePatients();
    const f = s.run.finding('patient-matched');
    expect(f.status).toBe('fail');
    expect(ev(f)).toMatchObject({ vendorStatus: 201, ehrPatients: 2 });
    expect(f.message).toBe('registering a patient the EHR already had created 1 duplicate record(s)');
    // the duplicate carried the run's identifier, so cleanup found and removed it too, as the vendor's write
    const registered = s.run.report.writes?.filter((w) => w.action === 'register-patient') ?? [];
    expect(registered).toEqual([{ connection: 'epic', target: 'vendor', action: 'register-patient', resourceType: 'Patient', id: expect.any(String), removed: true, removedBy: 'cleanup' }]);
    await expectEhrRestored(s);
  });

  it('fails for a shallow vendor (every registration is a new chart)', async () => {
    const s = await shallow();
    const f = s.run.finding('patient-matched');
    expect(f.status).toBe('fail');
    expect(ev(f)).toMatchObject({ vendorStatus: 201, ehrPatients: 2 });
    await expectEhrRestored(s);
  });
});

describe('certification, from the manifest against the registry', () => {
  const vendorName = 'Test Vendor';
  const manifest = (systems: Manifest['systems']): Manifest => ({ version: 1, vendor: vendorName, systems });
  const claim = (listingId: string, program = 'epic-showroom') => ({ program, listingId });
  const listing = (listingId: string, status: 'active' | 'suspended' | 'withdrawn', extra: { validUntil?: string; vendor?: string; system?: string } = {}) => ({
    program: 'epic-showroom',
    system: extra.system ?? 'epic',
    vendor: extra.vendor ?? vendorName,
    listingId,
    status,
    ...(extra.validUntil ? { validUntil: extra.validUntil } : {}),
  });
  const registry = (...listings: ReturnType<typeof listing>[]): CertificationRegistry => ({ version: 1, listings });
  const world = scenario({ behavior: 'deep' });

  async function certification(options: PlanOptions): Promise<Finding> {
    const { world: w } = await world();
    // Certification needs no writes: keep these runs read-only and quick.
    const run = await evaluateOnce(planFor(w, { vendorName, ...options }), { allowWrites: false });
    return run.finding('certification');
  }

  const cases: Array<{ name: string; options: PlanOptions; status: Finding['status']; states: string[]; message: RegExp }> = [
    {
      name: 'an active listing for this vendor and system → pass',
      options: { manifest: manifest([{ system: 'epic', certifications: [claim('TV-1')] }]), registry: registry(listing('TV-1', 'active', { validUntil: '2099-12-31' })) },
      status: 'pass',
      states: ['verified'],
      message: /^verified: epic-showroom TV-1$/,
    },
    {
      name: 'a listing the registry does not hold → warn',
      options: { manifest: manifest([{ system: 'epic', certifications: [claim('TV-404')] }]), registry: registry(listing('TV-1', 'active')) },
      status: 'warn',
      states: ['unverified'],
      message: /claimed, not verified: no listing TV-404 in program epic-showroom/,
    },
    {
      name: 'no registry to verify against → warn',
      options: { manifest: manifest([{ system: 'epic', certifications: [claim('TV-1')] }]) },
      status: 'warn',
      states: ['unverified'],
      message: /no certification registry was given/,
    },
    {
      name: 'a listing of another vendor → warn',
      options: { manifest: manifest([{ system: 'epic', certifications: [claim('TV-1')] }]), registry: registry(listing('TV-1', 'active', { vendor: 'Someone Else' })) },
      status: 'warn',
      states: ['unverified'],
      message: /listing TV-1 is for Someone Else on epic, not Test Vendor on epic/,
    },
    {
      name: 'a suspended listing → fail',
      options: { manifest: manifest([{ system: 'epic', certifications: [claim('TV-1')] }]), registry: registry(listing('TV-1', 'suspended')) },
      status: 'fail',
      states: ['lapsed'],
      message: /not in force: listing TV-1 is suspended/,
    },
    {
      name: 'a withdrawn listing → fail',
      options: { manifest: manifest([{ system: 'epic', certifications: [claim('TV-1')] }]), registry: registry(listing('TV-1', 'withdrawn')) },
      status: 'fail',
      states: ['lapsed'],
      message: /not in force: listing TV-1 is withdrawn/,
    },
    {
      name: 'an active listing past its validUntil → fail (expired)',
      options: { manifest: manifest([{ system: 'epic', certifications: [claim('TV-1')] }]), registry: registry(listing('TV-1', 'active', { validUntil: '2020-01-31' })) },
      status: 'fail',
      states: ['lapsed'],
      message: /listing TV-1 is expired \(valid until 2020-01-31\)/,
    },
    {
      name: 'one verified and one suspended claim → fail',
      options: {
        manifest: manifest([{ system: 'epic', certifications: [claim('TV-1'), claim('TV-2')] }]),
        registry: registry(listing('TV-1', 'active'), listing('TV-2', 'suspended')),
      },
      status: 'fail',
      states: ['verified', 'lapsed'],
      message: /listing TV-2 is suspended/,
    },
    {
      name: 'no certification claimed for a system the buyer runs → fail',
      options: { manifest: manifest([{ system: 'epic', directions: ['read', 'write'] }]), registry: registry(listing('TV-1', 'active')) },
      status: 'fail',
      states: [],
      message: /^no certification is claimed for epic, a system the buyer runs$/,
    },
    {
      name: 'no manifest at all, for a system the buyer runs → fail',
      options: {},
      status: 'fail',
      states: [],
      message: /no certification is claimed for epic/,
    },
    {
      name: 'no certification claimed for a system the buyer does not run → skip',
      options: { manifest: manifest([{ system: 'epic' }]), sites: ['athenahealth'] },
      status: 'skip',
      states: [],
      message: /which the buyer does not run/,
    },
  ];

  it.each(cases)('$name', async ({ options, status, states, message }) => {
    const f = await certification(options);
    expect(f.status).toBe(status);
    expect(f.message).toMatch(message);
    expect(ev(f).system).toBe('epic');
    expect(ev(f).claims.map((c: Ev) => c.state)).toEqual(states);
  });

  it('names the listing status that decided a lapsed claim', async () => {
    const f = await certification({ manifest: manifest([{ system: 'epic', certifications: [claim('TV-1')] }]), registry: registry(listing('TV-1', 'active', { validUntil: '2020-01-31' })) });
    expect(ev(f).claims).toEqual([{ program: 'epic-showroom', listingId: 'TV-1', state: 'lapsed', reason: 'listing TV-1 is expired (valid until 2020-01-31)', listingStatus: 'expired' }]);
  });
});

describe('when writes may not run, or the connection is not live', () => {
  const WRITE_FINDINGS = ['write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched'] as const;
  const world = scenario({ behavior: 'deep' });

  it('skips every write finding on an EHR the plan does not mark `sandbox: true`, and writes nothing', async () => {
    const { world: w } = await world();
    const before = await slotStatuses(w.sandbox.fhirBaseUrl);
    const run = await evaluateOnce(planFor(w, { sandbox: false }), { allowWrites: true });
    for (const id of WRITE_FINDINGS) {
      const f = run.finding(id);
      expect(f.status, id).toBe('skip');
      expect(f.message).toBe('the EHR is not marked `sandbox: true` in the plan, so nothing is written to it');
    }
    expect(run.finding('read-through').status).toBe('pass');
    expect(run.ledger.entries()).toEqual([]);
    expect(run.report.connections[0]).toMatchObject({ sandbox: false, writesAllowed: false });
    expect(await taggedWithRun(w.sandbox.fhirBaseUrl, run.runId)).toEqual({ Appointment: [], Patient: [] });
    expect(await slotStatuses(w.sandbox.fhirBaseUrl)).toEqual(before);
  });

  it('skips every write finding when the run does not allow writes, saying how to allow them', async () => {
    const { world: w } = await world();
    const run = await evaluateOnce(planFor(w), { allowWrites: false });
    for (const id of WRITE_FINDINGS) {
      const f = run.finding(id);
      expect(f.status, id).toBe('skip');
      expect(f.message).toMatch(/run with --allow-writes/);
    }
    expect(run.ledger.entries()).toEqual([]);
    expect(await taggedWithRun(w.sandbox.fhirBaseUrl, run.runId)).toEqual({ Appointment: [], Patient: [] });
  });

  it('gives `error` for every probe finding of a connection that is not live, and still judges certification', async () => {
    const { world: w } = await world();
    const run = await evaluateOnce(planFor(w, { vendorBaseUrl: await closedPortUrl('/fhir') }), { allowWrites: true });
    expect(run.report.connections[0]).toMatchObject({ live: false });
    for (const id of ['read-through', ...WRITE_FINDINGS] as const) {
      const f = run.finding(id);
      expect(f.status, id).toBe('error');
      expect(f.message).toMatch(/^not probed: the connection is not live: the vendor's Slot search failed \(.*127\.0\.0\.1.*; see connection-live\)$/);
    }
    expect(run.finding('certification').status).toBe('fail'); // nothing claimed for a system the buyer runs
    expect(run.ledger.entries()).toEqual([]);
    // an errored check is unscored, never a zero
    expect(run.report.checks.find((c) => c.id === 'bidirectional')?.score).toBeNull();
  });
});
