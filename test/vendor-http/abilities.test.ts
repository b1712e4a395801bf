// What a mapping omits, the channel cannot do: its findings are skipped with the mapping's reason, and the rest are
// still judged from the EHR. A webhook-only mapping follows its bookings by events on a loopback listener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestLog } from '../../src/http/fhir-client.js';
import { vendorAbilities, openVendorChannel } from '../../src/vendor/index.js';
import { vendorFindingMethods } from '../../src/vendor/methods.js';
import { searchEhr } from '../helpers/ehr-truth.js';
import { evaluatePlan, testPlan } from '../helpers/run.js';
import { BOOKING_SYSTEM } from '../helpers/ehr-truth.js';
import { MappingFiles, restConnection, startRestWorld, type RestWorld } from './world.js';

const files = new MappingFiles();
let world: RestWorld;
beforeAll(async () => {
  world = await startRestWorld();
});
afterAll(async () => {
  await world?.close();
  files.remove();
});

describe('abilities from the mapping', () => {
  it('the shipped mapping can do everything but recognise a booking key', () => {
    const can = vendorAbilities(restConnection(world).vendor);
    expect(can).toEqual({ freeSlots: { by: 'api' }, book: { by: 'api' }, bookingKey: false, findBooking: { by: 'api' }, registerPatient: { by: 'api' } });
    expect(vendorFindingMethods(can, 'http')['write-idempotent']?.reason).toMatch(/the same request is sent twice/);
  });

  it('an idempotency key header makes the booking key the vendor’s to recognise', () => {
    const mapping = files.variant((doc) => (doc.idempotencyKeyHeader = 'Idempotency-Key'));
    expect(vendorAbilities({ ...restConnection(world).vendor, mapping } as never).bookingKey).toBe(true);
  });

  it('skips the findings of omitted operations with the mapping’s reason, and judges the rest from the EHR', async () => {
    const mapping = files.variant((doc) => {
      delete doc.operations.book;
      delete doc.operations.registerPatient;
    });
    const run = await evaluatePlan(testPlan([restConnection(world, 'athenahealth', mapping)]), { checks: ['bidirectional', 'freshness'] });
    for (const id of ['write-lands', 'write-idempotent', 'conflict-refused', 'vendor-to-ehr-lag', 'double-booking-race'] as const) {
      const f = run.finding(id);
      expect(f.status, id).toBe('skip');
      expect(f.message, id).toContain('the mapping gives no `book` operation');
    }
    expect(run.finding('patient-matched').status).toBe('skip');
    expect(run.finding('patient-matched').message).toContain('the mapping gives no `registerPatient` operation');
    expect(run.finding('read-through').status).toBe('pass');
    expect(run.finding('ehr-to-vendor-lag').status).toBe('pass');
  }, 60_000);
});

describe('following a pending booking', () => {
  async function bookOne(mapping: string) {
    const connection = restConnection(world, 'athenahealth', mapping);
    const log = createRequestLog();
    const channel = openVendorChannel(connection.vendor, { log, env: {} });
    const window = { start: new Date(Date.now() + 86_400_000).toISOString(), end: new Date(Date.now() + 3 * 86_400_000).toISOString() };
    const [slot] = await searchEhr<{ id: string; start: string; end: string; status: string }>(world.sandbox.fhirBaseUrl, 'Slot', {
      schedule: `Schedule/${world.scheduleId}`, status: 'free', start: `ge${window.start}`,
    });
    const [patient] = await searchEhr<{ id: string }>(world.sandbox.fhirBaseUrl, 'Patient', {});
    const key = `follow-${Math.random().toString(36).slice(2)}`;
    const identifier = `${BOOKING_SYSTEM}|${key}`;
    const appointment = {
      resourceType: 'Appointment' as const,
      status: 'booked' as const,
      slot: [{ reference: `Slot/${slot!.id}` }],
      start: slot!.start,
      end: slot!.end,
      participant: [{ actor: { reference: `Patient/${patient!.id}` }, status: 'accepted' as const }, { actor: { reference: `Schedule/${world.scheduleId}` }, status: 'accepted' as const }],
    };
    const answer = await channel.book(appointment, identifier);
    return { channel, answer, identifier, log };
  }

  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value) || Date.now() > end) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('by webhook alone: queued at first, then the vendor’s own record reads booked, and the channel unregisters its listener when closed', async () => {
    const mapping = files.variant((doc) => {
      delete doc.operations.bookingStatus;
      delete doc.operations.findBooking;
    });
    const { channel, answer, identifier, log } = await bookOne(mapping);
    expect(answer).toMatchObject({ outcome: 'queued', status: 201 });
    expect((await channel.findBooking(identifier))[0]?.status).toBe('pending');
    const after = await until(() => channel.findBooking(identifier), (found) => found[0]?.status === 'booked');
    expect(after[0]?.status).toBe('booked');
    // The EHR holds it: the webhook said so, but the EHR is what is read.
    const held = await searchEhr(world.sandbox.fhirBaseUrl, 'Appointment', { identifier });
    expect(held).toHaveLength(1);
    expect(log.records.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['POST /webhook_endpoints', 'POST /appointments']);
    await channel.close();
    expect(log.records.at(-1)?.method).toBe('DELETE');
  });

  it('by status polls: the vendor’s record follows its status until complete', async () => {
    const mapping = files.variant((doc) => {
      delete doc.operations.webhook;
      delete doc.operations.findBooking;
    });
    const { channel, identifier, log } = await bookOne(mapping);
    const after = await until(() => channel.findBooking(identifier), (found) => found[0]?.status === 'booked');
    expect(after[0]?.status).toBe('booked');
    expect(log.records.some((r) => /\/appointments\/[0-9a-f-]{36}$/.test(new URL(r.url).pathname))).toBe(true);
    await channel.close();
  });
});
