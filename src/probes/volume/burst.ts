// The burst: every booking through the vendor, `concurrency` at a time, each with its own key. Some are sent a
// second time with the same key while the first request is still in flight, as a client retrying on a timeout
// would. A booking the vendor throttles (429/503) is sent again once its Retry-After has passed, a bounded number
// of times. Every request goes through the ledger first (bookViaVendor). Interrupted: no new booking starts.
import { setMaxListeners } from 'node:events';
import type { ConnectionContext } from '../../context.js';
import { ProbeError } from '../../http/types.js';
import type { Slot } from '../../model/fhir.js';
import { monotonicNow, sleep } from '../../timing.js';
import { accepted } from '../../vendor/outcome.js';
import { bookViaVendor } from '../../vendor/requests.js';
import type { VolumeRequest } from './types.js';

/** How long after a booking's first request its retry goes out: well inside any vendor's round trip. */
export const RETRY_DELAY_MS = 5;
/** How many times one throttled booking is sent again, and the longest wait honoured for one Retry-After. */
const MAX_RESENDS = 4;
const MAX_RETRY_AFTER_MS = 30_000;

export interface BurstBooking {
  key: string;
  slot: Slot;
  /** Sent again with the same key while the first is in flight. */
  retried: boolean;
}

export interface BurstResult {
  requests: Map<string, VolumeRequest[]>;
  notStarted: number;
  peakInFlight: number;
  burstMs: number;
}

/** Which of `n` bookings are retried: spread evenly, `share` of them (rounded to the nearest booking). */
export function retriedIndexes(n: number, share: number): Set<number> {
  const count = Math.round(n * Math.min(1, Math.max(0, share)));
  const picked = new Set<number>();
  for (let j = 0; j < count; j++) picked.add(Math.floor(((j + 0.5) * n) / count));
  return picked;
}

/** `onAccepted` hears of each booking the vendor accepted (done or queued), once, as its answer comes. */
export async function runBurst(
  ctx: ConnectionContext,
  bookings: readonly BurstBooking[],
  concurrency: number,
  patientId: string,
  clock: number,
  onAccepted: (key: string) => void = () => {},
): Promise<BurstResult> {
  const requests = new Map<string, VolumeRequest[]>();
  let inFlight = 0;
  let peakInFlight = 0;
  let lastAnswer = clock;
  const acceptedKeys = new Set<string>();
  const stop = burstSignal(ctx.signal);
  const at = () => Math.round(monotonicNow() - clock);

  const send = async (b: BurstBooking, kind: VolumeRequest['kind'], firstInFlight?: boolean): Promise<VolumeRequest> => {
    const record: VolumeRequest = { kind, sentMs: at(), answeredMs: null, status: null, outcome: 'no-answer', ...(firstInFlight !== undefined && { firstInFlight }) };
    requests.get(b.key)!.push(record);
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    try {
      const answer = await bookViaVendor(ctx, b.slot, patientId, b.key);
      Object.assign(record, { status: answer.status, outcome: answer.outcome });
      if (accepted(answer.outcome) && !acceptedKeys.has(b.key)) {
        acceptedKeys.add(b.key);
        onAccepted(b.key);
      }
    } catch (error) {
      Object.assign(record, failed(error));
    } finally {
      inFlight -= 1;
      record.answeredMs = record.status === null ? null : at();
      lastAnswer = monotonicNow();
    }
    return record;
  };

  const book = async (b: BurstBooking): Promise<void> => {
    requests.set(b.key, []);
    let firstAnswered = false;
    const first = send(b, 'first').finally(() => (firstAnswered = true));
    const retry = b.retried ? sleep(RETRY_DELAY_MS).then(() => send(b, 'retry', !firstAnswered)) : undefined;
    let last = await first;
    for (let n = 0; last.outcome === 'throttled' && n < MAX_RESENDS && !ctx.signal.aborted; n++) {
      await sleep(Math.min(MAX_RETRY_AFTER_MS, last.retryAfterMs ?? 1000 * 2 ** n), stop);
      if (ctx.signal.aborted) break;
      last = await send(b, 'resend');
    }
    await retry;
  };

  // `concurrency` workers take the bookings in order; none starts a new one once the run is interrupted.
  let next = 0;
  const worker = async () => {
    while (next < bookings.length && !ctx.signal.aborted) await book(bookings[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, bookings.length)) }, worker));
  return { requests, notStarted: bookings.length - next, peakInFlight, burstMs: Math.round(lastAnswer - clock) };
}

/**
 * The run's interruption, for the burst's many waits at once: one listener on the run's signal, and no cap on
 * this one's (each throttled booking waits on it).
 */
function burstSignal(run: AbortSignal): AbortSignal {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  if (run.aborted) controller.abort();
  else run.addEventListener('abort', () => controller.abort(), { once: true });
  return controller.signal;
}

/** A request that got no usable answer: throttled past the client's retries, or no answer at all. */
function failed(error: unknown): Partial<VolumeRequest> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ProbeError && error.kind === 'rate-limited') {
    const retryAfterMs = error.details.retryAfterMs;
    return { outcome: 'throttled', status: error.details.status ?? 429, ...(retryAfterMs !== undefined && { retryAfterMs }), error: message };
  }
  return { outcome: 'no-answer', status: error instanceof ProbeError && error.details.status !== undefined ? error.details.status : null, error: message };
}
