// Coverage bench: probing at scale. 200 connections, each its own loopback server (its own host:port) holding
// an EHR and a vendor facade whose every answer is delayed 100 ms, probed for connection-live through the pool
// the runner uses. Wall time against the ideal (requests × delay / concurrency), and peak memory, sampled.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SYSTEMS } from '../src/catalog/systems.js';
import type { Connection, LoadedPlan } from '../src/model/plan.js';
import { gatherConnectionLive, type LiveEvidence } from '../src/probes/connection-live.js';
import { buildContexts } from '../src/run/connections.js';
import { PROBE_POOL, probeHost, runPool, type PoolOptions } from '../src/run/pool.js';
import { MemoryLedger } from '../src/safety/ledger.js';
import { CHECK_DEFAULTS } from '../checks/index.js';

const TARGET_RATIO = 1.25;
const WARM_UP_CONNECTIONS = 20;

export interface CoverageBenchOptions {
  connections?: number;
  delayMs?: number;
  pool?: Omit<PoolOptions, 'onSettled'>;
  /** Redraw "n/N connections probed" on stderr; default: when stderr is a terminal. */
  progress?: boolean;
  /** Timed runs over the same servers; the median is reported (default 3). */
  runs?: number;
  /** Run the servers in this thread (default only where a worker cannot load this file: from TypeScript source). */
  serversInProcess?: boolean;
}

export interface CoverageBenchResult {
  connections: number;
  live: number;
  requests: number;
  delayMs: number;
  concurrency: number;
  wallMs: number;
  idealMs: number;
  ratio: number;
  /** Every run's ratio, in the order they ran. */
  runRatios: number[];
  peakRssBytes: number;
  peakHeapBytes: number;
}

const STATEMENT = JSON.stringify({
  resourceType: 'CapabilityStatement',
  status: 'active',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  software: { name: 'Bench EHR' },
  rest: [{ mode: 'server', resource: [{ type: 'Slot', interaction: [{ code: 'read' }, { code: 'search-type' }] }] }],
});
const SEARCHSET = JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] });

interface SlowServer {
  origin: string;
  server: Server;
}

/** One connection's servers: the EHR at /ehr/fhir and the vendor at /vendor/fhir, every answer after `delayMs`. */
async function slowServer(delayMs: number, counter: { requests: number }): Promise<SlowServer> {
  const server = createServer((req, res) => {
    counter.requests += 1;
    const body = req.url?.startsWith('/ehr/fhir/metadata') ? STATEMENT : SEARCHSET;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end(body);
    }, delayMs);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function closeServer(s: SlowServer): Promise<void> {
  s.server.closeAllConnections();
  return new Promise((resolve) => s.server.close(() => resolve()));
}

/** The far side of the probes: the servers, wherever they run, and how many requests they answered. */
interface ServerFarm {
  origins: string[];
  requests(): Promise<number>;
  close(): Promise<void>;
}

async function farmHere(count: number, delayMs: number): Promise<ServerFarm> {
  const counter = { requests: 0 };
  const servers: SlowServer[] = [];
  const close = () => Promise.all(servers.map(closeServer)).then(() => undefined);
  try {
    for (let i = 0; i < count; i++) servers.push(await slowServer(delayMs, counter));
  } catch (error) {
    await close();
    throw error;
  }
  return { origins: servers.map((s) => s.origin), requests: async () => counter.requests, close };
}

// Real servers are elsewhere: in a worker thread, their work does not queue behind the probes' own event loop.
const FARM_ROLE = 'ehr-check-coverage-bench-farm';
type FarmMessage = { type: 'ready'; origins: string[] } | { type: 'requests'; requests: number } | { type: 'closed' } | { type: 'failed'; message: string };

if (!isMainThread && (workerData as { role?: string } | null)?.role === FARM_ROLE) {
  const { count, delayMs } = workerData as { count: number; delayMs: number };
  const port = parentPort!;
  farmHere(count, delayMs).then(
    (farm) => {
      port.postMessage({ type: 'ready', origins: farm.origins } satisfies FarmMessage);
      port.on('message', (message: string) => {
        if (message === 'requests') void farm.requests().then((requests) => port.postMessage({ type: 'requests', requests } satisfies FarmMessage));
        if (message === 'close') void farm.close().then(() => port.postMessage({ type: 'closed' } satisfies FarmMessage));
      });
    },
    (error: unknown) => port.postMessage({ type: 'failed', message: String(error) } satisfies FarmMessage),
  );
}

async function farmInWorker(count: number, delayMs: number): Promise<ServerFarm> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: FARM_ROLE, count, delayMs } });
  const next = <T extends FarmMessage['type']>(type: T) =>
    new Promise<Extract<FarmMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (m: FarmMessage) => {
        if (m.type === 'failed') reject(new Error(m.message));
        else if (m.type === type) resolve(m as Extract<FarmMessage, { type: T }>);
        else return;
        worker.off('message', onMessage);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  const ready = await next('ready').catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    origins: ready.origins,
    requests: async () => {
      const answer = next('requests');
      worker.postMessage('requests');
      return (await answer).requests;
    },
    close: async () => {
      const closed = next('closed');
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

/** Samples RSS and heap every few milliseconds; the high-water marks, when stopped. */
function memorySampler(everyMs = 10) {
  const peak = { rss: 0, heap: 0 };
  // process.memoryUsage.rss() and the heap statistics are cheap; process.memoryUsage() walks every space.
  const sample = () => {
    peak.rss = Math.max(peak.rss, process.memoryUsage.rss());
    peak.heap = Math.max(peak.heap, getHeapStatistics().used_heap_size);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

export async function measureCoverage(options: CoverageBenchOptions = {}): Promise<CoverageBenchResult> {
  const count = options.connections ?? 200;
  const delayMs = options.delayMs ?? 100;
  const poolOptions = options.pool ?? PROBE_POOL;
  const inProcess = options.serversInProcess ?? import.meta.url.endsWith('.ts');
  const farm = inProcess ? await farmHere(count, delayMs) : await farmInWorker(count, delayMs);
  try {
    await warmUp(farm.origins.slice(0, WARM_UP_CONNECTIONS), poolOptions);
    const runs: TimedRun[] = [];
    for (let i = 0; i < Math.max(1, options.runs ?? 3); i++) runs.push(await timedRun(farm, poolOptions, options.progress ?? Boolean(process.stderr.isTTY)));
    // The median run by wall time: one slow run on a shared machine says little about the pool.
    const median = [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
    const concurrency = Math.min(poolOptions.concurrency, count);
    const idealMs = (median.requests * delayMs) / concurrency;
    return {
      connections: count,
      // A run where any connection was not live would be timing something else: report the worst.
      live: Math.min(...runs.map((r) => r.live)),
      requests: median.requests,
      delayMs,
      concurrency,
      wallMs: median.wallMs,
      idealMs,
      ratio: median.wallMs / idealMs,
      runRatios: runs.map((r) => (r.wallMs * concurrency) / (r.requests * delayMs)),
      peakRssBytes: Math.max(...runs.map((r) => r.peak.rss)),
      peakHeapBytes: Math.max(...runs.map((r) => r.peak.heap)),
    };
  } finally {
    await farm.close();
  }
}

interface TimedRun {
  wallMs: number;
  requests: number;
  live: number;
  peak: { rss: number; heap: number };
}

/** connection-live on every connection of the farm, on fresh clients, through the runner's pool, on the clock. */
async function timedRun(farm: ServerFarm, poolOptions: Omit<PoolOptions, 'onSettled'>, showProgress: boolean): Promise<TimedRun> {
  const contexts = benchContexts(farm.origins);
  const before = await farm.requests();
  const onSettled = (done: number, total: number) => {
    if (showProgress) process.stderr.write(`\r\x1b[K${done}/${total} connections probed`);
  };
  const memory = memorySampler();
  const started = process.hrtime.bigint();
  let evidence: LiveEvidence[];
  let wallMs: number;
  try {
    evidence = await runPool(contexts, (ctx) => probeHost(ctx.connection.ehr.fhirBaseUrl), { ...poolOptions, onSettled }, (ctx) => gatherConnectionLive(ctx));
    wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    if (showProgress) process.stderr.write('\r\x1b[K');
    await Promise.all(contexts.flatMap((ctx) => [ctx.ehr.close(), ctx.vendor.close()]));
  }
  const peak = memory.stop();
  return { wallMs, requests: (await farm.requests()) - before, live: evidence.filter((e) => e.live).length, peak };
}

/** One probe context per server, built the way the runner builds them (real FhirClients, own request logs). */
function benchContexts(origins: string[]) {
  const connections: Connection[] = origins.map((origin, i) => ({
    system: SYSTEMS[i % SYSTEMS.length]!.id,
    ehr: { fhirBaseUrl: `${origin}/ehr/fhir`, sandbox: true, auth: { type: 'none' } },
    vendor: { kind: 'fhir', baseUrl: `${origin}/vendor/fhir`, auth: { type: 'none' } },
    schedule: 'Schedule/bench',
  }));
  const loaded: LoadedPlan = {
    file: '/tmp/ehr-check-bench/plan.yaml',
    plan: {
      version: 1,
      buyer: { name: 'Bench buyer', sites: [] },
      vendor: { name: 'Bench vendor' },
      connections,
      checks: { ...CHECK_DEFAULTS, freshness: { ...CHECK_DEFAULTS.freshness, trials: 1, timeoutSeconds: 5, realTimeSeconds: 1, nearRealTimeSeconds: 3 } },
      gate: {},
    },
  };
  return buildContexts({
    loaded,
    runId: 'bench-coverage',
    ledger: new MemoryLedger('bench-coverage'),
    allowWrites: false,
    env: {},
    signal: new AbortController().signal,
    progress: () => {},
  });
}

/** The same probes on a few connections first, outside the clock: the HTTP library loads and the code warms up. */
async function warmUp(origins: string[], pool: Omit<PoolOptions, 'onSettled'>): Promise<void> {
  const contexts = benchContexts(origins);
  try {
    await runPool(contexts, (ctx) => probeHost(ctx.connection.ehr.fhirBaseUrl), pool, (ctx) => gatherConnectionLive(ctx));
  } finally {
    await Promise.all(contexts.flatMap((ctx) => [ctx.ehr.close(), ctx.vendor.close()]));
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Printable lines for `npm run bench`. */
export async function benchCoverage(options: CoverageBenchOptions = {}): Promise<string[]> {
  const r = await measureCoverage(options);
  const pool = options.pool ?? PROBE_POOL;
  const ok = r.live === r.connections && r.ratio <= TARGET_RATIO;
  const runs = r.runRatios.length > 1 ? ` (median of ${r.runRatios.length} runs: ${r.runRatios.map((x) => `${x.toFixed(2)}x`).join(', ')})` : '';
  return [
    `coverage: ${r.connections} connections (each its own host:port), connection-live through the runner's pool (concurrency ${pool.concurrency}, per host ${pool.perHost}, starts ${pool.launchIntervalMs ?? 0} ms apart); every answer delayed ${r.delayMs} ms`,
    `coverage: ${r.live}/${r.connections} live, ${r.requests} requests; wall ${Math.round(r.wallMs)} ms, ideal ${Math.round(r.idealMs)} ms (${r.requests} x ${r.delayMs} ms / ${r.concurrency})`,
    `coverage: ratio ${r.ratio.toFixed(2)}x${runs} (target <= ${TARGET_RATIO.toFixed(2)}x) ${ok ? 'OK' : 'OVER TARGET'}`,
    `coverage: peak RSS ${mb(r.peakRssBytes)}, peak heap ${mb(r.peakHeapBytes)} (sampled every 10 ms)`,
  ];
}
