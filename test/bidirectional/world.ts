// One EHR sandbox and one reference vendor on loopback, the plan ehr-check would be given for them, and an
// evaluation of it through the runner. What the EHR holds is read here with plain fetch, independent of the
// product's own FHIR client: the tests' oracle must not share the code it judges.
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../fixtures/sandbox/index.js';
import { startVendor, type RunningVendor, type VendorOptions } from '../../fixtures/vendors/index.js';
import type { CertificationRegistry, LoadedPlan, Manifest, Plan } from '../../src/model/plan.js';
import type { CheckId, Finding, FindingId, Report } from '../../src/model/report.js';
import { evaluate } from '../../src/run/runner.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { CHECK_DEFAULTS } from '../../checks/index.js';

export const RUN_TAG = 'urn:ehr-check:run';
export const BOOKING_SYSTEM = 'urn:ehr-check:booking';

export interface World {
  sandbox: RunningSandbox;
  vendor: RunningVendor;
  close(): Promise<void>;
}

/** `beforeVendor` runs on the sandbox before the vendor starts (and takes its first look at the EHR). */
export async function startWorld(
  vendor: Omit<VendorOptions, 'ehrBaseUrl'>,
  sandboxOptions: SandboxOptions = {},
  beforeVendor?: (sandbox: RunningSandbox) => Promise<void>,
): Promise<World> {
  const sandbox = await startSandbox({ flavor: 'generic', ...sandboxOptions });
  let running: RunningVendor;
  try {
    await beforeVendor?.(sandbox);
    running = await startVendor({ ...vendor, ehrBaseUrl: sandbox.fhirBaseUrl });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    sandbox,
    vendor: running,
    close: async () => {
      await running.close();
      await sandbox.close();
    },
  };
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
  const plan: Plan = {
    version: 1,
    buyer: { name: 'Test Buyer', sites: (options.sites ?? [system]).map((s, i) => ({ name: `Site ${i + 1}`, system: s })) },
    vendor: { name: options.vendorName ?? 'Test Vendor' },
    connections: [
      {
        system,
        ehr: { fhirBaseUrl: options.ehrBaseUrl ?? world.sandbox.fhirBaseUrl, sandbox: options.sandbox ?? true, auth: { type: 'none' } },
        vendor: { kind: 'fhir', baseUrl: options.vendorBaseUrl ?? world.vendor.baseUrl, auth: { type: 'none' } },
        schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`,
      },
    ],
    checks: {
      ...CHECK_DEFAULTS,
      freshness: { ...CHECK_DEFAULTS.freshness, trials: 1, timeoutSeconds, realTimeSeconds: Math.min(1, timeoutSeconds), nearRealTimeSeconds: timeoutSeconds },
    },
    gate: {},
  };
  return { file: '/nonexistent/test.plan.yaml', plan, manifest: options.manifest, registry: options.registry };
}

let runs = 0;

export interface Evaluation {
  report: Report;
  ledger: MemoryLedger;
  runId: string;
  finding(id: FindingId, connection?: string): Finding;
}

export async function evaluateOnce(
  loaded: LoadedPlan,
  options: { allowWrites?: boolean; checks?: CheckId[] } = {},
): Promise<Evaluation> {
  runs += 1;
  const runId = `bidi-${process.pid}-${runs}`;
  const ledger = new MemoryLedger(runId);
  const report = await evaluate({
    loaded,
    runId,
    ledger,
    checks: options.checks ?? ['bidirectional'],
    allowWrites: options.allowWrites ?? true,
    gate: {},
    env: {},
    signal: new AbortController().signal,
    progress: () => {},
    toolVersion: '0.0.0-test',
    client: { connectTimeoutMs: 2_000, totalTimeoutMs: 10_000, retry: { maxRetries: 0 } },
  });
  const finding = (id: FindingId, connection = loaded.plan.connections[0]!.system): Finding => {
    const found = report.checks.flatMap((c) => c.findings).find((f) => f.id === id && f.connection === connection);
    if (!found) throw new Error(`no ${id} finding for ${connection} in the report`);
    return found;
  };
  return { report, ledger, runId, finding };
}

// ---- The EHR as the record of truth, read with plain fetch ----

async function getJson<T = any>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/fhir+json' }, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

/** Every resource of a search, following `next` links. */
export async function searchEhr<T = any>(fhirBaseUrl: string, type: string, query: Record<string, string>): Promise<T[]> {
  const found: T[] = [];
  let next: string | undefined = `${fhirBaseUrl}/${type}?${new URLSearchParams({ ...query, _count: '100' })}`;
  for (let page = 0; next && page < 100; page++) {
    const bundle: any = await getJson(next);
    for (const e of bundle.entry ?? []) if (e.resource?.resourceType === type) found.push(e.resource as T);
    next = bundle.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
  }
  return found;
}

export async function readEhr<T = any>(fhirBaseUrl: string, type: string, id: string): Promise<T> {
  return getJson<T>(`${fhirBaseUrl}/${type}/${id}`);
}

/** The staff console (the EHR's own screens): block or free a slot as a person at the EHR would. */
export async function staff(sandbox: RunningSandbox, action: 'block' | 'free', slotId: string): Promise<void> {
  const res = await fetch(`${sandbox.staffUrl}/slots/${slotId}/${action}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`staff ${action} of ${slotId} answered ${res.status}: ${text}`);
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

/** Everything carrying the run tag, by type: after cleanup this must be empty. */
export async function taggedWithRun(fhirBaseUrl: string, runId: string): Promise<Record<string, string[]>> {
  const tagged: Record<string, string[]> = {};
  for (const type of ['Appointment', 'Patient']) {
    const found = await searchEhr<{ id: string; status?: string }>(fhirBaseUrl, type, { _tag: `${RUN_TAG}|${runId}` });
    tagged[type] = found.map((r) => r.id);
  }
  return tagged;
}

/** Appointments with a booking identifier the run made (`urn:ehr-check:booking|<runId>-…`), whatever their tags. */
export async function runBookings(fhirBaseUrl: string, runId: string): Promise<Array<{ id: string; status: string }>> {
  const all = await searchEhr<{ id: string; status: string; identifier?: Array<{ system?: string; value?: string }> }>(fhirBaseUrl, 'Appointment', {});
  return all.filter((a) => a.identifier?.some((i) => i.system === BOOKING_SYSTEM && i.value?.startsWith(`${runId}-`)));
}

/** Status of every slot of the sandbox, by id: taken before and after a run to prove nothing stayed changed. */
export async function slotStatuses(fhirBaseUrl: string): Promise<Record<string, string>> {
  const slots = await searchEhr<{ id: string; status: string }>(fhirBaseUrl, 'Slot', {});
  return Object.fromEntries(slots.map((s) => [s.id, s.status]).sort(([a], [b]) => a!.localeCompare(b!)));
}

/** A port nothing listens on: bound, then released. */
export async function closedPortUrl(path = '/fhir'): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}${path}`;
}
