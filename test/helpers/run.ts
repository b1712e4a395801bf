// The plan ehr-check is given for a test world, the probe contexts the product builds from it
// (src/run/connections.ts, never rebuilt by hand), and an evaluation of it through the runner.
import type { ClientOptions } from '../../src/http/types.js';
import type { Connection, LoadedPlan, Plan } from '../../src/model/plan.js';
import type { CheckId, Finding, FindingId, Report } from '../../src/model/report.js';
import type { Operator } from '../../src/operator/types.js';
import type { ConnectionContext } from '../../src/context.js';
import { buildContexts } from '../../src/run/connections.js';
import { evaluate } from '../../src/run/runner.js';
import { MemoryLedger } from '../../src/safety/ledger.js';
import { CHECK_DEFAULTS } from '../../checks/index.js';
import type { World } from './world.js';

type FreshnessTimes = Pick<NonNullable<Plan['checks']['freshness']>, 'trials' | 'timeoutSeconds' | 'realTimeSeconds' | 'nearRealTimeSeconds'>;

export interface TestPlanOptions {
  buyer?: Plan['buyer'];
  vendorName?: string;
  freshness?: FreshnessTimes;
  /** Where the plan is taken to be loaded from (relative key files resolve against its folder). */
  file?: string;
  /** Further plan fields (limits, chpl, gate, …), laid over the rest. */
  extra?: Partial<Plan>;
}

/** A plan around these connections, with the default weights, as if loaded from `options.file`. */
export function testPlan(connections: Connection[], options: TestPlanOptions = {}): LoadedPlan {
  const freshness = options.freshness ?? { trials: 1, timeoutSeconds: 4, realTimeSeconds: 1, nearRealTimeSeconds: 4 };
  const plan: Plan = {
    version: 1,
    buyer: options.buyer ?? { name: 'Test Buyer', sites: connections.map((c, i) => ({ name: `Site ${i + 1}`, system: c.system })) },
    vendor: { name: options.vendorName ?? 'Test Vendor' },
    connections,
    checks: { ...CHECK_DEFAULTS, freshness: { ...CHECK_DEFAULTS.freshness, ...freshness } },
    gate: {},
    ...options.extra,
  };
  return { file: options.file ?? '/nonexistent/test.plan.yaml', plan };
}

export interface ConnectionOptions {
  /** The plan's `sandbox:` flag for the EHR (default true). */
  sandbox?: boolean;
  /** Overrides for the URLs, e.g. a closed port to make the connection not live. */
  ehrBaseUrl?: string;
  vendorBaseUrl?: string;
}

/** The world's connection as a plan names it: through the probe proxy if there is one, on the first seeded schedule. */
export function worldConnection(world: Pick<World, 'sandbox' | 'vendor' | 'probeProxy'>, system: string, options: ConnectionOptions = {}): Connection {
  return {
    system,
    ehr: { fhirBaseUrl: options.ehrBaseUrl ?? world.probeProxy?.fhirBaseUrl ?? world.sandbox.fhirBaseUrl, sandbox: options.sandbox ?? true, auth: { type: 'none' } },
    vendor: { kind: 'fhir', baseUrl: options.vendorBaseUrl ?? world.vendor.baseUrl, auth: { type: 'none' } },
    schedule: `Schedule/${world.sandbox.seeded.scheduleIds[0]}`,
  };
}

let runs = 0;

/** A run id no other run of this test process has used. */
export function newRunId(prefix: string): string {
  runs += 1;
  return `${prefix}-${process.pid}-${runs}`;
}

/** Short timeouts and no retries: a test's endpoints answer at once or not at all. */
export const RUN_CLIENT: Partial<ClientOptions> = { connectTimeoutMs: 2_000, totalTimeoutMs: 10_000, retry: { maxRetries: 0 } };

export interface ContextOptions {
  runId: string;
  allowWrites?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Client options over the product's defaults. */
  client?: Partial<ClientOptions>;
  operator?: Operator;
}

export interface TestContexts {
  contexts: ConnectionContext[];
  /** The first connection's context. */
  ctx: ConnectionContext;
  ledger: MemoryLedger;
  /** Every progress line the probes wrote, as the runner would show it. */
  progress: string[];
  close(): Promise<void>;
}

/** The probe contexts ehr-check builds for the plan, with a MemoryLedger; `close()` closes their clients. */
export function contextsFor(loaded: LoadedPlan, options: ContextOptions): TestContexts {
  const ledger = new MemoryLedger(options.runId);
  const progress: string[] = [];
  const contexts = buildContexts({
    loaded,
    runId: options.runId,
    ledger,
    allowWrites: options.allowWrites ?? true,
    env: options.env ?? {},
    signal: new AbortController().signal,
    progress: (m) => progress.push(m),
    ...(options.client && { client: options.client }),
    ...(options.operator && { operator: options.operator }),
  });
  const close = async (): Promise<void> => void (await Promise.all(contexts.flatMap((c) => [c.ehr.close(), c.vendor.close()])));
  return { contexts, ctx: contexts[0]!, ledger, progress, close };
}

export interface EvaluateOptions {
  runId?: string;
  checks?: CheckId[];
  allowWrites?: boolean;
  env?: NodeJS.ProcessEnv;
  operator?: Operator;
  ledger?: MemoryLedger;
  /** Client options; default RUN_CLIENT, `{}` for the product's own defaults. */
  client?: Partial<ClientOptions>;
  progress?: (message: string) => void;
  toolVersion?: string;
}

export interface Evaluation {
  report: Report;
  ledger: MemoryLedger;
  runId: string;
  findings: Finding[];
  /** The finding with this id on this connection (default: the plan's first); throws if the report has none. */
  finding(id: FindingId, connection?: string): Finding;
}

/** One evaluation of the plan through the runner, writes allowed unless told otherwise. */
export async function evaluatePlan(loaded: LoadedPlan, options: EvaluateOptions = {}): Promise<Evaluation> {
  const runId = options.runId ?? newRunId('run');
  const ledger = options.ledger ?? new MemoryLedger(runId);
  const report = await evaluate({
    loaded,
    runId,
    ledger,
    checks: options.checks,
    allowWrites: options.allowWrites ?? true,
    gate: {},
    env: options.env ?? {},
    signal: new AbortController().signal,
    progress: options.progress ?? (() => {}),
    toolVersion: options.toolVersion ?? '0.0.0-test',
    client: options.client ?? RUN_CLIENT,
    operator: options.operator,
  });
  const findings = report.checks.flatMap((c) => c.findings);
  const finding = (id: FindingId, connection = loaded.plan.connections[0]!.system): Finding => {
    const found = findings.find((f) => f.id === id && f.connection === connection);
    if (!found) throw new Error(`no ${id} finding for ${connection} in the report`);
    return found;
  };
  return { report, ledger, runId, findings, finding };
}
