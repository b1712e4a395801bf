// The sandbox option of an EHR that derives Slot status from Appointments: `busy` only while a booking holds the
// slot, whatever a client writes; a slot closed by staff (`busy-unavailable`) stays closed. Real HTTP on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { booking, call, firstFreeSlot } from './client.js';

let derived: RunningSandbox;
let plain: RunningSandbox;

beforeAll(async () => {
  [derived, plain] = await Promise.all([startSandbox({ seed: 11, deriveSlotStatus: true }), startSandbox({ seed: 11 })]);
});
afterAll(() => Promise.all([derived?.close(), plain?.close()]));

const slotStatus = async (sandbox: RunningSandbox, id: string): Promise<string> => (await call(`${sandbox.fhirBaseUrl}/Slot/${id}`)).body.status;
const freeSlot = (sandbox: RunningSandbox, schedule = 0) => firstFreeSlot(sandbox.fhirBaseUrl, sandbox.seeded.scheduleIds[schedule]!);
const putStatus = (sandbox: RunningSandbox, slot: { id: string }, status: string) =>
  call(`${sandbox.fhirBaseUrl}/Slot/${slot.id}`, { method: 'PUT', body: { ...slot, status, meta: undefined } });

describe('an EHR that derives Slot status from its Appointments', () => {
  it('answers a write of `busy` on a slot nothing holds with 2xx, and the slot stays free', async () => {
    const slot = await freeSlot(derived);
    const written = await putStatus(derived, slot, 'busy');
    expect(written.status).toBe(200);
    expect(await slotStatus(derived, slot.id)).toBe('free');
    const search = await call(`${derived.fhirBaseUrl}/Slot?_id=${slot.id}&status=free`);
    expect(search.body.total).toBe(1);
  });

  it('keeps a slot closed by staff (`busy-unavailable`), and refuses bookings on it until it is freed', async () => {
    const slot = await freeSlot(derived);
    expect((await putStatus(derived, slot, 'busy-unavailable')).status).toBe(200);
    expect(await slotStatus(derived, slot.id)).toBe('busy-unavailable');
    const refused = await call(`${derived.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking(slot, derived.seeded.patientIds[0]!) });
    expect(refused.status).toBe(409);
    const current = (await call(`${derived.fhirBaseUrl}/Slot/${slot.id}`)).body;
    expect((await putStatus(derived, current, 'free')).status).toBe(200);
    expect(await slotStatus(derived, slot.id)).toBe('free');
  });

  it('makes a slot busy by booking it, keeps it busy against a write of `free`, and frees it on cancel', async () => {
    const slot = await freeSlot(derived, 1);
    const made = await call(`${derived.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking(slot, derived.seeded.patientIds[1]!) });
    expect(made.status).toBe(201);
    expect(await slotStatus(derived, slot.id)).toBe('busy');
    const current = (await call(`${derived.fhirBaseUrl}/Slot/${slot.id}`)).body;
    expect((await putStatus(derived, current, 'free')).status).toBe(200);
    expect(await slotStatus(derived, slot.id)).toBe('busy');
    const cancelled = await call(`${derived.fhirBaseUrl}/Appointment/${made.body.id}`, { method: 'PUT', body: { ...made.body, status: 'cancelled' } });
    expect(cancelled.status).toBe(200);
    expect(await slotStatus(derived, slot.id)).toBe('free');
  });

  it('staff closing and reopening a slot in the console works the same way', async () => {
    const slot = await freeSlot(derived, 2);
    const closed = await call(`${derived.staffUrl}/slots/${slot.id}/block`, { method: 'POST' });
    expect(closed.status).toBe(200);
    expect(await slotStatus(derived, slot.id)).toBe('busy-unavailable');
    expect((await call(`${derived.staffUrl}/slots/${slot.id}/free`, { method: 'POST' })).status).toBe(200);
    expect(await slotStatus(derived, slot.id)).toBe('free');
  });

  it('differs from the plain sandbox, which stores `busy` as written and refuses to free a held slot', async () => {
    const slot = await freeSlot(plain);
    expect((await putStatus(plain, slot, 'busy')).status).toBe(200);
    expect(await slotStatus(plain, slot.id)).toBe('busy');
    const other = await freeSlot(plain, 1);
    const made = await call(`${plain.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking(other, plain.seeded.patientIds[0]!) });
    expect(made.status).toBe(201);
    const current = (await call(`${plain.fhirBaseUrl}/Slot/${other.id}`)).body;
    expect((await putStatus(plain, current, 'free')).status).toBe(409);
  });
});
