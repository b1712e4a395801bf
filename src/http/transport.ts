// One HTTP exchange on the wire, bounded: connect timeout (DNS included), total timeout (a server that
// trickles bytes forever is cut off), and a response size cap (reading stops as soon as it is passed).
// undici is loaded on first use, so commands that never probe never load it.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { Dispatcher } from 'undici';
import { ProbeError, type ProbeErrorKind } from './types.js';
import { redactUrl } from './redact.js';

export interface TransportLimits {
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxResponseBytes: number;
}

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  bytes: Buffer;
}

type Undici = typeof import('undici');
let undiciModule: Promise<Undici> | undefined;
const loadUndici = (): Promise<Undici> => (undiciModule ??= import('undici'));

export class Transport {
  private dispatcher?: Promise<Dispatcher>;

  constructor(readonly limits: TransportLimits) {}

  async exchange(req: WireRequest): Promise<WireResponse> {
    const undici = await loadUndici();
    const dispatcher = await this.agent();
    const { totalTimeoutMs, maxResponseBytes } = this.limits;
    const controller = new AbortController();
    let timedOut = false;
    let answered = false; // headers arrived: a failure now is a broken answer, not an unreachable server
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, totalTimeoutMs);
    try {
      const res = await undici.request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        dispatcher,
        signal: controller.signal,
      });
      answered = true;
      const headers = flattenHeaders(res.headers);
      const declared = Number(headers['content-length']);
      if (Number.isFinite(declared) && declared > maxResponseBytes) {
        controller.abort();
        throw tooLarge(req.url, maxResponseBytes, `declares ${declared} bytes`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > maxResponseBytes) {
          controller.abort(); // closes the connection: nothing more is read
          throw tooLarge(req.url, maxResponseBytes, 'kept sending');
        }
        chunks.push(chunk as Buffer);
      }
      return { status: res.statusCode, headers, bytes: Buffer.concat(chunks, size) };
    } catch (error) {
      if (error instanceof ProbeError) throw error;
      if (timedOut) {
        throw new ProbeError('timeout', `${redactUrl(req.url)} did not answer in full within ${totalTimeoutMs} ms`, {
          url: redactUrl(req.url),
        });
      }
      throw transportError(error, req.url, this.limits, answered);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const pending = this.dispatcher;
    this.dispatcher = undefined;
    if (pending) await (await pending).destroy();
  }

  private agent(): Promise<Dispatcher> {
    const { connectTimeoutMs, totalTimeoutMs } = this.limits;
    this.dispatcher ??= loadUndici().then(
      (undici) =>
        new undici.Agent({
          connect: { timeout: connectTimeoutMs, lookup: boundedLookup(dnsBoundMs(connectTimeoutMs)) },
          // Our own timer is the real bound; undici's must not cut in earlier with a different error.
          headersTimeout: totalTimeoutMs + 1_000,
          bodyTimeout: totalTimeoutMs + 1_000,
        }),
    );
    return this.dispatcher;
  }
}

function tooLarge(url: string, cap: number, how: string): ProbeError {
  return new ProbeError('too-large', `${redactUrl(url)} ${how} more than the ${cap}-byte response cap`, {
    url: redactUrl(url),
  });
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// DNS gets slightly less than the connect timeout, so a hanging resolver reads as `dns`, not `timeout`.
function dnsBoundMs(connectTimeoutMs: number): number {
  return Math.max(1, Math.floor(connectTimeoutMs * 0.9));
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;

/** dns.lookup that gives up after `ms`: the resolver itself may hang, and net.connect would wait for it. */
function boundedLookup(ms: number): LookupFunction {
  const lookup = (hostname: string, options: object, callback: LookupCallback): void => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      const err: NodeJS.ErrnoException = new Error(`looking up ${hostname} took longer than ${ms} ms`);
      err.code = 'EDNSTIMEOUT';
      callback(err);
    }, ms);
    const done = (...result: Parameters<LookupCallback>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      callback(...result);
    };
    // Forwarded as dns.lookup gives it: one address and its family, or all addresses when asked.
    (dnsLookup as unknown as (h: string, o: object, cb: LookupCallback) => void)(hostname, options, done);
  };
  return lookup as unknown as LookupFunction;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA', 'EDNSTIMEOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const TLS_CODE = /^(ERR_TLS|ERR_SSL|EPROTO$)|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|TLSV1/;

/** Maps a low-level failure to the cause a buyer can act on. The message names the host, never headers. */
function transportError(error: unknown, url: string, limits: TransportLimits, answered: boolean): ProbeError {
  const codes = errorCodes(error);
  const where = redactUrl(url);
  const host = safeHost(url);
  const code = codes[0] ?? (error as Error | undefined)?.name ?? 'unknown error';
  if (codes.includes('UND_ERR_HEADERS_OVERFLOW')) {
    return new ProbeError('too-large', `${where} answered with headers larger than the client accepts`, { url: where });
  }
  const notHttp = codes.some((c) => c.startsWith('HPE_')) || (error as Error | undefined)?.name === 'HTTPParserError';
  if (answered || notHttp) {
    const what = answered ? 'dropped the connection while sending its answer' : 'did not answer in HTTP';
    return new ProbeError('connect', `${where} ${what} (${code})`, { url: where });
  }
  const kind: ProbeErrorKind = codes.some((c) => DNS_CODES.has(c))
    ? 'dns'
    : codes.some((c) => TIMEOUT_CODES.has(c))
      ? 'timeout'
      : codes.some((c) => TLS_CODE.test(c))
        ? 'tls'
        : 'connect';
  const message =
    kind === 'dns'
      ? `${host} does not resolve (${code})`
      : kind === 'timeout'
        ? `${where} could not be reached within ${limits.connectTimeoutMs} ms (${code})`
        : kind === 'tls'
          ? `TLS with ${host} failed (${code})`
          : `${where} could not be reached (${code})`;
  return new ProbeError(kind, message, { url: where });
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    // AggregateError from happy-eyeballs: one error per address tried.
    if (Array.isArray(errors)) codes.push(...errors.flatMap((e) => errorCodes(e)));
    current = cause;
  }
  return codes;
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the host';
  }
}
