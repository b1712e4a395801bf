// The deep vendor reads availability live, books with conditional create, refuses busy slots and matches
// patients: every verdict read back from the EHR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  book,
  BOOKING_SYSTEM,
  ehrBookings,
  ehrPatient,
  ehrPatients,
  ehrSlot,
  entries,
  fhir,
  freeSlots,
  HORIZON,
  ids,
  patient,
  someFreeSlots,
  staff,
  startWorld,
  type World,
} from './world.js';

describe('deep vendor', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'deep' });
  });
  afterAll(() => world?.close());

  it('lists exactly the EHR free slots, across schedules and windows', async () => {
    for (const scheduleId of world.sandbox.seeded.scheduleIds) {
      const ehr = await freeSlots(world.ehrUrl, scheduleId, HORIZON.from, HORIZON.to);
      const vendor = await freeSlots(world.vendorUrl, scheduleId, HORIZON.from, HORIZON.to);
      expect(ehr.length).toBeGreaterThan(0);
      expect(ids(vendor)).toEqual(ids(ehr));
    }
    const [a, b] = await someFreeSlots(world, 2);
    const narrowEhr = await freeSlots(world.ehrUrl, world.sandbox.seeded.scheduleIds[0]!, a!.start, b!.start);
    const narrowVendor = await freeSlots(world.vendorUrl, world.sandbox.seeded.scheduleIds[0]!, a!.start, b!.start);
    expect(ids(narrowVendor)).toEqual(ids(narrowEhr));
    expect(ids(narrowVendor)).toContain(a!.id);
    expect(ids(narrowVendor)).not.toContain(b!.id);
  });

  it('sees a slot blocked in the EHR at once (it reads live)', async () => {
    const [slot] = await someFreeSlots(world, 1);
    await staff(world, 'block', slot!.id);
    const seen = await freeSlots(world.vendorUrl, world.sandbox.seeded.scheduleIds[0]!, slot!.start, slot!.end);
    expect(ids(seen)).not.toContain(slot!.id);
    await staff(world, 'free', slot!.id);
    const again = await freeSlots(world.vendorUrl, world.sandbox.seeded.scheduleIds[0]!, slot!.start, slot!.end);
    expect(ids(again)).toContain(slot!.id);
  });

  it('books once; a replay of the KEY answers 200 and leaves one Appointment in the EHR', async () => {
    const patientId = await ehrPatient(world, 'deep-booker');
    const [, , slot] = await someFreeSlots(world, 3);
    const key = 'deep-once';
    const first = await book(world, slot!, patientId, key);
    expect(first.status).toBe(201);
    expect(first.body.resourceType).toBe('Appointment');
    expect(first.location).toBe(`${world.vendorUrl}/Appointment/${first.body.id}`);

    const inEhr = await ehrBookings(world, key);
    expect(inEhr).toHaveLength(1);
    expect(inEhr[0].id).toBe(first.body.id);
    expect(inEhr[0].slot[0].reference).toBe(`Slot/${slot!.id}`);
    expect(inEhr[0].participant.map((p: any) => p.actor.reference)).toContain(`Patient/${patientId}`);
    // What the caller sent survives: the run tag and the HTEST label travel with the booking.
    expect(inEhr[0].meta.tag).toContainEqual({ system: 'urn:ehr-check:run', code: 'vendor-test' });
    expect(inEhr[0].meta.security.map((s: any) => s.code)).toContain('HTEST');
    expect((await ehrSlot(world, slot!.id)).status).toBe('busy');

    const replay = await book(world, slot!, patientId, key);
    expect(replay.status).toBe(200);
    expect(replay.body.id).toBe(first.body.id);
    expect(await ehrBookings(world, key)).toHaveLength(1);

    const record = await fhir(`${world.vendorUrl}/Appointment?identifier=${encodeURIComponent(`${BOOKING_SYSTEM}|${key}`)}`);
    expect(record.status).toBe(200);
    expect(entries(record.body).map((a: any) => a.id)).toEqual([first.body.id]);
  });

  it('refuses a slot that is busy in the EHR with 409 and writes nothing', async () => {
    const patientId = await ehrPatient(world, 'deep-conflict');
    const [, , , slot] = await someFreeSlots(world, 4);
    await staff(world, 'block', slot!.id);
    const answer = await book(world, slot!, patientId, 'deep-conflict');
    expect(answer.status).toBe(409);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(await ehrBookings(world, 'deep-conflict')).toHaveLength(0);
    await staff(world, 'free', slot!.id);
  });

  it('matches a patient the EHR already has instead of creating a second one', async () => {
    const existing = await ehrPatient(world, 'deep-known');
    const answer = await fhir(`${world.vendorUrl}/Patient`, {
      method: 'POST',
      body: patient('deep-known'),
      headers: { 'if-none-exist': `identifier=urn:ehr-check:test-patient|deep-known` },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(existing);
    expect(await ehrPatients(world, 'deep-known')).toHaveLength(1);

    const fresh = await fhir(`${world.vendorUrl}/Patient`, {
      method: 'POST',
      body: patient('deep-new'),
      headers: { 'if-none-exist': `identifier=urn:ehr-check:test-patient|deep-new` },
    });
    expect(fresh.status).toBe(201);
    expect(await ehrPatients(world, 'deep-new')).toHaveLength(1);
  });
});
