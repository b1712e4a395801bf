// Each deliberate fault does what it says, so the check it targets has a vendor that fails it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import {
  book,
  BOOKING_SYSTEM,
  ehrBookings,
  ehrPatient,
  ehrPatients,
  entries,
  fhir,
  freeSlots,
  ids,
  patient,
  sleep,
  someFreeSlots,
  staff,
  startVendorOn,
  type World,
} from './world.js';

describe('vendor faults', () => {
  let strict: RunningSandbox;
  let lenient: RunningSandbox;
  const opened: World[] = [];
  const vendor = async (sandbox: RunningSandbox, options: Parameters<typeof startVendorOn>[1]) => {
    const world = await startVendorOn(sandbox, options);
    opened.push(world);
    return world;
  };

  beforeAll(async () => {
    [strict, lenient] = await Promise.all([startSandbox({ flavor: 'generic' }), startSandbox({ flavor: 'generic', allowOverbooking: true })]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((w) => w.close()));
    await Promise.all([strict?.close(), lenient?.close()]);
  });

  it('confirm-without-write: answers 201 with an Appointment, and the EHR holds nothing', async () => {
    const world = await vendor(strict, { behavior: 'deep', faults: ['confirm-without-write'] });
    const patientId = await ehrPatient(world, 'fault-unwritten');
    const [slot] = await someFreeSlots(world, 1);
    const answer = await book(world, slot!, patientId, 'fault-unwritten');
    expect(answer.status).toBe(201);
    expect(answer.body.resourceType).toBe('Appointment');
    expect(answer.body.status).toBe('booked');
    expect(await ehrBookings(world, 'fault-unwritten')).toHaveLength(0);
    // The vendor believes its own story.
    const own = await fhir(`${world.vendorUrl}/Appointment?identifier=${encodeURIComponent(`${BOOKING_SYSTEM}|fault-unwritten`)}`);
    expect(entries(own.body).map((a: any) => a.id)).toEqual([answer.body.id]);
  });

  it('confirm-without-write on shallow: 201 at once, never queued', async () => {
    const world = await vendor(strict, { behavior: 'shallow', bookingQueueMs: 100, faults: ['confirm-without-write'] });
    const patientId = await ehrPatient(world, 'fault-unwritten-shallow');
    const [, slot] = await someFreeSlots(world, 2);
    expect((await book(world, slot!, patientId, 'fault-unwritten-shallow')).status).toBe(201);
    await sleep(400);
    expect(await ehrBookings(world, 'fault-unwritten-shallow')).toHaveLength(0);
  });

  it('write-twice: one booking becomes two Appointments in an EHR that accepts overbooking', async () => {
    const world = await vendor(lenient, { behavior: 'deep', faults: ['write-twice'] });
    const patientId = await ehrPatient(world, 'fault-twice');
    const [slot] = await someFreeSlots(world, 1);
    expect((await book(world, slot!, patientId, 'fault-twice')).status).toBe(201);
    expect(await ehrBookings(world, 'fault-twice')).toHaveLength(2);
  });

  it('frozen: availability never moves after start-up', async () => {
    const world = await vendor(strict, { behavior: 'deep', faults: ['frozen'] });
    const [, , slot] = await someFreeSlots(world, 3);
    const scheduleId = strict.seeded.scheduleIds[0]!;
    await staff(world, 'block', slot!.id);
    await sleep(500);
    expect(ids(await freeSlots(world.vendorUrl, scheduleId, slot!.start, slot!.end))).toContain(slot!.id);
    expect(ids(await freeSlots(world.ehrUrl, scheduleId, slot!.start, slot!.end))).not.toContain(slot!.id);
    await staff(world, 'free', slot!.id);
  });

  it('frozen on shallow: even a short sync interval changes nothing', async () => {
    const world = await vendor(strict, { behavior: 'shallow', syncIntervalMs: 50, faults: ['frozen'] });
    const [, , , slot] = await someFreeSlots(world, 4);
    await staff(world, 'block', slot!.id);
    await sleep(400);
    expect(ids(await freeSlots(world.vendorUrl, strict.seeded.scheduleIds[0]!, slot!.start, slot!.end))).toContain(slot!.id);
    await staff(world, 'free', slot!.id);
  });

  it('ignore-conflicts: a busy slot is "booked" (201) though the EHR refused and holds nothing', async () => {
    const world = await vendor(strict, { behavior: 'deep', faults: ['ignore-conflicts'] });
    const patientId = await ehrPatient(world, 'fault-conflict');
    const [, , , , slot] = await someFreeSlots(world, 5);
    await staff(world, 'block', slot!.id);
    const answer = await book(world, slot!, patientId, 'fault-conflict');
    expect(answer.status).toBe(201);
    expect(await ehrBookings(world, 'fault-conflict')).toHaveLength(0);
    await staff(world, 'free', slot!.id);
  });

  it('ignore-conflicts on batch: the EHR refusal is reported as booked', async () => {
    const world = await vendor(strict, { behavior: 'batch', syncIntervalMs: 60_000, faults: ['ignore-conflicts'] });
    const patientId = await ehrPatient(world, 'fault-conflict-batch');
    const [, , , , , slot] = await someFreeSlots(world, 6);
    await staff(world, 'block', slot!.id);
    expect((await book(world, slot!, patientId, 'fault-conflict-batch')).status).toBe(201);
    expect(await ehrBookings(world, 'fault-conflict-batch')).toHaveLength(0);
    await staff(world, 'free', slot!.id);
  });

  it('duplicate-patients: a patient the EHR already has is created again', async () => {
    const world = await vendor(strict, { behavior: 'deep', faults: ['duplicate-patients'] });
    await ehrPatient(world, 'fault-known');
    const answer = await fhir(`${world.vendorUrl}/Patient`, {
      method: 'POST',
      body: patient('fault-known'),
      headers: { 'if-none-exist': 'identifier=urn:ehr-check:test-patient|fault-known' },
    });
    expect(answer.status).toBe(201);
    expect(await ehrPatients(world, 'fault-known')).toHaveLength(2);
  });

  it('faults combine: confirm-without-write and duplicate-patients on batch', async () => {
    const world = await vendor(strict, { behavior: 'batch', faults: ['confirm-without-write', 'duplicate-patients'] });
    expect(world.vendor.name).toContain('confirm-without-write');
    const patientId = await ehrPatient(world, 'fault-combo');
    const [, , , , , , slot] = await someFreeSlots(world, 7);
    expect((await book(world, slot!, patientId, 'fault-combo')).status).toBe(201);
    expect(await ehrBookings(world, 'fault-combo')).toHaveLength(0);
    const answer = await fhir(`${world.vendorUrl}/Patient`, {
      method: 'POST',
      body: patient('fault-combo'),
      headers: { 'if-none-exist': 'identifier=urn:ehr-check:test-patient|fault-combo' },
    });
    expect(answer.status).toBe(201);
    expect(await ehrPatients(world, 'fault-combo')).toHaveLength(2);
  });
});
