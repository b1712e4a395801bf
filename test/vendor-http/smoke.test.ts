import { afterAll, it } from 'vitest';
import { evaluatePlan, testPlan } from '../helpers/run.js';
import { restConnection, startRestWorld, type RestWorld } from './world.js';

let world: RestWorld;
afterAll(async () => world?.close());
it('smoke', async () => {
  world = await startRestWorld();
  const run = await evaluatePlan(testPlan([restConnection(world)]));
  for (const f of run.findings) console.log(f.id, f.status, f.message);
}, 120_000);
