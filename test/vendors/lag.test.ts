// A deep vendor with a known lag shows an EHR change only after that lag (loose bounds here: the precise
// recovery of 0 / 1.5 s / 4 s is measured in the bench).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeSlots, ids, someFreeSlots, staff, startWorld, waitFor, type Slot, type World } from './world.js';

describe('deep vendor with lagMs: 1500', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ behavior: 'deep', lagMs: 1500 });
  });
  afterAll(() => world?.close());

  const vendorShows = async (slot: Slot) =>
    ids(await freeSlots(world.vendorUrl, world.sandbox.seeded.scheduleIds[0]!, slot.start, slot.end)).includes(slot.id);

  it('shows a slot blocked in the EHR only after about 1.5 s, and a freed one likewise', async () => {
    const [slot] = await someFreeSlots(world, 1);
    expect(await vendorShows(slot!)).toBe(true); // the question is asked before the change, as a probe does

    const blockedAt = Date.now();
    await staff(world, 'block', slot!.id);
    const gone = await waitFor(() => vendorShows(slot!), (shows) => !shows, 6_000, 40);
    expect(gone.ok).toBe(true);
    const hiddenAfter = Date.now() - blockedAt;
    expect(hiddenAfter).toBeGreaterThanOrEqual(1_400);
    expect(hiddenAfter).toBeLessThan(4_000);

    const freedAt = Date.now();
    await staff(world, 'free', slot!.id);
    const back = await waitFor(() => vendorShows(slot!), (shows) => shows, 6_000, 40);
    expect(back.ok).toBe(true);
    const shownAfter = Date.now() - freedAt;
    expect(shownAfter).toBeGreaterThanOrEqual(1_400);
    expect(shownAfter).toBeLessThan(4_000);
  });

  it('answers a new question from a fresh read (its timeline starts when first asked)', async () => {
    const [, slot] = await someFreeSlots(world, 2);
    const ehr = await freeSlots(world.ehrUrl, world.sandbox.seeded.scheduleIds[0]!, slot!.start, slot!.end);
    const vendor = await freeSlots(world.vendorUrl, world.sandbox.seeded.scheduleIds[0]!, slot!.start, slot!.end);
    expect(ids(vendor)).toEqual(ids(ehr));
  });
});
