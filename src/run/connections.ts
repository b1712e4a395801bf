// Builds each connection's probe context: its report key, its two clients, whether writes may run.
import { dirname } from 'node:path';
import { LIMIT_DEFAULTS } from '../contracts/defaults.js';
import { FhirClient, createRequestLog } from '../http/fhir-client.js';
import { HostLimiter, hostOf } from '../http/host-limit.js';
import type { ClientOptions } from '../http/types.js';
import type { Connection, LoadedPlan } from '../model/plan.js';
import type { Operator } from '../operator/types.js';
import type { ConnectionContext } from '../context.js';
import { RunKeys } from '../safety/run-records.js';
import type { Ledger } from '../safety/types.js';
import { openVendorChannel } from '../vendor/index.js';

/** `epic`, then `epic#2`, `epic#3` for further connections to the same system (docs/report.md). */
export function connectionKeys(connections: readonly Connection[]): string[] {
  const seen = new Map<string, number>();
  return connections.map((c) => {
    const n = (seen.get(c.system) ?? 0) + 1;
    seen.set(c.system, n);
    return n === 1 ? c.system : `${c.system}#${n}`;
  });
}

export interface ContextOptions {
  loaded: LoadedPlan;
  runId: string;
  ledger: Ledger;
  allowWrites: boolean;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  progress(message: string): void;
  client?: Partial<ClientOptions>;
  /** Who makes the EHR-side changes the EHR's API cannot (shared by every connection). */
  operator?: Operator;
}

export function writesBlockedReason(connection: Connection, allowWrites: boolean): string | undefined {
  if (!connection.ehr.sandbox) return 'the EHR is not marked `sandbox: true` in the plan, so nothing is written to it';
  if (!allowWrites) return 'writes are off: run with --allow-writes to let write probes run against this sandbox';
  return undefined;
}

export function buildContexts(options: ContextOptions): ConnectionContext[] {
  const keys = connectionKeys(options.loaded.plan.connections);
  const baseDir = dirname(options.loaded.file);
  // One bound for the whole run: however its probes overlap, no host gets more than this many requests at once.
  const limiter = new HostLimiter(options.loaded.plan.limits?.requestsPerHost ?? LIMIT_DEFAULTS.requestsPerHost);
  // A plan that lists the volume check asks for its bookings (and their in-flight retries) to reach the vendor
  // at once: its vendors may take that many; the EHR keeps the run's bound.
  const burst = options.loaded.plan.checks.volume?.concurrency;
  if (burst !== undefined) {
    for (const c of options.loaded.plan.connections) if ('baseUrl' in c.vendor) limiter.allow(hostOf(c.vendor.baseUrl), 2 * burst);
  }
  const runKeys = new RunKeys(options.runId);
  return options.loaded.plan.connections.map((connection, i) => {
    const key = keys[i]!;
    // One log per connection: the evidence of every finding on it is a slice of this log.
    const log = createRequestLog();
    const common = { env: options.env, baseDir, log, limiter, ...options.client };
    const blocked = writesBlockedReason(connection, options.allowWrites);
    return {
      key,
      connection,
      ehr: new FhirClient({ ...common, name: 'EHR', baseUrl: connection.ehr.fhirBaseUrl, auth: connection.ehr.auth }),
      vendor: openVendorChannel(connection.vendor, {
        ...common,
        runId: options.runId,
        connection: key,
        ehrBaseUrl: connection.ehr.fhirBaseUrl,
        testPatients: runKeys.testPatients,
        signal: options.signal,
        ...(options.operator && { operator: options.operator }),
      }),
      runId: options.runId,
      keys: runKeys,
      writesAllowed: blocked === undefined,
      writesBlockedReason: blocked,
      ledger: options.ledger,
      schedule: connection.schedule,
      signal: options.signal,
      progress: (m: string) => options.progress(`[${key}] ${m}`),
      ...(options.operator && { operator: options.operator }),
    };
  });
}

/**
 * The schedule to probe when the plan names none: the schedule of the first free slot ahead, so the probes
 * have something to book; else the first Schedule the EHR lists.
 */
export async function discoverSchedule(ctx: ConnectionContext): Promise<string | undefined> {
  const from = new Date(Date.now() + 60 * 60 * 1000).toISOString();
  const slots = await ctx.ehr.request({ path: 'Slot', query: { status: 'free', start: `ge${from}`, _count: '1' } }).catch(() => undefined);
  const slotRef = slots?.status === 200 ? slots.body?.entry?.[0]?.resource?.schedule?.reference : undefined;
  if (typeof slotRef === 'string') return slotRef;
  const schedules = await ctx.ehr.request({ path: 'Schedule', query: { _count: '1' } }).catch(() => undefined);
  const id = schedules?.status === 200 ? schedules.body?.entry?.[0]?.resource?.id : undefined;
  return typeof id === 'string' ? `Schedule/${id}` : undefined;
}
