// Cleanup puts every slot the run touched back as it was, and reads it back: on an EHR that derives a slot's
// status from its bookings, on one that takes Slot changes only by patch, and truthfully when it cannot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { FhirClient } from '../../src/http/fhir-client.js';
import { cleanupConnection } from '../../src/safety/cleanup.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { BOOKING_SYSTEM, RUN_TAG, readEhr, searchEhr } from '../bidirectional/world.js';
import { call } from '../sandbox/client.js';

const sandboxes: RunningSandbox[] = [];
afterAll(() => Promise.all(sandboxes.map((s) => s.close())));

async function freeSlots(sandbox: RunningSandbox, count: number): Promise<any[]> {
  const slots = await searchEhr(sandbox.fhirBaseUrl, 'Slot', { schedule: `Schedule/${sandbox.seeded.scheduleIds[0]}`, status: 'free' });
  return slots.slice(-count);
}

describe('on an EHR that derives Slot status from its Appointments', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 5, deriveSlotStatus: true });
    sandboxes.push(sandbox);
  });

  it('reopens a slot the run closed, removes the run’s booking (which frees its slot), and reads both back free', async () => {
    const runId = 'restore-derived';
    const ledger = new MemoryLedger(runId);
    const [closed, booked] = await freeSlots(sandbox, 2);
    const base = sandbox.fhirBaseUrl;
    await ledger.intend({ connection: 'generic', target: 'ehr', action: 'block-slot', resourceType: 'Slot', id: closed.id, slot: { id: closed.id, previousStatus: 'free' } });
    expect((await call(`${base}/Slot/${closed.id}`, { method: 'PUT', body: { ...closed, status: 'busy-unavailable', meta: undefined } })).status).toBe(200);
    const key = `${runId}-booking-1`;
    const seq = await ledger.intend({ connection: 'generic', target: 'vendor', action: 'book', resourceType: 'Appointment', identifier: `${BOOKING_SYSTEM}|${key}`, slot: { id: booked.id, previousStatus: 'free' } });
    const appointment = await call(`${base}/Appointment`, {
      method: 'POST',
      body: {
        resourceType: 'Appointment',
        meta: { tag: [{ system: RUN_TAG, code: runId }] },
        status: 'booked',
        slot: [{ reference: `Slot/${booked.id}` }],
        start: booked.start,
        end: booked.end,
        participant: [{ actor: { reference: `Patient/${sandbox.seeded.patientIds[0]}` }, status: 'accepted' }],
        identifier: [{ system: BOOKING_SYSTEM, value: key }],
      },
    });
    expect(appointment.status).toBe(201);
    await ledger.done(seq, { status: 201 });
    expect((await readEhr(base, 'Slot', booked.id)).status).toBe('busy');

    const ehr = new FhirClient({ baseUrl: base });
    const result = await cleanupConnection(ehr, runId, ledger.entries());
    await ehr.close();
    expect(result.summary.leftover).toEqual([]);
    expect((await readEhr(base, 'Slot', closed.id)).status).toBe('free');
    expect((await readEhr(base, 'Slot', booked.id)).status).toBe('free');
  });
});

describe('on an EHR that changes a Slot only by patch (Oracle-like)', () => {
  it('puts the slot back by JSON patch when the EHR refuses an update, and reads it back', async () => {
    const sandbox = await startSandbox({ flavor: 'oracle', seed: 5 });
    sandboxes.push(sandbox);
    const base = sandbox.fhirBaseUrl;
    const window = `start=ge${new Date().toISOString()}&start=lt${new Date(Date.now() + 14 * 86_400_000).toISOString()}`;
    const slot = (await call(`${base}/Slot?schedule=Schedule/${sandbox.seeded.scheduleIds[0]}&status=free&${window}`)).body.entry[0].resource;
    const ledger = new MemoryLedger('restore-patch');
    await ledger.intend({ connection: 'oracle', target: 'ehr', action: 'block-slot', resourceType: 'Slot', id: slot.id, slot: { id: slot.id, previousStatus: 'free' } });
    const patched = await call(`${base}/Slot/${slot.id}`, { method: 'PATCH', body: [{ op: 'replace', path: '/status', value: 'busy-unavailable' }], headers: { 'content-type': 'application/json-patch+json' } });
    expect(patched.status).toBe(200);
    expect((await call(`${base}/Slot/${slot.id}`, { method: 'PUT', body: { ...slot, status: 'free' } })).status).toBe(405);

    const ehr = new FhirClient({ baseUrl: base });
    const result = await cleanupConnection(ehr, 'restore-patch', ledger.entries());
    await ehr.close();
    expect(result.summary.leftover).toEqual([]);
    expect((await readEhr(base, 'Slot', slot.id)).status).toBe('free');
  });
});
