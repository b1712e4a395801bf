// The staff console (the EHR's own screens): the same scheduling rules and 409s as FHIR booking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { booking, call } from './client.js';

let sandbox: RunningSandbox;
let staff: string;
let base: string;
let scheduleId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 31 });
  ({ staffUrl: staff, fhirBaseUrl: base } = sandbox);
  scheduleId = sandbox.seeded.scheduleIds[0];
});
afterAll(() => sandbox.close());

const freeSlots = async () => (await call(`${staff}/slots?schedule=Schedule/${scheduleId}&status=free`)).body as any[];
const book = (slotId: string, patient: string, identifier?: string) =>
  call(`${staff}/appointments`, { method: 'POST', body: { slot: `Slot/${slotId}`, patient: `Patient/${patient}`, ...(identifier ? { identifier } : {}) } });

describe('staff console', () => {
  it('lists free slots of a schedule as plain JSON', async () => {
    const slots = await freeSlots();
    expect(slots.length).toBeGreaterThan(10);
    expect(slots[0]).toEqual({ id: expect.any(String), schedule: `Schedule/${scheduleId}`, status: 'free', start: expect.any(String), end: expect.any(String) });
    const fhir = (await call(`${base}/Slot?schedule=Schedule/${scheduleId}&status=free&_count=500`)).body;
    expect(fhir.total).toBe(slots.length);
  });

  it('books a free slot (slot busy), refuses a busy one with 409, and cancelling frees it', async () => {
    const [slot] = await freeSlots();
    const made = await book(slot.id, sandbox.seeded.patientIds[0]);
    expect(made.status).toBe(201);
    expect((await call(`${base}/Slot/${slot.id}`)).body.status).toBe('busy');
    const again = await book(slot.id, sandbox.seeded.patientIds[1]);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('conflict');
    const viaFhir = await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, sandbox.seeded.patientIds[2]) });
    expect(viaFhir.status).toBe(409);
    expect((await call(`${staff}/appointments/${made.body.id}/cancel`, { method: 'POST' })).status).toBe(200);
    expect((await call(`${base}/Slot/${slot.id}`)).body.status).toBe('free');
  });

  it('is idempotent on a booking identifier', async () => {
    const [slot] = await freeSlots();
    const first = await book(slot.id, sandbox.seeded.patientIds[0], 'urn:ehr-check:booking|STAFF-1');
    const second = await book(slot.id, sandbox.seeded.patientIds[0], 'urn:ehr-check:booking|STAFF-1');
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
  });

  it('blocks and frees a slot; a blocked slot cannot be booked, a booked slot cannot be blocked', async () => {
    const [slot, other] = await freeSlots();
    expect((await call(`${staff}/slots/${slot.id}/block`, { method: 'POST' })).body.status).toBe('busy-unavailable');
    expect((await call(`${base}/Appointment`, { method: 'POST', body: booking(slot, sandbox.seeded.patientIds[0]) })).status).toBe(409);
    expect((await call(`${staff}/slots/${slot.id}/free`, { method: 'POST' })).body.status).toBe('free');
    expect((await book(other.id, sandbox.seeded.patientIds[0])).status).toBe(201);
    expect((await call(`${staff}/slots/${other.id}/block`, { method: 'POST' })).status).toBe(409);
  });

  it('stamps console bookings as test data, with the run tags it is given', async () => {
    const [slot] = await freeSlots();
    const made = await call(`${staff}/appointments`, {
      method: 'POST',
      body: { slot: `Slot/${slot.id}`, patient: `Patient/${sandbox.seeded.patientIds[3]}`, tags: [{ system: 'urn:ehr-check:run', code: 'run-staff-1' }] },
    });
    expect(made.status).toBe(201);
    const stored = (await call(`${base}/Appointment?_tag=urn:ehr-check:run|run-staff-1`)).body.entry[0].resource;
    expect(stored.id).toBe(made.body.id);
    expect(stored.meta.security).toContainEqual(expect.objectContaining({ code: 'HTEST' }));
  });

  it('answers unknown slots and actions with 404', async () => {
    expect((await call(`${staff}/slots/nope/block`, { method: 'POST' })).status).toBe(404);
    expect((await call(`${staff}/nothing`)).status).toBe(404);
  });
});
