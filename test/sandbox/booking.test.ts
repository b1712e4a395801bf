// Scheduling rules of the generic sandbox, over real HTTP: booking marks the slot busy, a busy slot is
// refused with 409, cancelling frees it, conditional create is idempotent, concurrency cannot double-book.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { booking, call, firstFreeSlot } from './client.js';

let sandbox: RunningSandbox;
let base: string;
let patient: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7 });
  base = sandbox.fhirBaseUrl;
  patient = sandbox.seeded.patientIds[0];
});
afterAll(() => sandbox.close());

async function slotStatus(id: string): Promise<string> {
  return (await call(`${base}/Slot/${id}`)).body.status;
}

describe('booking an Appointment on a Slot', () => {
  it('marks a free slot busy in the same step and refuses a second booking with 409', async () => {
    const slot = await firstFreeSlot(base, sandbox.seeded.scheduleIds[0]);
    const first = await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, patient) });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toContain(`/Appointment/${first.body.id}`);
    expect(await slotStatus(slot.id)).toBe('busy');

    const second = await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, sandbox.seeded.patientIds[1]) });
    expect(second.status).toBe(409);
    expect(second.body.resourceType).toBe('OperationOutcome');
    expect(second.body.issue[0].code).toBe('conflict');
    const holders = await call(`${base}/Appointment?slot=Slot/${slot.id}`);
    expect(holders.body.total).toBe(1);
  });

  it('lets exactly one of twenty simultaneous bookings of one free slot through', async () => {
    const slot = await firstFreeSlot(base, sandbox.seeded.scheduleIds[1]);
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, n) => call(`${base}/Appointment`, { method: 'POST', body: booking(slot, sandbox.seeded.patientIds[n % 20]) })),
    );
    const statuses = attempts.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const holders = await call(`${base}/Appointment?slot=Slot/${slot.id}`);
    expect(holders.body.total).toBe(1);
    expect(await slotStatus(slot.id)).toBe('busy');
  });

  it('frees the slot when the booking is cancelled by PUT, by PATCH or by DELETE', async () => {
    for (const how of ['put', 'patch', 'delete'] as const) {
      const slot = await firstFreeSlot(base, sandbox.seeded.scheduleIds[0]);
      const made = await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, patient) });
      expect(made.status).toBe(201);
      expect(await slotStatus(slot.id)).toBe('busy');
      const url = `${base}/Appointment/${made.body.id}`;
      const done =
        how === 'put'
          ? await call(url, { method: 'PUT', body: { ...made.body, status: 'cancelled' } })
          : how === 'patch'
            ? await call(url, { method: 'PATCH', body: [{ op: 'replace', path: '/status', value: 'noshow' }], headers: { 'content-type': 'application/json-patch+json' } })
            : await call(url, { method: 'DELETE' });
      expect(done.status, how).toBe(200);
      expect(await slotStatus(slot.id), how).toBe('free');
    }
  });

  it('refuses to set a held slot free directly (409): the booking must be cancelled', async () => {
    const slot = await firstFreeSlot(base, sandbox.seeded.scheduleIds[3] ?? sandbox.seeded.scheduleIds[0]);
    expect((await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, patient) })).status).toBe(201);
    const busy = (await call(`${base}/Slot/${slot.id}`)).body;
    const freed = await call(`${base}/Slot/${slot.id}`, { method: 'PUT', body: { ...busy, status: 'free' } });
    expect(freed.status).toBe(409);
    expect(await slotStatus(slot.id)).toBe('busy');
  });

  it('refuses an Appointment whose slot does not exist with 422 and an OperationOutcome', async () => {
    const answer = await call(`${base}/Appointment`, { method: 'POST', body: booking({ id: 'no-such-slot', start: '2030-01-01T00:00:00Z', end: '2030-01-01T00:30:00Z' }, patient) });
    expect(answer.status).toBe(422);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('answers a repeated conditional create with 200 and the same Appointment, changing nothing', async () => {
    const slot = await firstFreeSlot(base, sandbox.seeded.scheduleIds[2]);
    const headers = { 'if-none-exist': 'identifier=urn:ehr-check:booking|K-idem-1' };
    const first = await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, patient, 'K-idem-1'), headers });
    expect(first.status).toBe(201);
    const again = await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, patient, 'K-idem-1'), headers });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.meta.versionId).toBe(first.body.meta.versionId);
    const found = await call(`${base}/Appointment?identifier=urn:ehr-check:booking|K-idem-1`);
    expect(found.body.total).toBe(1);
  });

  it('rolls a transaction back when one of its bookings is refused', async () => {
    const free = await firstFreeSlot(base, sandbox.seeded.scheduleIds[0]);
    const busy = (await call(`${base}/Slot?schedule=Schedule/${sandbox.seeded.scheduleIds[0]}&status=busy&_count=1`)).body.entry[0].resource;
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [free, busy].map((slot) => ({ resource: booking(slot, patient), request: { method: 'POST', url: 'Appointment' } })),
    };
    const answer = await call(base, { method: 'POST', body: bundle });
    expect(answer.status).toBe(409);
    expect(await slotStatus(free.id)).toBe('free');
    expect((await call(`${base}/Appointment?slot=Slot/${free.id}&status=booked`)).body.total).toBe(0);
  });
});

describe('overbooking', () => {
  it('keeps both bookings and the slot busy when the sandbox allows it', async () => {
    const lenient = await startSandbox({ seed: 7, allowOverbooking: true });
    try {
      const slot = await firstFreeSlot(lenient.fhirBaseUrl, lenient.seeded.scheduleIds[0]);
      const one = await call(`${lenient.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking(slot, lenient.seeded.patientIds[0]) });
      const two = await call(`${lenient.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking(slot, lenient.seeded.patientIds[1]) });
      expect([one.status, two.status]).toEqual([201, 201]);
      expect((await call(`${lenient.fhirBaseUrl}/Appointment?slot=Slot/${slot.id}`)).body.total).toBe(2);
      await call(`${lenient.fhirBaseUrl}/Appointment/${one.body.id}`, { method: 'DELETE' });
      expect((await call(`${lenient.fhirBaseUrl}/Slot/${slot.id}`)).body.status).toBe('busy');
      await call(`${lenient.fhirBaseUrl}/Appointment/${two.body.id}`, { method: 'DELETE' });
      expect((await call(`${lenient.fhirBaseUrl}/Slot/${slot.id}`)).body.status).toBe('free');
    } finally {
      await lenient.close();
    }
  });
});
