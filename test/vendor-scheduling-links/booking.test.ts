// Booking through a Scheduling Links feed: a (scripted) person follows the slot's booking deep link, here the
// reference chat vendor's page on the same EHR, and the EHR decides whether the booking landed once. Registration
// has no address in a feed and is skipped with that reason; with nobody to ask, the booking findings are skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { startChatVendor, type ChatFault, type RunningChatVendor } from '../../fixtures/vendors/chat/index.js';
import { startPublisher, type RunningPublisher } from '../../fixtures/vendors/scheduling-links/publisher.js';
import { searchEhr } from '../helpers/ehr-truth.js';
import { evaluatePlan, testPlan, type Evaluation } from '../helpers/run.js';
import { assemble } from '../helpers/world.js';
import { scriptedPerson } from '../vendor-person/world.js';
import { feedConnection } from './world.js';

interface BookableFeed {
  sandbox: RunningSandbox;
  chat: RunningChatVendor;
  publisher: RunningPublisher;
  close(): Promise<void>;
}

function startBookableFeed(faults: ChatFault[] = [], allowOverbooking = false): Promise<BookableFeed> {
  return assemble(async (own) => {
    const sandbox = own(await startSandbox({ flavor: 'generic', allowOverbooking }));
    const chat = own(await startChatVendor({ ehrBaseUrl: sandbox.fhirBaseUrl, faults }));
    const publisher = own(await startPublisher({ ehrBaseUrl: sandbox.fhirBaseUrl, view: 'live', maxAgeSeconds: 1, bookingUrl: chat.chatUrl }));
    return { sandbox, chat, publisher };
  });
}

const FRESHNESS = { trials: 1, timeoutSeconds: 4, realTimeSeconds: 2, nearRealTimeSeconds: 4 };
const evaluateFeed = async (world: BookableFeed, withPerson = true): Promise<Evaluation> =>
  evaluatePlan(testPlan([feedConnection(world as never)], { freshness: FRESHNESS }), {
    checks: ['bidirectional', 'freshness'],
    ...(withPerson && { operator: await scriptedPerson() }),
  });

const activeOnSlot = async (base: string, slot: string) =>
  (await searchEhr<{ status: string }>(base, 'Appointment', { slot: `Slot/${slot}` })).filter((a) => a.status !== 'cancelled').length;

describe('a feed whose deep links lead to an honest booking page', () => {
  let world: BookableFeed;
  let run: Evaluation;
  beforeAll(async () => {
    world = await startBookableFeed();
    run = await evaluateFeed(world);
  }, 90_000);
  afterAll(() => world?.close());

  it('books by a person at the slot\'s deep link: one Appointment in the EHR, a repeat adds none', () => {
    const lands = run.finding('write-lands');
    expect(lands.status, lands.message).toBe('pass');
    expect(lands.evidence).toMatchObject({ vendorKind: 'scheduling-links', vendorMethod: 'operator' });
    const steps = lands.evidence.vendorSteps as Array<{ kind: string; outcome: string }>;
    expect(steps.map((s) => [s.kind, s.outcome])).toEqual([['vendor-book', 'done']]);
    expect(run.finding('write-idempotent').status).toBe('pass');
    expect(run.finding('vendor-to-ehr-lag').status).toMatch(/pass|warn/);
    // A slot the EHR holds busy: followed from the feed's last read, the booking page refuses it; once the feed
    // drops it, there is no link to follow and the refusal cannot be tried.
    const conflict = run.finding('conflict-refused');
    expect(['pass', 'skip'], conflict.message).toContain(conflict.status);
    expect(run.finding('double-booking-race').message).toMatch(/through a person/);
  });

  it('says why a feed cannot register a patient, and leaves nothing behind', async () => {
    const matched = run.finding('patient-matched');
    expect(matched.status).toBe('skip');
    expect(matched.message).toMatch(/names where to book a slot, not where to register a patient/);
    expect(run.report.cleanup.leftover).toEqual([]);
    const lands = run.finding('write-lands');
    expect(await activeOnSlot(world.sandbox.fhirBaseUrl, String(lands.evidence.slotId))).toBe(0);
  });
});

describe('a feed whose booking page says booked but writes nothing', () => {
  it('fails write-lands, read from the EHR', async () => {
    const world = await startBookableFeed(['confirm-without-write']);
    try {
      const run = await evaluateFeed(world);
      const lands = run.finding('write-lands');
      expect(lands.status).toBe('fail');
      expect(lands.message).toMatch(/the person was told yes.*EHR holds no such Appointment/);
      expect(await activeOnSlot(world.sandbox.fhirBaseUrl, String(lands.evidence.slotId))).toBe(0);
    } finally {
      await world.close();
    }
  }, 90_000);
});

describe('a feed whose booking page books a repeated request again', () => {
  it('fails write-idempotent on an EHR that lets the second booking in, counted in the EHR', async () => {
    const world = await startBookableFeed(['repeat-books-again'], true);
    try {
      const run = await evaluateFeed(world);
      expect(run.finding('write-lands').status).toBe('pass');
      const twice = run.finding('write-idempotent');
      expect(twice.status, twice.message).toBe('fail');
      expect(twice.message).toMatch(/the same request, made twice/);
      expect(run.report.cleanup.leftover).toEqual([]);
    } finally {
      await world.close();
    }
  }, 90_000);
});

describe('a feed with nobody to follow its links', () => {
  it('skips the booking findings, saying a person is needed', async () => {
    const world = await startBookableFeed();
    try {
      const run = await evaluateFeed(world, false);
      for (const id of ['write-lands', 'write-idempotent', 'vendor-to-ehr-lag'] as const) {
        expect(run.finding(id).status, id).toBe('skip');
        expect(run.finding(id).message, id).toMatch(/person/);
      }
      expect(run.finding('read-through').status).toBe('pass');
    } finally {
      await world.close();
    }
  }, 90_000);
});
