// The deep vendor on an EHR that accepts overbooking: when the EHR gives the slot away between the vendor's
// check and its write, the vendor withdraws its booking and refuses, so the EHR never holds two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../fixtures/sandbox/index.js';
import type { ProxyOptions } from '../helpers/ehr-proxy.js';
import { book, ehrBookings, ehrPatient, entries, fhir, someFreeSlots, startWorld, type World } from './world.js';

describe('deep vendor, slot taken in the EHR mid-booking (overbooking EHR)', () => {
  let world: World;
  let takeSlot: string | undefined;

  beforeAll(async () => {
    // Just before the vendor's write reaches the EHR, a staff member books the same slot at the EHR's desk.
    const takenAtTheDesk = (sandbox: RunningSandbox): ProxyOptions => ({
      beforeForward: async (method, path) => {
        if (method !== 'POST' || !path.endsWith('/Appointment') || !takeSlot) return;
        const slot = takeSlot;
        takeSlot = undefined;
        const patients = sandbox.seeded.patientIds;
        const res = await fetch(`${sandbox.staffUrl}/appointments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ slot: `Slot/${slot}`, patient: `Patient/${patients[0]}` }),
        });
        await res.text();
        if (res.status !== 201) throw new Error(`staff booking answered ${res.status}`);
      },
    });
    world = await startWorld({ behavior: 'deep' }, { seed: 3, allowOverbooking: true }, takenAtTheDesk);
  });

  afterAll(() => world?.close());

  it('withdraws its booking and answers 409; the EHR holds only the staff booking', async () => {
    const patientId = await ehrPatient(world, 'race-verify');
    const [slot] = await someFreeSlots(world, 1);
    takeSlot = slot!.id;
    const answer = await book(world, slot!, patientId, 'race-verify');
    expect(answer.status).toBe(409);
    expect((await ehrBookings(world, 'race-verify')).filter((a) => a.status !== 'cancelled')).toHaveLength(0);
    const onSlot = entries((await fhir(`${world.ehrUrl}/Appointment?slot=Slot/${slot!.id}`)).body).filter((a: any) => a.status === 'booked');
    expect(onSlot).toHaveLength(1);
  });

  it('keeps a booking nobody raced', async () => {
    const patientId = await ehrPatient(world, 'no-race');
    const [, slot] = await someFreeSlots(world, 2);
    const answer = await book(world, slot!, patientId, 'no-race');
    expect(answer.status).toBe(201);
    expect(await ehrBookings(world, 'no-race')).toHaveLength(1);
  });
});
