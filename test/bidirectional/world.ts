// One EHR sandbox and one reference vendor on loopback (the shared test world), the plan ehr-check would be
// given for them, and an evaluation of it through the runner. What the EHR holds is read with plain fetch
// (test/helpers/ehr-truth.ts), independent of the product's own FHIR client.
import type { RunningSandbox, SandboxOptions } from '../../fixtures/sandbox/index.js';
import type { CertificationRegistry, LoadedPlan, Manifest } from '../../src/model/plan.js';
import type { CheckId } from '../../src/model/report.js';
import { searchEhr } from '../helpers/ehr-truth.js';
import { evaluatePlan, newRunId, testPlan, worldConnection, type Evaluation } from '../helpers/run.js';
import { startWorld as startTestWorld, type World, type WorldOptions } from '../helpers/world.js';

export { BOOKING_SYSTEM, readEhr, RUN_TAG, runBookings, searchEhr, slotStatuses, staff, taggedWithRun } from '../helpers/ehr-truth.js';
export type { Evaluation } from '../helpers/run.js';
export { closedPortUrl, type World } from '../helpers/world.js';

/** `beforeVendor` runs on the sandbox before the vendor starts (and takes its first look at the EHR). */
export function startWorld(vendor: WorldOptions['vendor'], sandbox: SandboxOptions = {}, beforeVendor?: (sandbox: RunningSandbox) => Promise<void>): Promise<World> {
  return startTestWorld({ vendor, sandbox, ...(beforeVendor && { beforeVendor }) });
}

export interface PlanOptions {
  /** The plan's `sandbox:` flag for the EHR (default true). */
  sandbox?: boolean;
  /** The buyer's sites' systems (default: the connection's system). */
  sites?: string[];
  system?: string;
  vendorName?: string;
  manifest?: Manifest;
  registry?: CertificationRegistry;
  /** Overrides for the URLs, e.g. a closed port to make the connection not live. */
  ehrBaseUrl?: string;
  vendorBaseUrl?: string;
  /** Freshness timeout: the runner also waits this long (at most) for a 202-queued booking. */
  timeoutSeconds?: number;
}

export function planFor(world: World, options: PlanOptions = {}): LoadedPlan {
  const system = options.system ?? 'epic';
  const timeoutSeconds = options.timeoutSeconds ?? 4;
  const loaded = testPlan([worldConnection(world, system, options)], {
    buyer: { name: 'Test Buyer', sites: (options.sites ?? [system]).map((s, i) => ({ name: `Site ${i + 1}`, system: s })) },
    ...(options.vendorName && { vendorName: options.vendorName }),
    freshness: { trials: 1, timeoutSeconds, realTimeSeconds: Math.min(1, timeoutSeconds), nearRealTimeSeconds: timeoutSeconds },
  });
  return { ...loaded, manifest: options.manifest, registry: options.registry };
}

/** One evaluation through the runner: the bidirectional check alone and writes allowed, unless told otherwise. */
export function evaluateOnce(loaded: LoadedPlan, options: { allowWrites?: boolean; checks?: CheckId[] } = {}): Promise<Evaluation> {
  return evaluatePlan(loaded, { runId: newRunId('bidi'), checks: options.checks ?? ['bidirectional'], allowWrites: options.allowWrites ?? true });
}

/** Free slots of the schedule the probes use (the first seeded one) in a window, as the EHR holds them. */
export async function ehrFreeSlotIds(sandbox: RunningSandbox, window: { start: string; end: string }): Promise<string[]> {
  const slots = await searchEhr<{ id: string; status: string; start: string }>(sandbox.fhirBaseUrl, 'Slot', {
    schedule: `Schedule/${sandbox.seeded.scheduleIds[0]}`,
    status: 'free',
    start: `ge${window.start}`,
  });
  const end = Date.parse(window.end);
  return slots.filter((s) => s.status === 'free' && Date.parse(s.start) < end).map((s) => s.id);
}

const DAY = 24 * 60 * 60 * 1000;

/** A free slot well inside the probed window and far from the end, where the write probes take theirs. */
export async function earlyFreeSlot(sandbox: RunningSandbox): Promise<string> {
  const [first] = await ehrFreeSlotIds(sandbox, { start: new Date(Date.now() + DAY).toISOString(), end: new Date(Date.now() + 5 * DAY).toISOString() });
  if (!first) throw new Error('the sandbox has no free slot in the next days');
  return first;
}
