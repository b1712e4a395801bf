// Freshness bench: does the lag measurement recover a known lag? Reference vendors whose view of the EHR is
// held back by 0, 1.5 and 4 s; the measured p50 must sit within max(100 ms, 5%) of the configured lag.
import { startSandbox } from '../fixtures/sandbox/index.js';
import { startVendor } from '../fixtures/vendors/index.js';
import { readCapabilityStatement } from '../src/capability/reader.js';
import { formatLag } from '../src/freshness/lag.js';
import { FhirClient, createRequestLog } from '../src/http/fhir-client.js';
import { FhirVendorChannel } from '../src/vendor/fhir.js';
import { RunKeys } from '../src/safety/run-records.js';
import type { ConnectionContext } from '../src/context.js';
import { gatherFreshness } from '../src/probes/freshness.js';
import { MemoryLedger } from '../src/safety/ledger.js';

const CONFIGURED_LAGS_MS = [0, 1500, 4000];
const SETTINGS = { trials: 5, timeoutSeconds: 10, realTimeSeconds: 2, nearRealTimeSeconds: 10, raceAttempts: 0, seed: 2024 };

export interface LagBenchRow {
  configuredMs: number;
  p50Ms: number | null;
  errorMs: number | null;
  targetMs: number;
  errorBoundMs: number | null;
  class: string;
  ok: boolean;
}

/** Measures each configured lag with the real probe, one vendor at a time (timing needs the cores). */
export async function measureLags(lags = CONFIGURED_LAGS_MS): Promise<LagBenchRow[]> {
  const rows: LagBenchRow[] = [];
  for (const configuredMs of lags) rows.push(await measureOne(configuredMs));
  return rows;
}

async function measureOne(configuredMs: number): Promise<LagBenchRow> {
  const sandbox = await startSandbox({ flavor: 'generic' });
  const vendor = await startVendor({ behavior: 'deep', ehrBaseUrl: sandbox.fhirBaseUrl, lagMs: configuredMs });
  const log = createRequestLog();
  const ehr = new FhirClient({ baseUrl: sandbox.fhirBaseUrl, log });
  const vendorClient = new FhirClient({ baseUrl: vendor.baseUrl, log });
  try {
    const ctx: ConnectionContext = {
      key: 'generic',
      connection: {
        system: 'generic',
        ehr: { fhirBaseUrl: sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
        vendor: { kind: 'fhir', baseUrl: vendor.baseUrl, auth: { type: 'none' } },
      },
      ehr,
      vendor: new FhirVendorChannel(vendorClient),
      runId: `bench-freshness-${configuredMs}`,
      keys: new RunKeys(`bench-freshness-${configuredMs}`),
      writesAllowed: true,
      ledger: new MemoryLedger(`bench-freshness-${configuredMs}`),
      schedule: `Schedule/${sandbox.seeded.scheduleIds[0]}`,
      signal: new AbortController().signal,
      progress: () => {},
    };
    const capability = readCapabilityStatement(await ehr.capabilities());
    const evidence = await gatherFreshness(ctx, SETTINGS, capability);
    const targetMs = Math.max(100, configuredMs * 0.05);
    if (evidence.ehrToVendor.kind !== 'ok') {
      const why = evidence.ehrToVendor.kind === 'error' ? evidence.ehrToVendor.error.message : evidence.ehrToVendor.reason;
      return { configuredMs, p50Ms: null, errorMs: null, targetMs, errorBoundMs: null, class: `not measured: ${why}`, ok: false };
    }
    const lag = evidence.ehrToVendor.data.lag;
    const errorMs = lag.p50Ms === null ? null : Math.abs(lag.p50Ms - configuredMs);
    const errorBoundMs = typeof lag.errorBoundMs === 'number' ? lag.errorBoundMs : null;
    return { configuredMs, p50Ms: lag.p50Ms, errorMs, targetMs, errorBoundMs, class: lag.class, ok: errorMs !== null && errorMs <= targetMs };
  } finally {
    await Promise.all([ehr.close(), vendorClient.close()]);
    await vendor.close();
    await sandbox.close();
  }
}

/** Printable lines, one per configured lag, and a verdict line. */
export async function benchFreshness(): Promise<string[]> {
  const rows = await measureLags();
  const lines = [
    `freshness: EHR → vendor lag, ${SETTINGS.trials} trials each (real-time ≤ ${SETTINGS.realTimeSeconds} s, near-real-time ≤ ${SETTINGS.nearRealTimeSeconds} s)`,
    ...rows.map(
      (r) =>
        `  configured ${formatLag(r.configuredMs).padStart(7)}  measured p50 ${formatLag(r.p50Ms).padStart(10)}  ` +
        `error ${r.errorMs === null ? '-' : `${Math.round(r.errorMs)} ms`} (target ≤ ${Math.round(r.targetMs)} ms, bound ±${r.errorBoundMs ?? '-'} ms)  ` +
        `${r.class.padEnd(14)} ${r.ok ? 'ok' : 'MISSED'}`,
    ),
  ];
  lines.push(`freshness: ${rows.filter((r) => r.ok).length}/${rows.length} lags recovered within max(100 ms, 5%)`);
  return lines;
}
