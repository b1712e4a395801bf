// Freshness concurrency bench: a freshness-only run (`run --check freshness`, through the runner, cleanup
// included) takes about as long as its slowest trial. Against a vendor that never updates, every trial waits
// out the timeout: with the trials overlapping, the wall time is about one timeout, not one per trial
// (target <= 1.5 x timeoutSeconds at N = 3). Against an honest vendor 1.5 s behind the EHR, the overlapping
// trials still recover that lag within max(100 ms, 5%).
import { startSandbox } from '../fixtures/sandbox/index.js';
import { startVendor } from '../fixtures/vendors/index.js';
import type { VendorOptions } from '../fixtures/vendors/types.js';
import { formatLag } from '../src/freshness/lag.js';
import type { LoadedPlan } from '../src/model/plan.js';
import type { Finding } from '../src/model/report.js';
import { evaluate } from '../src/run/runner.js';
import { MemoryLedger } from '../src/safety/ledger.js';
import { CHECK_DEFAULTS } from '../checks/index.js';

const TRIALS = 3;
const TIMEOUT_SECONDS = 8;
const TARGET_RATIO = 1.5;
const HONEST_LAG_MS = 1500;

export interface ConcurrencyRun {
  wallMs: number;
  ratio: number;
  /** What the run said up front it would take at most. */
  statedWorstCaseMs: number | undefined;
  ehrToVendor: Finding;
  findings: Finding[];
}

/** One freshness-only run of the real runner against a fresh sandbox and a reference vendor. */
export async function freshnessOnlyRun(vendorOptions: Omit<VendorOptions, 'ehrBaseUrl'>, label: string): Promise<ConcurrencyRun> {
  const sandbox = await startSandbox({ flavor: 'generic' });
  const vendor = await startVendor({ ...vendorOptions, ehrBaseUrl: sandbox.fhirBaseUrl });
  const loaded: LoadedPlan = {
    file: '/tmp/ehr-check-bench/freshness-concurrency.plan.yaml',
    plan: {
      version: 1,
      buyer: { name: 'Bench buyer', sites: [{ name: 'Main', system: 'epic' }] },
      vendor: { name: `Bench vendor (${label})` },
      connections: [
        {
          system: 'epic',
          ehr: { fhirBaseUrl: sandbox.fhirBaseUrl, sandbox: true, auth: { type: 'none' } },
          vendor: { kind: 'fhir', baseUrl: vendor.baseUrl, auth: { type: 'none' } },
          schedule: `Schedule/${sandbox.seeded.scheduleIds[0]}`,
        },
      ],
      checks: {
        ...CHECK_DEFAULTS,
        freshness: { ...CHECK_DEFAULTS.freshness, trials: TRIALS, timeoutSeconds: TIMEOUT_SECONDS, realTimeSeconds: 1, nearRealTimeSeconds: 4 },
      },
      gate: {},
    },
  };
  const runId = `bench-concurrency-${label}`;
  let statedWorstCaseMs: number | undefined;
  try {
    const started = process.hrtime.bigint();
    const report = await evaluate({
      loaded,
      runId,
      ledger: new MemoryLedger(runId),
      checks: ['freshness'],
      allowWrites: true,
      gate: {},
      env: {},
      signal: new AbortController().signal,
      progress: () => {},
      expectDuration: (ms) => (statedWorstCaseMs = ms),
      toolVersion: '0.0.0-bench',
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const findings = report.checks.flatMap((c) => c.findings);
    const ehrToVendor = findings.find((f) => f.id === 'ehr-to-vendor-lag');
    if (!ehrToVendor) throw new Error('the run has no ehr-to-vendor-lag finding');
    return { wallMs, ratio: wallMs / (TIMEOUT_SECONDS * 1000), statedWorstCaseMs, ehrToVendor, findings };
  } finally {
    await vendor.close();
    await sandbox.close();
  }
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const statuses = (r: ConcurrencyRun) => r.findings.map((f) => `${f.id} ${f.status}`).join(', ');

/** Printable lines for `npm run bench` (or `node dist/bench/index.js freshness-concurrency`). */
export async function benchFreshnessConcurrency(): Promise<string[]> {
  const frozen = await freshnessOnlyRun({ behavior: 'deep', faults: ['frozen'] }, 'never-updating');
  const censored = frozen.ehrToVendor.evidence.censored;
  const frozenOk = frozen.ratio <= TARGET_RATIO && censored === TRIALS;
  const honest = await freshnessOnlyRun({ behavior: 'deep', lagMs: HONEST_LAG_MS }, 'honest-1.5s');
  const p50 = honest.ehrToVendor.evidence.p50Ms as number | null;
  const errorMs = p50 === null ? null : Math.abs(p50 - HONEST_LAG_MS);
  const targetMs = Math.max(100, HONEST_LAG_MS * 0.05);
  const honestOk = errorMs !== null && errorMs <= targetMs;
  return [
    `freshness-concurrency: freshness-only run (run --check freshness), ${TRIALS} trials each way at once, timeoutSeconds ${TIMEOUT_SECONDS}`,
    `freshness-concurrency: never-updating vendor: wall ${seconds(frozen.wallMs)} = ${frozen.ratio.toFixed(2)}x timeoutSeconds ` +
      `(target <= ${TARGET_RATIO.toFixed(2)}x; stated worst case ${seconds(frozen.statedWorstCaseMs)}); ${censored}/${TRIALS} trials never seen ${frozenOk ? 'OK' : 'OVER TARGET'}`,
    `freshness-concurrency: honest ${formatLag(HONEST_LAG_MS)}-lag vendor: wall ${seconds(honest.wallMs)} = ${honest.ratio.toFixed(2)}x timeoutSeconds; ` +
      `EHR → vendor p50 ${formatLag(p50)}, error ${errorMs === null ? '-' : `${Math.round(errorMs)} ms`} (target <= ${Math.round(targetMs)} ms, bound ±${honest.ehrToVendor.evidence.errorBoundMs ?? '-'} ms) ${honestOk ? 'OK' : 'MISSED'}`,
    `freshness-concurrency: findings: never-updating [${statuses(frozen)}]; honest [${statuses(honest)}]`,
  ];
}
