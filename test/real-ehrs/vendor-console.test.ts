// The reference vendor on an EHR whose FHIR API has no scheduling writes (the `epic` flavor): it reads
// availability and books through the EHR's own console, while its facade (DESIGN §5) stays the same and the
// EHR's FHIR API, the record of truth, shows what it booked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../fixtures/sandbox/index.js';
import type { RunningVendor } from '../../fixtures/vendors/index.js';
import { BOOKING_SYSTEM } from '../helpers/ehr-truth.js';
import { startVendorOn } from '../helpers/world.js';
import { startRealWorld, type RealWorld } from './world.js';

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { accept: 'application/fhir+json', ...(body ? { 'content-type': 'application/fhir+json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const booking = (slot: { id: string; start: string; end: string }, key: string) => ({
  resourceType: 'Appointment',
  status: 'booked',
  slot: [{ reference: `Slot/${slot.id}` }],
  start: slot.start,
  end: slot.end,
  participant: [{ actor: { reference: 'Patient/pt-1-01' }, status: 'accepted' }],
  identifier: [{ system: BOOKING_SYSTEM, value: key }],
});

describe('the deep vendor on the epic flavor', () => {
  let world: RealWorld;
  let sandbox: RunningSandbox;
  let vendor: RunningVendor;
  let schedule: string;

  beforeAll(async () => {
    world = await startRealWorld('epic');
    ({ sandbox, vendor } = world);
    schedule = sandbox.seeded.scheduleIds[0]!;
  }, 30_000);
  afterAll(() => world?.close());

  it('shows the free slots the EHR’s own screens show, though its FHIR API has no Slot', async () => {
    expect((await call('GET', `${sandbox.fhirBaseUrl}/Slot?schedule=Schedule/${schedule}`)).status).toBe(404);
    const console = (await call('GET', `${sandbox.staffUrl}/slots?schedule=${schedule}&status=free`)).body as Array<{ id: string }>;
    const facade = await call('GET', `${vendor.baseUrl}/Slot?schedule=Schedule/${schedule}&status=free`);
    expect(facade.status).toBe(200);
    expect(facade.body.entry.map((e: { resource: { id: string } }) => e.resource.id).sort()).toEqual(console.map((s) => s.id).sort());
  });

  it('books through the console: once, found by FHIR in the EHR, replayed idempotently, refused on a busy slot', async () => {
    const free = (await call('GET', `${sandbox.staffUrl}/slots?schedule=${schedule}&status=free`)).body as Array<{ id: string; start: string; end: string }>;
    const [slot, blocked] = free.slice(-2);
    const identifier = 'urn:ehr-check:booking|console-test-1';
    const first = await call('POST', `${vendor.baseUrl}/Appointment`, booking(slot!, 'console-test-1'), { 'if-none-exist': `identifier=${identifier}` });
    expect(first.status).toBe(201);
    const inEhr = await call('GET', `${sandbox.fhirBaseUrl}/Appointment?identifier=${encodeURIComponent(identifier)}`);
    expect(inEhr.body.entry).toHaveLength(1);
    expect(inEhr.body.entry[0].resource).toMatchObject({ status: 'booked', slot: [{ reference: `Slot/${slot!.id}` }] });
    const replay = await call('POST', `${vendor.baseUrl}/Appointment`, booking(slot!, 'console-test-1'), { 'if-none-exist': `identifier=${identifier}` });
    expect(replay.status).toBe(200);
    expect((await call('GET', `${sandbox.fhirBaseUrl}/Appointment?identifier=${encodeURIComponent(identifier)}`)).body.entry).toHaveLength(1);

    expect((await call('POST', `${sandbox.staffUrl}/slots/${blocked!.id}/block`)).status).toBe(200);
    const refused = await call('POST', `${vendor.baseUrl}/Appointment`, booking(blocked!, 'console-test-2'));
    expect(refused.status).toBe(409);
    expect(refused.body.resourceType).toBe('OperationOutcome');
    expect((await call('GET', `${sandbox.staffUrl}/appointments?slot=${blocked!.id}`)).body).toEqual([]);
  });

  it('without the console, the vendor cannot see availability on this EHR at all', async () => {
    const fhirOnly = await startVendorOn(sandbox, { behavior: 'deep' });
    try {
      expect((await call('GET', `${fhirOnly.baseUrl}/Slot?schedule=Schedule/${schedule}&status=free`)).status).toBe(502);
    } finally {
      await fhirOnly.close();
    }
  });
});
