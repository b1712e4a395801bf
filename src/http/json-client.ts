// A client for a plain JSON REST API (a vendor's own, described by a mapping file), on the same hardened pieces as
// the FHIR client: bounded transport, redirects and retries by hand, the plan's auth schemes, and every exchange
// logged redacted. It speaks JSON, not FHIR: a 2xx answer must be JSON (an HTML page or garbage is a ProbeError),
// an error answer's body is kept when it is JSON.
import type { Credentials } from './auth/index.js';
import { clientParts } from './client-parts.js';
import { mediaType, parseBody } from './body.js';
import { crossOriginError } from './cross-origin.js';
import { exchange, type ExchangeDeps } from './exchange.js';
import { normalizeBase, resolveUrl, type Query } from './fhir-url.js';
import { redactUrl, SecretScrubber } from './redact.js';
import type { Transport, WireResponse } from './transport.js';
import { ProbeError, type ClientOptions, type RequestLog } from './types.js';

export interface JsonRequest {
  method: string;
  /** A path under the base URL, or an absolute URL on its origin. */
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
}

export interface JsonAnswer {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body; undefined when empty (or, for an error answer, unreadable). */
  body: unknown;
  durationMs: number;
}

export class JsonClient {
  readonly baseUrl: string;
  readonly log: RequestLog;
  private readonly name: string;
  private readonly origin: string;
  private readonly scrubber = new SecretScrubber();
  private readonly transport: Transport;
  private readonly deps: ExchangeDeps;
  private readonly credentials: Credentials;

  constructor(options: ClientOptions) {
    this.baseUrl = normalizeBase(options.baseUrl);
    this.origin = new URL(this.baseUrl).origin;
    this.name = options.name ?? 'API';
    ({ log: this.log, transport: this.transport, deps: this.deps, credentials: this.credentials } = clientParts(options, this.baseUrl, this.scrubber));
  }

  /** A value that must never reach a log or a message (a key the mapping put in a header or the path). */
  addSecret(value: string): void {
    this.scrubber.add(value);
  }

  /** Resolves for any HTTP status; rejects only with a ProbeError (transport, not JSON, auth, rate limit, another origin). */
  async request(req: JsonRequest): Promise<JsonAnswer> {
    try {
      return await this.send(req);
    } catch (error) {
      const probe = error instanceof ProbeError ? error : new ProbeError('config', `request could not be made: ${String((error as Error)?.message ?? error)}`);
      const { url, status } = probe.details;
      throw new ProbeError(probe.kind, this.scrubber.scrub(probe.message), {
        ...(url !== undefined && { url: this.scrubber.scrub(url) }),
        ...(status !== undefined && { status }),
      });
    }
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async send(req: JsonRequest): Promise<JsonAnswer> {
    const url = resolveUrl(this.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const authorization = headers.authorization ?? (await this.credentials.authorization());
    delete headers.authorization;
    const result = await exchange(this.deps, { method: req.method, url, headers, body, authorization, credentialOrigin: this.origin });
    if (result.leftOrigin) {
      throw crossOriginError({ name: this.name, baseUrl: this.baseUrl, method: req.method, url, change: result.leftOrigin, hadCredentials: Boolean(authorization) });
    }
    const { wire } = result;
    const parsed = jsonOf(wire, result.url);
    if (wire.status === 401 || wire.status === 403) {
      throw new ProbeError('auth', `the ${this.name} refused the credentials (HTTP ${wire.status}) at ${redactUrl(url).split('?')[0]}`, { url: redactUrl(url), status: wire.status });
    }
    return { status: wire.status, headers: wire.headers, body: parsed, durationMs: result.durationMs };
  }
}

/** The JSON body under any JSON-ish content type; a 2xx answer that is an HTML page or not JSON is a ProbeError. */
function jsonOf(wire: WireResponse, url: string): unknown {
  const parsed = parseBody(wire, url, false);
  const text = wire.bytes.toString('utf8').trim();
  if (parsed !== undefined || text === '' || wire.status < 200 || wire.status >= 300) return parsed;
  const where = redactUrl(url);
  const html = mediaType(wire.headers['content-type'])?.includes('html') || /^<(!doctype|html|head|body)\b/i.test(text);
  if (html) throw new ProbeError('login-page', `${where} answered ${wire.status} with an HTML page (a sign-in page?) where JSON was expected`, { url: where, status: wire.status });
  throw new ProbeError('not-json', `${where} answered ${wire.status} with a body that is not JSON (${wire.headers['content-type'] ?? 'no content type'})`, { url: where, status: wire.status });
}
