// A run's expected worst case, stated before it starts: what its waits add up to, from the plan's trials and
// timeouts and how many connections can be probed at once. Not counted: servers that never answer (each
// request has its own timeout) and a person asked to act at the EHR (they take the time they take).
import { freshnessWorstCaseMs } from '../freshness/duration.js';
import type { FreshnessSettings } from '../model/plan.js';
import type { ConnectionContext } from '../context.js';
import { probeHost, type PoolOptions } from './pool.js';

/** connection-live, the schedule, the capability statement: a handful of requests. */
const CONNECTION_CHECK_MS = 10_000;
/** The bidirectional probes' own requests, beside their waits for queued bookings. */
const BIDIRECTIONAL_REQUESTS_MS = 5_000;
/** One round of the volume check's burst (its bookings `concurrency` at a time), honoured throttling included. */
const VOLUME_ROUND_MS = 5_000;
/** Cleanup at the end of the run. */
const CLEANUP_MS = 5_000;

export interface DurationInput {
  contexts: readonly ConnectionContext[];
  bidirectional: boolean;
  freshness: boolean;
  settings: FreshnessSettings;
  /** How long a 202-queued booking is waited for by the bidirectional probes (three of them at most). */
  queueWaitMs: number;
  pool: Pick<PoolOptions, 'concurrency' | 'perHost'>;
  /** The volume check's burst, when it runs: its rounds, then a wait for what was queued to land. */
  volume?: { bookings: number; concurrency: number };
}

export interface RunEstimate {
  worstCaseMs: number;
  perConnectionMs: number;
  /** How many connections one after another, at most: the pool's bound overall and per EHR host. */
  rounds: number;
}

export function estimateRun(input: DurationInput): RunEstimate {
  const perConnection = input.contexts.map((ctx) => {
    let ms = CONNECTION_CHECK_MS;
    if (!ctx.writesAllowed) return ms;
    if (input.bidirectional) ms += 3 * input.queueWaitMs + BIDIRECTIONAL_REQUESTS_MS;
    if (input.freshness) ms += freshnessWorstCaseMs({ trials: input.settings.trials, timeoutSeconds: input.settings.timeoutSeconds });
    if (input.volume) ms += Math.ceil(input.volume.bookings / Math.max(1, input.volume.concurrency)) * VOLUME_ROUND_MS + input.queueWaitMs;
    return ms;
  });
  const perConnectionMs = Math.max(0, ...perConnection);
  const byHost = new Map<string, number>();
  for (const ctx of input.contexts) {
    const host = probeHost(ctx.connection.ehr.fhirBaseUrl);
    byHost.set(host, (byHost.get(host) ?? 0) + 1);
  }
  const rounds = Math.max(
    Math.ceil(input.contexts.length / Math.max(1, input.pool.concurrency)),
    ...[...byHost.values()].map((n) => Math.ceil(n / Math.max(1, input.pool.perHost))),
  );
  return { worstCaseMs: rounds * perConnectionMs + CLEANUP_MS, perConnectionMs, rounds };
}

/** "45 s", "7 min 30 s", "2 h 5 min": for progress lines. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 90) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return s % 60 ? `${min} min ${s % 60} s` : `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}
