// A sandbox of one real-EHR flavor (epic, ecw, oracle), a deep reference vendor that reaches it the way a real
// product would (FHIR, plus the EHR's own scheduling console where FHIR has no booking), the plan ehr-check is
// given, and an evaluation through the runner with a chosen operator. The EHR is read here with plain fetch.
import { join } from 'node:path';
import type { RunningSandbox } from '../../fixtures/sandbox/index.js';
import type { Flavor, SandboxOptions } from '../../fixtures/sandbox/types.js';
import type { VendorOptions } from '../../fixtures/vendors/index.js';
import { planFindingMethods } from '../../src/capability/methods.js';
import { readCapabilityStatement, type CapabilitySummary } from '../../src/capability/reader.js';
import type { Plan } from '../../src/model/plan.js';
import type { CheckId } from '../../src/model/report.js';
import type { ConnectionContext } from '../../src/context.js';
import { loadOperatorScript } from '../../src/operator/script-file.js';
import { ScriptOperator } from '../../src/operator/script.js';
import { noOperator } from '../../src/operator/tty.js';
import { NO_OPERATOR_REASON, type Operator } from '../../src/operator/types.js';
import type { MemoryLedger } from '../../src/safety/ledger.js';
import { REPO } from '../helpers/paths.js';
import { contextsFor, evaluatePlan, newRunId, testPlan, worldConnection, type Evaluation } from '../helpers/run.js';
import { startWorld, type World } from '../helpers/world.js';

export type { Evaluation } from '../helpers/run.js';

export const STAFF_SCRIPT = join(REPO, 'fixtures', 'operator-scripts', 'epic-staff-console.yaml');

export interface RealWorld extends World {
  flavor: Flavor;
}

export async function startRealWorld(flavor: Flavor, vendor: Partial<Omit<VendorOptions, 'ehrBaseUrl'>> = {}, sandboxOptions: Omit<SandboxOptions, 'flavor'> = {}): Promise<RealWorld> {
  const world = await startWorld({ sandbox: { ...sandboxOptions, flavor }, vendor: (sandbox) => ({ behavior: 'deep', ehrStaffUrl: sandbox.staffUrl, ...vendor }) });
  return Object.assign(world, { flavor });
}

/** The plan for one connection to the world's EHR and vendor (the schedule named: Epic lists none by API). */
export function planFor(world: RealWorld, system: string, options: { trials?: number; timeoutSeconds?: number } = {}): Plan {
  const timeoutSeconds = options.timeoutSeconds ?? 4;
  return testPlan([worldConnection(world, system)], {
    buyer: { name: 'Test Buyer', sites: [{ name: 'Main', system }] },
    freshness: { trials: options.trials ?? 2, timeoutSeconds, realTimeSeconds: 2, nearRealTimeSeconds: timeoutSeconds },
  }).plan;
}

/** The scripted operator of fixtures/operator-scripts, pointed at this world's staff console. */
export async function staffScriptOperator(world: RealWorld): Promise<Operator> {
  const env = { EHRC_STAFF_URL: world.sandbox.staffUrl };
  const script = await loadOperatorScript(STAFF_SCRIPT, { cwd: REPO, env, ehrHosts: [] });
  return new ScriptOperator(script, env);
}

export const nobody = (): Operator => noOperator(NO_OPERATOR_REASON);

export function evaluateWith(plan: Plan, operator: Operator | undefined, checks?: CheckId[]): Promise<Evaluation> {
  return evaluatePlan({ file: '/nonexistent/real.plan.yaml', plan }, { runId: newRunId('real'), checks, operator });
}

/**
 * A probe context for the world's one connection, as the runner builds it, with the EHR's CapabilityStatement
 * edited by `narrow` (what a real EHR would not offer) and the methods planned from what is left.
 */
export async function contextFor(world: RealWorld, options: { operator?: Operator; narrow?: (cap: CapabilitySummary) => void } = {}): Promise<{ ctx: ConnectionContext; ledger: MemoryLedger; close(): Promise<void> }> {
  const { ctx, ledger, close } = contextsFor(testPlan([worldConnection(world, world.flavor)]), { runId: newRunId('real-ctx'), ...(options.operator && { operator: options.operator }) });
  const capability = readCapabilityStatement(await ctx.ehr.capabilities().catch(async (error: unknown) => (await close(), Promise.reject(error))));
  options.narrow?.(capability);
  ctx.capability = capability;
  ctx.methods = planFindingMethods(capability);
  return { ctx, ledger, close };
}

// ---- The EHR as the record of truth, through its staff console and FHIR, with plain fetch ----

async function getJson<T = any>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** Every slot's status, from the staff console (the EHR's own screens: Epic's FHIR API has no Slot). */
export async function consoleSlotStatuses(sandbox: RunningSandbox): Promise<Record<string, string>> {
  const slots = await getJson<Array<{ id: string; status: string }>>(`${sandbox.staffUrl}/slots`);
  return Object.fromEntries(slots.map((s) => [s.id, s.status]).sort(([a], [b]) => a!.localeCompare(b!)));
}

/** Active appointments carrying the run's booking keys or tag, from the staff console. */
export async function activeRunAppointments(sandbox: RunningSandbox, runId: string): Promise<string[]> {
  const all = await getJson<Array<{ id: string; status: string; identifier?: Array<{ value?: string }>; tags?: Array<{ code?: string }> }>>(`${sandbox.staffUrl}/appointments`);
  const ours = all.filter((a) => a.identifier?.some((i) => i.value?.startsWith(`${runId}-`)) || a.tags?.some((t) => t.code === runId));
  return ours.filter((a) => a.status !== 'cancelled').map((a) => a.id);
}
