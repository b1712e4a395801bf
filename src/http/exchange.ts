// A request as the client sees it: redirects followed by hand (credentials never leave their origin),
// 429/503 retried within the budget, and every wire exchange logged, redacted, as evidence.
// A redirect to another origin is followed only when the next request carries no body (a booking or a
// patient is never delivered to a server the plan does not name), and it is reported in `leftOrigin`:
// the caller decides that such an answer is not the server's own.
import { setTimeout as sleep } from 'node:timers/promises';
import { hostOf, type HostLimiter } from './host-limit.js';
import type { RequestLog } from './types.js';
import { ProbeError } from './types.js';
import { redactUrl, type SecretScrubber } from './redact.js';
import { nextWait, parseRetryAfter, type RetryBudget } from './retry-after.js';
import type { Transport, WireResponse } from './transport.js';

export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Authorization header value, sent only to `credentialOrigin`. */
  authorization?: string;
  credentialOrigin?: string;
  followRedirects?: boolean; // default true
}

export interface Exchanged {
  wire: WireResponse;
  /** The URL that finally answered (after redirects). */
  url: string;
  durationMs: number;
  /** The first redirect that left the request's own origin; absent when every hop stayed home. */
  leftOrigin?: OriginChange;
}

export interface OriginChange {
  /** The redirect's status and target (absolute, not yet redacted). */
  status: number;
  to: string;
  /** False when the hop was not taken because the request would have carried a body there. */
  followed: boolean;
}

export interface ExchangeDeps {
  transport: Transport;
  log: RequestLog;
  scrubber: SecretScrubber;
  retry: RetryBudget;
  /** The run's bound on requests in flight per host; none: unbounded. */
  limiter?: HostLimiter;
}

export async function exchange(deps: ExchangeDeps, out: Outgoing): Promise<Exchanged> {
  const started = performance.now();
  let { method, url, body } = out;
  let hops = 0;
  let attempt = 0;
  let waitedMs = 0;
  let leftOrigin: OriginChange | undefined;
  const home = origin(out.url);
  for (;;) {
    const headers = { ...out.headers };
    if (out.authorization && origin(url) === out.credentialOrigin) headers['authorization'] = out.authorization;
    if (body === undefined) delete headers['content-type'];
    const wire = await bounded(deps, url, () => logged(deps, method, url, () => deps.transport.exchange({ method, url, headers, body }), home));

    if (wire.status === 429 || wire.status === 503) {
      const askedMs = parseRetryAfter(wire.headers['retry-after']);
      const wait = nextWait(attempt, askedMs, waitedMs, deps.retry);
      if (wait === undefined) throw rateLimited(url, wire.status, askedMs, attempt, deps.retry);
      // The whole run holds off this host, not only this request: the server asked us to slow down.
      deps.limiter?.pause(hostOf(url), wait);
      await sleep(wait);
      waitedMs += wait;
      attempt++;
      continue;
    }

    const location = wire.headers['location'];
    if (REDIRECTS.has(wire.status) && location && out.followRedirects !== false) {
      if (hops >= MAX_REDIRECTS) {
        throw new ProbeError('redirect', `${redactUrl(url)} redirected more than ${MAX_REDIRECTS} times`, {
          url: redactUrl(url),
          status: wire.status,
        });
      }
      const next = redirectTarget(location, url, wire.status);
      // 303, and 301/302 after a POST, turn into a GET without body (as browsers and fetch do).
      const becomesGet = wire.status === 303 || ((wire.status === 301 || wire.status === 302) && method === 'POST');
      const carriesBody = !becomesGet && method !== 'GET' && method !== 'HEAD';
      if (origin(next) !== home && !leftOrigin) {
        leftOrigin = { status: wire.status, to: next, followed: !carriesBody };
        if (carriesBody) return { wire, url, durationMs: Math.round(performance.now() - started), leftOrigin };
      }
      if (becomesGet) {
        method = 'GET';
        body = undefined;
      }
      url = next;
      hops++;
      continue;
    }
    return { wire, url, durationMs: Math.round(performance.now() - started), ...(leftOrigin && { leftOrigin }) };
  }
}

export function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** One wire exchange inside the run's per-host bound; the wait for a place is not part of the logged duration. */
async function bounded<T>(deps: ExchangeDeps, url: string, send: () => Promise<T>): Promise<T> {
  if (!deps.limiter) return send();
  const release = await deps.limiter.acquire(hostOf(url));
  try {
    return await send();
  } finally {
    release();
  }
}

async function logged(deps: ExchangeDeps, method: string, url: string, send: () => Promise<WireResponse>, home: string | undefined): Promise<WireResponse> {
  const at = new Date().toISOString();
  const t0 = performance.now();
  // Scrubbed as well: a caller may have put a known secret into the path itself.
  const record = { method, url: deps.scrubber.scrub(redactUrl(url)), at };
  try {
    const wire = await send();
    deps.log.add({ ...record, status: wire.status, durationMs: Math.round(performance.now() - t0), ...redirectNote(deps, wire, url, home) });
    return wire;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.add({ ...record, status: null, durationMs: Math.round(performance.now() - t0), error: deps.scrubber.scrub(message) });
    throw error;
  }
}

/** Where a redirect pointed, and whether that left the request's origin: the evidence shows the hop. */
function redirectNote(deps: ExchangeDeps, wire: WireResponse, url: string, home: string | undefined): { redirectedTo?: string; crossOrigin?: true } {
  const location = wire.headers['location'];
  if (!REDIRECTS.has(wire.status) || !location) return {};
  let target: string;
  try {
    target = new URL(location, url).toString();
  } catch {
    return {};
  }
  return { redirectedTo: deps.scrubber.scrub(redactUrl(target)), ...(origin(target) !== home && { crossOrigin: true as const }) };
}

function redirectTarget(location: string, from: string, status: number): string {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new ProbeError('redirect', `${redactUrl(from)} redirected (${status}) to an unreadable Location`, {
      url: redactUrl(from),
      status,
    });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new ProbeError('redirect', `${redactUrl(from)} redirected (${status}) to a ${next.protocol} URL, which is not followed`, {
      url: redactUrl(from),
      status,
    });
  }
  return next.toString();
}

function rateLimited(url: string, status: number, askedMs: number | undefined, attempt: number, budget: RetryBudget): ProbeError {
  const where = redactUrl(url);
  const why =
    attempt >= budget.maxRetries
      ? `still after ${attempt} ${attempt === 1 ? 'retry' : 'retries'}`
      : askedMs !== undefined
        ? `Retry-After asks for ${Math.ceil(askedMs / 1000)} s, beyond the ${budget.maxWaitMs / 1000} s retry budget`
        : `no retry fits the ${budget.maxWaitMs / 1000} s retry budget`;
  return new ProbeError('rate-limited', `${where} answered ${status}: ${why}`, { url: where, status, ...(askedMs !== undefined && { retryAfterMs: askedMs }) });
}
