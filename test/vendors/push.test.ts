// A push vendor learns about changes from the EHR's rest-hook notifications, and polls slowly when the EHR
// will not take a Subscription.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import type { RunningVendor } from '../../fixtures/vendors/index.js';
import { startEhrProxy, type EhrProxy } from '../helpers/ehr-proxy.js';
import { book, ehrPatient, freeSlots, ids, sleep, someFreeSlots, staff, startVendorOn, waitFor, type Slot, type World } from './world.js';

describe('deep vendor with push', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ flavor: 'generic' });
  });
  afterAll(() => sandbox?.close());

  async function pushWorld(proxy: EhrProxy, fallbackMs: number): Promise<World & { running: RunningVendor }> {
    // syncIntervalMs is the fallback poll: set long, so anything seen sooner came by push.
    const world = await startVendorOn(sandbox, { behavior: 'deep', push: true, syncIntervalMs: fallbackMs }, proxy.fhirBaseUrl);
    return { ...world, running: world.vendor };
  }

  const shows = (world: World, slot: Slot) => async () =>
    ids(await freeSlots(world.vendorUrl, sandbox.seeded.scheduleIds[0]!, slot.start, slot.end)).includes(slot.id);

  it('subscribes, follows blocks, frees and bookings made in the EHR, and unsubscribes on close', async () => {
    const proxy = await startEhrProxy(sandbox.fhirBaseUrl);
    const world = await pushWorld(proxy, 60_000);
    try {
      expect(proxy.seen.filter((s) => s.startsWith('POST') && s.endsWith('/Subscription'))).toHaveLength(2);
      const [slot, other] = await someFreeSlots(world, 2);
      expect(await shows(world, slot!)()).toBe(true);

      await staff(world, 'block', slot!.id);
      expect((await waitFor(shows(world, slot!), (s) => !s, 3_000)).ok).toBe(true);
      await staff(world, 'free', slot!.id);
      expect((await waitFor(shows(world, slot!), (s) => s, 3_000)).ok).toBe(true);

      // A booking made in the EHR itself (an Appointment notification) takes the slot out of the vendor's view.
      const patientId = await ehrPatient(world, 'push-booker');
      const created = await fetch(`${sandbox.fhirBaseUrl}/Appointment`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Appointment',
          status: 'booked',
          slot: [{ reference: `Slot/${other!.id}` }],
          start: other!.start,
          end: other!.end,
          participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
        }),
      });
      expect(created.status).toBe(201);
      expect((await waitFor(shows(world, other!), (s) => !s, 3_000)).ok).toBe(true);
    } finally {
      await world.close();
      await proxy.close();
    }
    expect(proxy.seen.filter((s) => s.startsWith('DELETE /') && s.includes('/Subscription/'))).toHaveLength(2);
  });

  it('books through the EHR as the deep vendor does', async () => {
    const proxy = await startEhrProxy(sandbox.fhirBaseUrl);
    const world = await pushWorld(proxy, 60_000);
    try {
      const patientId = await ehrPatient(world, 'push-direct');
      const [, , slot] = await someFreeSlots(world, 3);
      expect((await book(world, slot!, patientId, 'push-direct')).status).toBe(201);
      expect((await book(world, slot!, patientId, 'push-direct')).status).toBe(200);
      expect((await waitFor(shows(world, slot!), (s) => !s, 3_000)).ok).toBe(true);
    } finally {
      await world.close();
      await proxy.close();
    }
  });

  it('falls back to a slow poll when the EHR refuses the Subscription (405)', async () => {
    const proxy = await startEhrProxy(sandbox.fhirBaseUrl, { refuseSubscriptions: true });
    const world = await pushWorld(proxy, 400);
    try {
      expect(proxy.seen.filter((s) => s.endsWith('/Subscription'))).toEqual([`POST ${new URL(sandbox.fhirBaseUrl).pathname}/Subscription`]);
      const [, , , slot] = await someFreeSlots(world, 4);
      await staff(world, 'block', slot!.id);
      const gone = await waitFor(shows(world, slot!), (s) => !s, 3_000);
      expect(gone.ok).toBe(true);
      await staff(world, 'free', slot!.id);
      await sleep(50);
    } finally {
      await world.close();
      await proxy.close();
    }
  });
});
