// The batch vendor: a slow synced copy, direct writes without idempotency, checked only against its copy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  book,
  ehrBookings,
  ehrPatient,
  ehrPatients,
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

describe('batch vendor on an EHR that accepts overbooking (sync 300 ms)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'batch', syncIntervalMs: 300 }, { allowOverbooking: true });
  });
  afterAll(() => world?.close());

  it('writes two Appointments for one KEY sent twice', async () => {
    const patientId = await ehrPatient(world, 'batch-booker');
    const [slot] = await someFreeSlots(world, 1);
    const first = await book(world, slot!, patientId, 'batch-twice');
    expect(first.status).toBe(201);
    expect(await ehrBookings(world, 'batch-twice')).toHaveLength(1);
    const second = await book(world, slot!, patientId, 'batch-twice');
    expect(second.status).toBe(201);
    expect(await ehrBookings(world, 'batch-twice')).toHaveLength(2);
  });

  it('refuses, from its own copy, a slot its last sync saw busy', async () => {
    const patientId = await ehrPatient(world, 'batch-cached');
    const [, slot] = await someFreeSlots(world, 2);
    await staff(world, 'block', slot!.id);
    const scheduleId = world.sandbox.seeded.scheduleIds[0]!;
    const synced = await waitFor(
      async () => ids(await freeSlots(world.vendorUrl, scheduleId, slot!.start, slot!.end)),
      (seen) => !seen.includes(slot!.id),
      3_000,
    );
    expect(synced.ok).toBe(true);
    const answer = await book(world, slot!, patientId, 'batch-cached');
    expect(answer.status).toBe(409);
    expect(await ehrBookings(world, 'batch-cached')).toHaveLength(0);
    await staff(world, 'free', slot!.id);
  });

  it('matches an existing patient', async () => {
    const existing = await ehrPatient(world, 'batch-known');
    const answer = await fhir(`${world.vendorUrl}/Patient`, {
      method: 'POST',
      body: patient('batch-known'),
      headers: { 'if-none-exist': 'identifier=urn:ehr-check:test-patient|batch-known' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(existing);
    expect(await ehrPatients(world, 'batch-known')).toHaveLength(1);
  });
});

describe('batch vendor on a strict EHR (sync 30 s)', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'batch', syncIntervalMs: 30_000 });
  });
  afterAll(() => world?.close());

  it('keeps offering a slot blocked since its last sync, and confirms a booking the EHR refused', async () => {
    const patientId = await ehrPatient(world, 'batch-stale');
    const [slot] = await someFreeSlots(world, 1);
    await staff(world, 'block', slot!.id);
    const scheduleId = world.sandbox.seeded.scheduleIds[0]!;
    expect(ids(await freeSlots(world.vendorUrl, scheduleId, slot!.start, slot!.end))).toContain(slot!.id);
    const answer = await book(world, slot!, patientId, 'batch-stale');
    // Its copy showed the slot free, so it tells the caller "booked"; the EHR holds nothing.
    expect(answer.status).toBe(201);
    expect(await ehrBookings(world, 'batch-stale')).toHaveLength(0);
    await staff(world, 'free', slot!.id);
  });
});
