// What every vendor owes its caller whatever the request: FHIR answers, OperationOutcomes for bad input
// (never a crash), a CapabilityStatement, optional bearer auth, and a prompt close().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { startVendor } from '../../fixtures/vendors/index.js';
import { book, booking, BOOKING_SYSTEM, ehrBookings, ehrPatient, fhir, sleep, someFreeSlots, startVendorOn, type World } from './world.js';

describe('vendor facade', () => {
  let sandbox: RunningSandbox;
  let world: World;
  beforeAll(async () => {
    sandbox = await startSandbox({ flavor: 'generic' });
    world = await startVendorOn(sandbox, { behavior: 'deep' });
  });
  afterAll(async () => {
    await world?.close();
    await sandbox?.close();
  });

  it('publishes a FHIR R4 CapabilityStatement at /metadata', async () => {
    const answer = await fhir(`${world.vendorUrl}/metadata`);
    expect(answer.status).toBe(200);
    expect(answer.body.resourceType).toBe('CapabilityStatement');
    expect(answer.body.fhirVersion).toBe('4.0.1');
    const appointment = answer.body.rest[0].resource.find((r: any) => r.type === 'Appointment');
    expect(appointment.conditionalCreate).toBe(true);
  });

  it.each([
    ['invalid JSON', '{not json', {}],
    ['not an Appointment', { resourceType: 'Patient' }, {}],
    ['no slot', { ...booking({ id: 'x', start: '', end: '', status: 'free', resourceType: 'Slot', schedule: { reference: 'Schedule/x' } }, 'p', 'k'), slot: [] }, {}],
    ['no patient', { ...booking({ id: 'x', start: '', end: '', status: 'free', resourceType: 'Slot', schedule: { reference: 'Schedule/x' } }, 'p', 'k'), participant: [] }, {}],
    ['no booking identifier', { ...booking({ id: 'x', start: '', end: '', status: 'free', resourceType: 'Slot', schedule: { reference: 'Schedule/x' } }, 'p', 'k'), identifier: [{ system: 'other', value: 'k' }] }, {}],
    ['If-None-Exist for another KEY', booking({ id: 'x', start: '', end: '', status: 'free', resourceType: 'Slot', schedule: { reference: 'Schedule/x' } }, 'p', 'k'), { 'if-none-exist': `identifier=${BOOKING_SYSTEM}|other` }],
  ])('refuses a booking with %s: 400 OperationOutcome, nothing written', async (_label, body, headers) => {
    const answer = await fhir(`${world.vendorUrl}/Appointment`, { method: 'POST', body, headers });
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it.each([
    ['GET', '/Slot?status=busy', 400],
    ['GET', '/Slot?start=tomorrow', 400],
    ['GET', '/Slot?start=ne2030-01-01', 400],
    ['GET', '/Appointment', 400],
    ['GET', '/Appointment?identifier=urn:other|x', 400],
    ['DELETE', '/Slot', 405],
    ['GET', '/Observation', 404],
    ['GET', '/../../etc/passwd', 404],
  ])('%s %s answers %i with an OperationOutcome', async (method, path, status) => {
    const answer = await fhir(`${world.vendorUrl}${path}`, { method });
    expect(answer.status).toBe(status);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('refuses a Patient registration that is not a Patient, and a body over 1 MiB', async () => {
    expect((await fhir(`${world.vendorUrl}/Patient`, { method: 'POST', body: { resourceType: 'Appointment' } })).status).toBe(400);
    const huge = await fhir(`${world.vendorUrl}/Patient`, { method: 'POST', body: { resourceType: 'Patient', note: 'x'.repeat(1_100_000) } });
    expect(huge.status).toBe(413);
    // ...and is still serving.
    expect((await fhir(`${world.vendorUrl}/metadata`)).status).toBe(200);
  });

  it('answers 422 for a slot the EHR does not have', async () => {
    const patientId = await ehrPatient(world, 'unknown-slot');
    const ghost = { resourceType: 'Slot' as const, id: 'no-such-slot', status: 'free', start: '2030-01-01T10:00:00Z', end: '2030-01-01T10:30:00Z', schedule: { reference: 'Schedule/x' } };
    const answer = await book(world, ghost, patientId, 'unknown-slot');
    expect(answer.status).toBe(422);
    expect(answer.body.resourceType).toBe('OperationOutcome');
  });

  it('requires its bearer token when given one (but not for /metadata)', async () => {
    const guarded = await startVendorOn(sandbox, { behavior: 'deep', token: 'vendor-secret' });
    try {
      expect((await fhir(`${guarded.vendorUrl}/metadata`)).status).toBe(200);
      const refused = await fhir(`${guarded.vendorUrl}/Slot?status=free`);
      expect(refused.status).toBe(401);
      expect(JSON.stringify(refused.body)).not.toContain('vendor-secret');
      const wrong = await fhir(`${guarded.vendorUrl}/Slot?status=free`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const ok = await fhir(`${guarded.vendorUrl}/Slot?schedule=Schedule/${sandbox.seeded.scheduleIds[0]}&status=free`, { headers: { authorization: 'Bearer vendor-secret' } });
      expect(ok.status).toBe(200);
      expect(ok.body.type).toBe('searchset');
    } finally {
      await guarded.close();
    }
  });

  it('only connects to a loopback EHR', async () => {
    await expect(startVendor({ behavior: 'deep', ehrBaseUrl: 'http://example.org/fhir' })).rejects.toThrow(/loopback/);
    await expect(startVendor({ behavior: 'deep', ehrBaseUrl: 'not a url' })).rejects.toThrow(/not a URL/);
  });
});

describe('vendor lifecycle', () => {
  it('close() is prompt with bookings queued, open keep-alive clients and lag timelines, and drops the queue', async () => {
    const sandbox = await startSandbox({ flavor: 'generic' });
    try {
      const shallow = await startVendorOn(sandbox, { behavior: 'shallow', syncIntervalMs: 100, bookingQueueMs: 600 });
      const lagged = await startVendorOn(sandbox, { behavior: 'deep', lagMs: 4_000 });
      const pushed = await startVendorOn(sandbox, { behavior: 'deep', push: true });
      const patientId = await ehrPatient(shallow, 'queued-then-dropped');
      const [slot] = await someFreeSlots(shallow, 1);
      expect((await book(shallow, slot!, patientId, 'dropped')).status).toBe(202);
      await fhir(`${lagged.vendorUrl}/Slot?schedule=Schedule/${sandbox.seeded.scheduleIds[0]}&status=free&start=ge${slot!.start}`);

      const began = Date.now();
      await Promise.all([shallow.close(), lagged.close(), pushed.close()]);
      expect(Date.now() - began).toBeLessThan(2_000);

      await sleep(900); // past the queue delay: the dropped booking never reaches the EHR
      expect(await ehrBookings(shallow, 'dropped')).toHaveLength(0);
      await expect(fhir(`${shallow.vendorUrl}/metadata`)).rejects.toThrow();
      await shallow.close(); // a second close is harmless
    } finally {
      await sandbox.close();
    }
  });

  it('answers 502 with an OperationOutcome when its EHR is gone, and still closes', async () => {
    const sandbox = await startSandbox({ flavor: 'generic' });
    const world = await startVendorOn(sandbox, { behavior: 'deep' });
    const scheduleId = sandbox.seeded.scheduleIds[0];
    await sandbox.close();
    const answer = await fhir(`${world.vendorUrl}/Slot?schedule=Schedule/${scheduleId}&status=free`);
    expect(answer.status).toBe(502);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    await world.close();
  });
});
