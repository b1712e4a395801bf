// A vendor reached through a person at its product: the reference chat vendor (fixtures/vendors/chat/), driven by
// the scripted person of fixtures/operator-scripts/chat-vendor.yaml. Every verdict is read from the EHR: the honest
// chat passes what a person can check, and each faulty one fails the finding its fault breaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatFault } from '../../fixtures/vendors/chat/index.js';
import type { SandboxOptions } from '../../fixtures/sandbox/index.js';
import { probeWindow } from '../../src/ehr/ops.js';
import { nextHalfDay } from '../../src/operator/local-time.js';
import type { CheckId, FindingId } from '../../src/model/report.js';
import { searchEhr, slotStatuses, staff } from '../helpers/ehr-truth.js';
import type { Evaluation } from '../helpers/run.js';
import { closedPortUrl } from '../helpers/world.js';
import { evaluateChat, startChatWorld, type ChatWorld } from './world.js';

/** A world with a chat vendor, one evaluation of it, and the EHR's slot statuses before the run. */
function chatRun(faults: ChatFault[], options: { sandbox?: SandboxOptions; checks?: CheckId[]; beforeRun?: (world: ChatWorld) => Promise<void>; person?: false; address?: () => Promise<string> } = {}) {
  const state = {} as { world: ChatWorld; run: Evaluation; before: Record<string, string> };
  beforeAll(async () => {
    state.world = await startChatWorld(faults, options.sandbox);
    await options.beforeRun?.(state.world);
    state.before = await slotStatuses(state.world.sandbox.fhirBaseUrl);
    const address = await options.address?.();
    state.run = await evaluateChat(state.world, { ...(options.checks && { checks: options.checks }), ...(options.person === false && { operator: null }), ...(address && { address }) });
  }, 90_000);
  afterAll(async () => state.world?.close());
  return state;
}

/** After the run, the EHR holds nothing it caused: every slot as it was, no Appointment or chart of its test patients. */
async function expectNothingLeft(state: { world: ChatWorld; run: Evaluation; before: Record<string, string> }) {
  const base = state.world.sandbox.fhirBaseUrl;
  expect(state.run.report.cleanup.leftover).toEqual([]);
  expect(await slotStatuses(base)).toEqual(state.before);
  const testPatients = await searchEhr<{ id: string }>(base, 'Patient', { given: 'Ehrcheck', birthdate: '1990-01-01' });
  expect(testPatients).toEqual([]);
}

const PERSON_FINDINGS: FindingId[] = ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched', 'vendor-to-ehr-lag'];

describe('an honest chat vendor, asked by a scripted person', () => {
  const state = chatRun([]);

  it('passes every finding a person can check, each judged by operator on the vendor’s side', () => {
    for (const id of PERSON_FINDINGS) {
      const f = state.run.finding(id);
      expect(f.status, `${id}: ${f.message}`).toBe('pass');
      expect(f.evidence, id).toMatchObject({ vendorKind: 'person', vendorMethod: 'operator' });
    }
  });

  it('keeps the steps the person took, with when they were asked and confirmed, and no names', () => {
    const lands = state.run.finding('write-lands').evidence as { vendorSteps?: Array<Record<string, unknown>> };
    expect(lands.vendorSteps).toEqual([expect.objectContaining({ kind: 'vendor-book', by: 'script', outcome: 'done', channel: 'chat', vendorSaidYes: true, askedAt: expect.any(String), confirmedAt: expect.any(String) })]);
    const read = state.run.finding('read-through').evidence as { vendorSteps?: unknown[]; window: { start: string; end: string } };
    expect(read.vendorSteps).toEqual([expect.objectContaining({ kind: 'vendor-read-free-slots', outcome: 'done' })]);
    // A person asks about one half-day: both sides were compared over it.
    expect(Date.parse(read.window.end) - Date.parse(read.window.start)).toBe(12 * 3_600_000);
    const lag = state.run.finding('vendor-to-ehr-lag').evidence as { vendorSteps?: unknown[] };
    expect(lag.vendorSteps).toEqual([expect.objectContaining({ kind: 'vendor-book' })]);
    expect(JSON.stringify(state.run.report)).not.toMatch(/Ehrcheck Test/);
  });

  it('quotes what the person was told, not an HTTP status', () => {
    expect(state.run.finding('conflict-refused').message).toBe('refused (the person was told no); nothing written');
    expect(state.run.finding('write-lands').message).toBe('one Appointment in the EHR for the right slot and patient (the person was told yes)');
  });

  it('the same request made twice left one Appointment in the EHR', () => {
    const d = state.run.finding('write-idempotent').evidence as { ehrBookings: unknown[]; slotBookings: number };
    expect(d.ehrBookings).toHaveLength(1);
    expect(d.slotBookings).toBe(1);
  });

  it('skips what a person cannot do, saying why', () => {
    expect(state.run.finding('ehr-to-vendor-lag')).toMatchObject({ status: 'skip', message: expect.stringContaining('cannot place when the EHR') });
    expect(state.run.finding('double-booking-race')).toMatchObject({ status: 'skip', message: expect.stringContaining('cannot book at the same moment') });
  });

  it('leaves nothing behind in the EHR, though the chat wrote without any run identifier', () => expectNothingLeft(state));
});

describe('a chat vendor that says booked but never writes', () => {
  const state = chatRun(['confirm-without-write']);
  it('fails write-lands and vendor-to-ehr-lag: the EHR holds no booking', () => {
    expect(state.run.finding('write-lands')).toMatchObject({ status: 'fail', message: expect.stringContaining('the EHR holds no such Appointment') });
    expect(state.run.finding('vendor-to-ehr-lag').status).toBe('fail');
  });
  it('leaves nothing behind', () => expectNothingLeft(state));
});

describe('a chat vendor that books a repeated request again, on an EHR that allows overbooking', () => {
  const state = chatRun(['repeat-books-again'], { sandbox: { allowOverbooking: true }, checks: ['bidirectional'] });
  it('fails write-idempotent: the EHR holds two Appointments for the one caller', () => {
    const f = state.run.finding('write-idempotent');
    expect(f).toMatchObject({ status: 'fail', message: 'the same request, made twice, left 2 Appointments in the EHR (asked again, the person was told yes)' });
    expect((f.evidence as { ehrBookings: unknown[] }).ehrBookings).toHaveLength(2);
  });
  it('still lands a single booking', () => expect(state.run.finding('write-lands').status).toBe('pass'));
  it('leaves nothing behind, the duplicate included', () => expectNothingLeft(state));
});

describe('a chat vendor that registers a new chart every time', () => {
  const state = chatRun(['duplicate-patients'], { checks: ['bidirectional'] });
  it('fails patient-matched: the EHR holds a second chart under the test patient’s name', () => {
    const f = state.run.finding('patient-matched');
    expect(f.status).toBe('fail');
    expect(f.evidence).toMatchObject({ ehrPatients: 2, countedBy: ['identifier', 'name-and-birth-date'] });
  });
  it('leaves nothing behind, the duplicate chart included', () => expectNothingLeft(state));
});

describe('a chat vendor that books a busy time and says booked', () => {
  const state = chatRun(['ignore-conflicts'], { checks: ['bidirectional'] });
  it('fails conflict-refused', () => {
    expect(state.run.finding('conflict-refused')).toMatchObject({ status: 'fail', message: expect.stringContaining('the vendor confirmed') });
  });
  it('leaves nothing behind', () => expectNothingLeft(state));
});

describe('a chat vendor that offers the times it copied at start-up', () => {
  const state = chatRun(['frozen'], {
    checks: ['bidirectional'],
    // After the chat took its copy, the EHR's staff close a time in the half-day the person will ask about.
    beforeRun: async (world) => {
      const wide = probeWindow();
      const half = nextHalfDay(wide.start, wide.end, '+00:00')!;
      const [slot] = await searchEhr<{ id: string; start: string }>(world.sandbox.fhirBaseUrl, 'Slot', { schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`, status: 'free', start: `ge${half.start}` });
      if (!slot || Date.parse(slot.start) >= Date.parse(half.end)) throw new Error('no free slot in the half-day to close');
      await staff(world.sandbox, 'block', slot.id);
    },
  });
  it('fails read-through: it offers a time the EHR holds busy', () => {
    const f = state.run.finding('read-through');
    expect(f.status).toBe('fail');
    const d = f.evidence as { ehrFree: string[]; vendorFree: string[] };
    expect(d.vendorFree.filter((id) => !d.ehrFree.includes(id))).toHaveLength(1);
  });
});

describe('a chat vendor with nobody to ask', () => {
  const state = chatRun([], { person: false, checks: ['bidirectional'] });
  it('skips every finding that needs a person at the product, saying so', () => {
    for (const id of ['read-through', 'write-lands', 'write-idempotent', 'conflict-refused', 'patient-matched'] as FindingId[]) {
      expect(state.run.finding(id), id).toMatchObject({ status: 'skip', message: expect.stringContaining("needs a person to use the vendor's product") });
    }
  });
});

describe('a chat that does not answer', () => {
  const state = chatRun([], { checks: ['bidirectional'], address: () => closedPortUrl('/chat') });
  it('makes each finding that needed it an error, saying why, and never crashes the run', () => {
    for (const id of ['read-through', 'write-lands', 'conflict-refused', 'patient-matched'] as FindingId[]) {
      expect(state.run.finding(id), id).toMatchObject({ status: 'error', message: expect.stringMatching(/vendor-[a-z-]+ step of .*chat-vendor\.yaml: POST 127\.0\.0\.1:\d+\/chat/) });
    }
  });
  it('leaves nothing behind', () => expectNothingLeft(state));
});

describe('a chat vendor whose first half-day is fully booked in the EHR', () => {
  let first: { start: string; end: string };
  const state = chatRun([], {
    checks: ['bidirectional'],
    beforeRun: async (world) => {
      const wide = probeWindow();
      first = nextHalfDay(wide.start, wide.end, '+00:00')!;
      const free = await searchEhr<{ id: string; start: string }>(world.sandbox.fhirBaseUrl, 'Slot', { schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`, status: 'free', start: `ge${first.start}` });
      for (const slot of free.filter((s) => Date.parse(s.start) < Date.parse(first.end))) await staff(world.sandbox, 'block', slot.id);
    },
  });
  it('is asked about the next half-day the EHR has free times in', () => {
    const f = state.run.finding('read-through');
    expect(f.status).toBe('pass');
    const window = (f.evidence as { window: { start: string } }).window;
    expect(Date.parse(window.start)).toBeGreaterThanOrEqual(Date.parse(first.end));
  });
  it('leaves nothing behind', () => expectNothingLeft(state));
});
