// The vendor port: answers normalised to outcomes, one adapter per plan `vendor.kind`, and the FHIR adapter
// against reference vendors on loopback (what each one answers decides the outcome, not the test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestLog, FhirClient } from '../../src/http/fhir-client.js';
import { PLAN_SCHEMA } from '../../src/contracts/schemas/plan.js';
import { FhirVendorChannel } from '../../src/vendor/fhir.js';
import { openVendorChannel, VENDOR_ADAPTERS } from '../../src/vendor/index.js';
import { accepted, vendorOutcome } from '../../src/vendor/outcome.js';
import { booking, BOOKING_SYSTEM, ehrPatient, HORIZON, someFreeSlots, staff, startVendorOn, startWorld, type World } from '../vendors/world.js';

describe('vendor outcomes', () => {
  it.each([
    [200, 'confirmed'],
    [201, 'confirmed'],
    [202, 'queued'],
    [400, 'refused'],
    [409, 'refused'],
    [422, 'refused'],
    [302, 'failed'],
    [500, 'failed'],
    [503, 'failed'],
  ] as const)('HTTP %i is %s', (status, outcome) => {
    expect(vendorOutcome(status)).toBe(outcome);
  });

  it('only confirmed and queued writes are accepted', () => {
    expect(['confirmed', 'queued', 'refused', 'failed'].filter((o) => accepted(o as never))).toEqual(['confirmed', 'queued']);
  });
});

describe('one adapter per vendor kind', () => {
  it('the adapters are exactly the plan schema\'s vendor.kind enum', () => {
    const branches = (PLAN_SCHEMA as { properties: { connections: { items: { properties: { vendor: { oneOf: Array<{ properties: { kind: { const: string } } }> } } } } } })
      .properties.connections.items.properties.vendor.oneOf;
    const kinds = branches.map((b) => b.properties.kind.const);
    expect(kinds.length).toBeGreaterThan(0);
    expect(Object.keys(VENDOR_ADAPTERS).sort()).toEqual([...kinds].sort());
  });

  it('opens the channel the kind names, and refuses a kind it has no adapter for', () => {
    const channel = openVendorChannel({ kind: 'fhir', baseUrl: 'http://127.0.0.1:9/fhir', auth: { type: 'none' } }, {});
    expect(channel).toBeInstanceOf(FhirVendorChannel);
    expect(channel.kind).toBe('fhir');
    expect(() => openVendorChannel({ kind: 'links' as never, baseUrl: 'http://127.0.0.1:9/', auth: { type: 'none' } }, {})).toThrow(/vendor\.kind "links" has no adapter/);
  });
});

describe('the FHIR adapter on reference vendors', () => {
  let deep: World;
  let shallow: World;
  let deepChannel: FhirVendorChannel;
  let shallowChannel: FhirVendorChannel;
  beforeAll(async () => {
    deep = await startWorld({ behavior: 'deep' });
    shallow = await startWorld({ behavior: 'shallow', bookingQueueMs: 60_000 }).catch(async (error: unknown) => {
      await deep.close();
      throw error;
    });
    deepChannel = new FhirVendorChannel(new FhirClient({ baseUrl: deep.vendorUrl, log: createRequestLog() }));
    shallowChannel = new FhirVendorChannel(new FhirClient({ baseUrl: shallow.vendorUrl, log: createRequestLog() }));
  });
  afterAll(async () => {
    await Promise.all([deepChannel?.close(), shallowChannel?.close()]);
    await Promise.all([deep?.close(), shallow?.close()]);
  });

  const key = (label: string) => `${BOOKING_SYSTEM}|${label}`;

  it('is live, lists free slots and keeps every request as evidence', async () => {
    const schedule = `Schedule/${deep.sandbox.seeded.scheduleIds[0]}`;
    expect(await deepChannel.liveness(schedule)).toEqual({ ok: true, status: 200 });
    const slots = await deepChannel.freeSlots(schedule, { start: HORIZON.from, end: HORIZON.to });
    expect(slots.length).toBeGreaterThan(0);
    expect(slots.every((s) => s.resourceType === 'Slot' && s.status === 'free')).toBe(true);
    expect(deepChannel.log.records.length).toBeGreaterThanOrEqual(2);
  });

  it('a booking the EHR takes is confirmed, found by its identifier, and a repeat stays one record', async () => {
    const [slot] = await someFreeSlots(deep, 1);
    const patientId = await ehrPatient(deep, 'port-confirmed');
    const body = booking(slot!, patientId, 'port-confirmed');
    const first = await deepChannel.book(body as never, key('port-confirmed'));
    expect(first).toMatchObject({ outcome: 'confirmed', status: 201 });
    expect(first.id).toEqual(expect.any(String));
    expect((await deepChannel.book(body as never, key('port-confirmed'))).outcome).toBe('confirmed');
    expect((await deepChannel.findBooking(key('port-confirmed'))).map((a) => a.id)).toEqual([first.id]);
  });

  it('a booking on a slot the EHR holds busy is refused, with the OperationOutcome kept', async () => {
    const [slot] = await someFreeSlots(deep, 1);
    await staff(deep, 'block', slot!.id);
    const patientId = await ehrPatient(deep, 'port-refused');
    const answer = await deepChannel.book(booking(slot!, patientId, 'port-refused') as never, key('port-refused'));
    expect(answer.outcome).toBe('refused');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.operationOutcome?.resourceType).toBe('OperationOutcome');
    expect(await deepChannel.findBooking(key('port-refused'))).toEqual([]);
  });

  it('a vendor that queues for later entry answers queued, and its own record says so', async () => {
    const [slot] = await someFreeSlots(shallow, 1);
    const patientId = await ehrPatient(shallow, 'port-queued');
    const answer = await shallowChannel.book(booking(slot!, patientId, 'port-queued') as never, key('port-queued'));
    expect(answer).toMatchObject({ outcome: 'queued', status: 202 });
    const records = await shallowChannel.findBooking(key('port-queued'));
    expect(records.map((r) => r.status)).toEqual(['pending']);
  });

  it('registers a patient, matched by identifier', async () => {
    const identifier = 'urn:ehr-check:test-patient|port-registration';
    const patient = { resourceType: 'Patient' as const, identifier: [{ system: 'urn:ehr-check:test-patient', value: 'port-registration' }], name: [{ family: 'Testpatient' }] };
    const first = await deepChannel.registerPatient(patient, identifier);
    expect(first.outcome).toBe('confirmed');
    const again = await deepChannel.registerPatient(patient, identifier);
    expect(again).toMatchObject({ outcome: 'confirmed', id: first.id });
  });

  it('a vendor that refuses the credentials is not live, with the cause', async () => {
    const guarded = await startVendorOn(deep.sandbox, { behavior: 'deep', token: 'port-secret' });
    const channel = new FhirVendorChannel(new FhirClient({ baseUrl: guarded.vendorUrl }));
    try {
      expect(await channel.liveness()).toMatchObject({ ok: false, cause: 'auth', status: 401 });
    } finally {
      await channel.close();
      await guarded.vendor.close();
    }
  });

  it('a vendor that cannot be reached fails liveness by throwing, for connection-live to name the cause', async () => {
    const gone = new FhirVendorChannel(new FhirClient({ baseUrl: 'http://127.0.0.1:9/fhir', connectTimeoutMs: 500, retry: { maxRetries: 0 } }));
    await expect(gone.liveness()).rejects.toThrow();
    await gone.close();
  });
});
