// A sandbox of one real-EHR flavor (epic, ecw, oracle), a deep reference vendor that reaches it the way a real
// product would (FHIR, plus the EHR's own scheduling console where FHIR has no booking), the plan ehr-check is
// given, and an evaluation through the runner with a chosen operator. The EHR is read here with plain fetch.
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import type { Flavor, SandboxOptions } from '../../fixtures/sandbox/types.js';
import { startVendor, type RunningVendor, type VendorOptions } from '../../fixtures/vendors/index.js';
import { planFindingMethods } from '../../src/capability/methods.js';
import { readCapabilityStatement, type CapabilitySummary } from '../../src/capability/reader.js';
import { createRequestLog, FhirClient } from '../../src/http/fhir-client.js';
import { FhirVendorChannel } from '../../src/vendor/fhir.js';
import { RunKeys } from '../../src/safety/run-records.js';
import type { LoadedPlan, Plan } from '../../src/model/plan.js';
import type { ConnectionContext } from '../../src/context.js';
import type { CheckId, Finding, FindingId, Report } from '../../src/model/report.js';
import { loadOperatorScript } from '../../src/operator/script-file.js';
import { ScriptOperator } from '../../src/operator/script.js';
import { noOperator } from '../../src/operator/tty.js';
import { NO_OPERATOR_REASON, type Operator } from '../../src/operator/types.js';
import { evaluate } from '../../src/run/runner.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { REPO } from '../helpers/paths.js';
import { CHECK_DEFAULTS } from '../../checks/index.js';

export const STAFF_SCRIPT = join(REPO, 'fixtures', 'operator-scripts', 'epic-staff-console.yaml');

export interface RealWorld {
  flavor: Flavor;
  sandbox: RunningSandbox;
  vendor: RunningVendor;
  close(): Promise<void>;
}

export async function startRealWorld(flavor: Flavor, vendor: Partial<Omit<VendorOptions, 'ehrBaseUrl'>> = {}, sandboxOptions: Omit<SandboxOptions, 'flavor'> = {}): Promise<RealWorld> {
  const sandbox = await startSandbox({ ...sandboxOptions, flavor });
  let running: RunningVendor;
  try {
    running = await startVendor({ behavior: 'deep', ehrStaffUrl: sandbox.staffUrl, ...vendor, ehrBaseUrl: sandbox.fhirBaseUrl });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    flavor,
    sandbox,
    vendor: running,
    close: async () => {
      await running.close();
      await sandbox.close();
    },
  };
}

/** The plan for one connection to the world's EHR and vendor (the schedule named: Epic lists none by API). */
export function planFor(world: RealWorld, system: string, options: { trials?: number; timeoutSeconds?: number } = {}): Plan {
  const timeoutSeconds = options.timeoutSeconds ?? 4;
  return {
    version: 1,
    buyer: { name: 'Test Buyer', sites: [{ name: 'Main', system }] },
    vendor: { name: 'Test Vendor' },
    connections: [
      {
        system,
        ehr: { fhirBaseUrl: world.sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
        vendor: { kind: 'fhir', baseUrl: world.vendor.baseUrl, auth: { type: 'none' } },
        schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`,
      },
    ],
    checks: {
      ...CHECK_DEFAULTS,
      freshness: { ...CHECK_DEFAULTS.freshness, trials: options.trials ?? 2, timeoutSeconds, realTimeSeconds: 2, nearRealTimeSeconds: timeoutSeconds },
    },
    gate: {},
  };
}

/** The scripted operator of fixtures/operator-scripts, pointed at this world's staff console. */
export async function staffScriptOperator(world: RealWorld): Promise<Operator> {
  const env = { EHRC_STAFF_URL: world.sandbox.staffUrl };
  const script = await loadOperatorScript(STAFF_SCRIPT, { cwd: REPO, env, ehrHosts: [] });
  return new ScriptOperator(script, env);
}

export const nobody = (): Operator => noOperator(NO_OPERATOR_REASON);

let runs = 0;

export interface Evaluation {
  report: Report;
  ledger: MemoryLedger;
  runId: string;
  finding(id: FindingId): Finding;
  findings: Finding[];
}

export async function evaluateWith(plan: Plan, operator: Operator | undefined, checks?: CheckId[]): Promise<Evaluation> {
  runs += 1;
  const runId = `real-${process.pid}-${runs}`;
  const ledger = new MemoryLedger(runId);
  const loaded: LoadedPlan = { file: '/nonexistent/real.plan.yaml', plan };
  const report = await evaluate({
    loaded,
    runId,
    ledger,
    checks,
    allowWrites: true,
    gate: {},
    env: {},
    signal: new AbortController().signal,
    progress: () => {},
    toolVersion: '0.0.0-test',
    client: { connectTimeoutMs: 2_000, totalTimeoutMs: 10_000, retry: { maxRetries: 0 } },
    operator,
  });
  const findings = report.checks.flatMap((c) => c.findings);
  const finding = (id: FindingId) => {
    const found = findings.find((f) => f.id === id && f.connection === plan.connections[0]!.system);
    if (!found) throw new Error(`no ${id} finding in the report`);
    return found;
  };
  return { report, ledger, runId, finding, findings };
}

/**
 * A probe context for the world's one connection, as the runner builds it, with the EHR's CapabilityStatement
 * edited by `narrow` (what a real EHR would not offer) and the methods planned from what is left.
 */
export async function contextFor(world: RealWorld, options: { operator?: Operator; narrow?: (cap: CapabilitySummary) => void } = {}): Promise<{ ctx: ConnectionContext; ledger: MemoryLedger; close(): Promise<void> }> {
  runs += 1;
  const runId = `real-ctx-${process.pid}-${runs}`;
  const log = createRequestLog();
  const ledger = new MemoryLedger(runId);
  const ehr = new FhirClient({ baseUrl: world.sandbox.fhirBaseUrl, log });
  const vendor = new FhirVendorChannel(new FhirClient({ baseUrl: world.vendor.baseUrl, log }));
  const capability = readCapabilityStatement(await ehr.capabilities());
  options.narrow?.(capability);
  const ctx: ConnectionContext = {
    key: world.flavor,
    connection: {
      system: world.flavor,
      ehr: { fhirBaseUrl: world.sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
      vendor: { kind: 'fhir', baseUrl: world.vendor.baseUrl, auth: { type: 'none' } },
    },
    ehr,
    vendor,
    runId,
    keys: new RunKeys(runId),
    writesAllowed: true,
    ledger,
    schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`,
    signal: new AbortController().signal,
    progress: () => {},
    capability,
    methods: planFindingMethods(capability),
    ...(options.operator && { operator: options.operator }),
  };
  return { ctx, ledger, close: async () => void (await Promise.all([ehr.close(), vendor.close()])) };
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
