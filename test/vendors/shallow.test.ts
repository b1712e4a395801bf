// The shallow vendor: a synced copy of availability, bookings queued for late "manual re-entry" (202),
// and a new Patient for every registration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  someFreeSlots,
  staff,
  startWorld,
  waitFor,
  type World,
} from './world.js';

describe('shallow vendor (sync 300 ms, queue 500 ms)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'shallow', syncIntervalMs: 300, bookingQueueMs: 500 }, { allowOverbooking: true });
  });
  afterAll(() => world?.close());

  it('answers 202; the Appointment reaches the EHR only after the queue delay', async () => {
    const patientId = await ehrPatient(world, 'shallow-booker');
    const [slot] = await someFreeSlots(world, 1);
    const sentAt = Date.now();
    const answer = await book(world, slot!, patientId, 'shallow-queued');
    expect(answer.status).toBe(202);
    expect(answer.body.resourceType).toBe('Appointment');
    expect(await ehrBookings(world, 'shallow-queued')).toHaveLength(0);

    const own = await fhir(`${world.vendorUrl}/Appointment?identifier=${encodeURIComponent(`${BOOKING_SYSTEM}|shallow-queued`)}`);
    expect(entries(own.body).map((a: any) => a.status)).toEqual(['pending']);

    const landed = await waitFor(() => ehrBookings(world, 'shallow-queued'), (found) => found.length === 1, 5_000);
    expect(landed.ok).toBe(true);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(450);
    const after = await fhir(`${world.vendorUrl}/Appointment?identifier=${encodeURIComponent(`${BOOKING_SYSTEM}|shallow-queued`)}`);
    expect(entries(after.body).map((a: any) => a.id)).toEqual([landed.value[0].id]);
  });

  it('queues a replayed KEY again, so the EHR ends up with two Appointments (when it accepts overbooking)', async () => {
    const patientId = await ehrPatient(world, 'shallow-replayer');
    const [, slot] = await someFreeSlots(world, 2);
    expect((await book(world, slot!, patientId, 'shallow-twice')).status).toBe(202);
    expect((await book(world, slot!, patientId, 'shallow-twice')).status).toBe(202);
    const landed = await waitFor(() => ehrBookings(world, 'shallow-twice'), (found) => found.length >= 2, 5_000);
    expect(landed.value).toHaveLength(2);
  });

  it('creates a new Patient even when the EHR already has one', async () => {
    await ehrPatient(world, 'shallow-known');
    const answer = await fhir(`${world.vendorUrl}/Patient`, {
      method: 'POST',
      body: patient('shallow-known'),
      headers: { 'if-none-exist': 'identifier=urn:ehr-check:test-patient|shallow-known' },
    });
    expect(answer.status).toBe(201);
    expect(await ehrPatients(world, 'shallow-known')).toHaveLength(2);
  });

  it('catches up with changes in the EHR at its next syncs', async () => {
    const [, , slot] = await someFreeSlots(world, 3);
    const scheduleId = world.sandbox.seeded.scheduleIds[0]!;
    const shows = async () => ids(await freeSlots(world.vendorUrl, scheduleId, slot!.start, slot!.end)).includes(slot!.id);
    await staff(world, 'block', slot!.id);
    const gone = await waitFor(shows, (s) => !s, 3_000, 20);
    expect(gone.ok).toBe(true);
    await staff(world, 'free', slot!.id);
    const back = await waitFor(shows, (s) => s, 3_000, 20);
    expect(back.ok).toBe(true);
  });
});
