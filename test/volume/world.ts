// A sandbox EHR and a reference vendor, with a plan that lists the volume check: the one world every volume test
// starts from. Verdicts come from the runner; the EHR is read back here with plain fetch, as the oracle.
import type { SandboxOptions } from '../../fixtures/sandbox/index.js';
import type { LoadedPlan, Plan } from '../../src/model/plan.js';
import { searchEhr, RUN_TAG } from '../helpers/ehr-truth.js';
import { testPlan, worldConnection } from '../helpers/run.js';
import { startWorld, type VendorSpec, type World } from '../helpers/world.js';

export type VolumePlan = NonNullable<Plan['checks']['volume']>;

/** A small burst by default: enough for a retry to race its first request, quick on two shared cores. */
export const SMALL_BURST: VolumePlan = { weight: 20, bookings: 12, concurrency: 6, retryShare: 0.5 };

export function startVolumeWorld(vendor: VendorSpec, sandbox: SandboxOptions = {}): Promise<World> {
  return startWorld({ vendor, sandbox });
}

/** The world's plan, listing the volume check (or not, with `volume: null`). */
export function volumePlan(world: World, volume: Partial<VolumePlan> | null = {}, options: { sandbox?: boolean } = {}): LoadedPlan {
  const loaded = testPlan([worldConnection(world, 'epic', options)], { freshness: { trials: 1, timeoutSeconds: 3, realTimeSeconds: 1, nearRealTimeSeconds: 2 } });
  if (volume) loaded.plan.checks.volume = { ...SMALL_BURST, ...volume };
  return loaded;
}

/** Active Appointments carrying the run's tag: what the run (or the vendor for it) booked and has not undone. */
export async function activeTagged(world: World, runId: string): Promise<Array<{ id: string; status: string }>> {
  const found = await searchEhr<{ id: string; status: string }>(world.sandbox.fhirBaseUrl, 'Appointment', { _tag: `${RUN_TAG}|${runId}` });
  return found.filter((a) => !['cancelled', 'entered-in-error'].includes(a.status));
}
