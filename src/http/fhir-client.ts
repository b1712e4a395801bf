// The hardened FHIR R4 client every probe uses (contract in ./types.ts). Transport limits live in
// ./transport.ts, redirects and retries in ./exchange.ts, auth schemes in ./auth/. This file speaks FHIR:
// URLs under the base, headers, body checks, and the typed read/search/create/update/delete helpers.
// Bounds: the connect and total timeouts apply to each wire exchange (each redirect hop and retry);
// retries wait at most `retry.maxWaitMs` in all, and redirects stop after five, so every call is bounded.
import { STATUS_CODES } from 'node:http';
import type { Bundle } from '@medplum/fhirtypes';
import { ProbeError, type ClientOptions, type FhirResponse, type RequestLog, type RequestOptions } from './types.js';
import type { Transport } from './transport.js';
import { exchange, type ExchangeDeps, type Outgoing } from './exchange.js';
import { parseBody, requireResource } from './body.js';
import { outcomeText } from './outcome.js';
import { redactUrl, SecretScrubber } from './redact.js';
import type { Credentials } from './auth/index.js';
import { clientParts } from './client-parts.js';
import { nextPageUrl } from './paging.js';
import { requireSearchset } from './searchset.js';
import { crossOriginError } from './cross-origin.js';
import { etagValue, instancePath, normalizeBase, resolveUrl, resourceTypeOf, type Query } from './fhir-url.js';

export { createRequestLog } from './request-log.js';
export { outcomeText } from './outcome.js';

const FHIR_JSON = 'application/fhir+json';
const DEFAULT_MAX_PAGES = 50;

interface SendOptions {
  /** A 2xx JSON body must be a FHIR resource (of this type, when given). */
  resource?: boolean | string;
}

export class FhirClient {
  readonly baseUrl: string;
  readonly log: RequestLog;
  private readonly name: string;
  private readonly hasCredentials: boolean;
  private readonly origin: string;
  private readonly scrubber = new SecretScrubber();
  private readonly transport: Transport;
  private readonly deps: ExchangeDeps;
  private readonly credentials: Credentials;

  constructor(options: ClientOptions) {
    this.baseUrl = normalizeBase(options.baseUrl);
    this.origin = new URL(this.baseUrl).origin;
    this.name = options.name ?? 'FHIR server';
    this.hasCredentials = (options.auth?.type ?? 'none') !== 'none';
    ({ log: this.log, transport: this.transport, deps: this.deps, credentials: this.credentials } = clientParts(options, this.baseUrl, this.scrubber));
  }

  /** Resolves for any HTTP status; rejects only with a ProbeError (transport, format, auth, rate limit). */
  request<T = any>(req: RequestOptions): Promise<FhirResponse<T>> {
    return this.guard(() => this.send<T>(req, { resource: req.expectJson !== false }));
  }

  read<T>(type: string, id: string): Promise<T> {
    return this.guard(async () => this.success(await this.sendFor<T>({ path: instancePath(type, id) }, { resource: type }), `GET ${type}/${id}`));
  }

  /** One page of a search: a searchset Bundle, or a `not-searchset` error saying what came instead. */
  search<T = any>(type: string, params?: Query): Promise<Bundle> {
    return this.guard(() => this.searchPage({ path: type, query: params }, `${type} search`));
  }

  /** Every matching resource over all pages; next links must stay on this server's origin. */
  searchAll<T = any>(type: string, params?: Query, opts: { maxPages?: number } = {}): Promise<T[]> {
    return this.guard(async () => {
      const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
      const seen = new Set<string>();
      const found: T[] = [];
      let page = await this.searchPage({ path: type, query: params }, `${type} search`);
      for (let pages = 1; ; pages++) {
        for (const entry of page.entry ?? []) {
          // Included resources and outcome entries are not matches.
          if (entry.resource && (entry.search?.mode ?? 'match') === 'match') found.push(entry.resource as T);
        }
        const next = nextPageUrl(page, this.origin, this.baseUrl, seen);
        if (!next) return found;
        if (pages >= maxPages) {
          throw new ProbeError('http', `${type} search has more than ${maxPages} pages; stopped there`, { url: redactUrl(next) });
        }
        page = await this.searchPage({ path: next }, `${type} search (page ${pages + 1})`);
      }
    });
  }

  private async searchPage(req: RequestOptions, what: string): Promise<Bundle> {
    const answer = await this.sendFor<Bundle>(req, { resource: true });
    const bundle = this.success(answer, `GET ${what.replace(/ search/, '')}`);
    requireSearchset(bundle, what, { url: redactUrl(answer.url), status: answer.res.status });
    return bundle;
  }

  create<T = any>(resource: T, opts: { ifNoneExist?: string } = {}): Promise<FhirResponse<T>> {
    return this.guard(() => {
      const type = resourceTypeOf(resource, 'create');
      return this.send<T>(
        { method: 'POST', path: type, body: resource, ifNoneExist: opts.ifNoneExist, headers: { prefer: 'return=representation' } },
        { resource: true },
      );
    });
  }

  update<T = any>(resource: T, opts: { ifMatch?: string } = {}): Promise<FhirResponse<T>> {
    return this.guard(() => {
      const type = resourceTypeOf(resource, 'update');
      const id = (resource as { id?: unknown }).id;
      if (typeof id !== 'string' || !id) throw new ProbeError('config', `update needs a ${type} with an id`);
      return this.send<T>(
        { method: 'PUT', path: instancePath(type, id), body: resource, ifMatch: opts.ifMatch, headers: { prefer: 'return=representation' } },
        { resource: true },
      );
    });
  }

  delete(type: string, id: string): Promise<FhirResponse> {
    // A delete may answer with an OperationOutcome, an empty body, or (some servers) anything: only JSON-ness is checked.
    return this.guard(() => this.send({ method: 'DELETE', path: instancePath(type, id) }, {}));
  }

  /** GET metadata: the CapabilityStatement, or whatever JSON the server answers with (old servers send Conformance). */
  capabilities(): Promise<unknown> {
    return this.guard(async () => this.success(await this.sendFor({ path: 'metadata' }, {}), 'GET metadata'));
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private async send<T>(req: RequestOptions, opts: SendOptions): Promise<FhirResponse<T>> {
    return (await this.sendFor<T>(req, opts)).res;
  }

  /** The response, and the URL that finally gave it (after redirects), for error messages. */
  private async sendFor<T>(req: RequestOptions, opts: SendOptions): Promise<{ res: FhirResponse<T>; url: string }> {
    const url = resolveUrl(this.baseUrl, req.path, req.query);
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = { accept: FHIR_JSON };
    let callerAuthorization: string | undefined;
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      if (name.toLowerCase() === 'authorization') callerAuthorization = value;
      else headers[name.toLowerCase()] = value;
    }
    this.scrubber.add(callerAuthorization);
    const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (body !== undefined) headers['content-type'] ??= FHIR_JSON;
    if (req.ifMatch) headers['if-match'] = etagValue(req.ifMatch);
    if (req.ifNoneExist) headers['if-none-exist'] = req.ifNoneExist.replace(/^\?/, '');

    const outgoing = async (): Promise<Outgoing> => ({
      method,
      url,
      headers,
      body,
      authorization: callerAuthorization ?? (await this.credentials.authorization()),
      credentialOrigin: this.origin,
    });
    let request = await outgoing();
    let result = await exchange(this.deps, request);
    // A cached token may have been revoked or expired early: drop it and try once with a new one.
    if (result.wire.status === 401 && !result.leftOrigin && !callerAuthorization && this.credentials.invalidate()) {
      request = await outgoing();
      result = await exchange(this.deps, request);
    }
    // Whatever another origin answered, it is not this server's answer (and it never saw the credentials).
    if (result.leftOrigin) {
      const hadCredentials = callerAuthorization !== undefined ? callerAuthorization !== '' : this.hasCredentials && !!request.authorization;
      throw crossOriginError({ name: this.name, baseUrl: this.baseUrl, method, url, change: result.leftOrigin, hadCredentials });
    }

    const { wire } = result;
    const parsed = parseBody(wire, result.url, req.expectJson !== false);
    const ok = wire.status >= 200 && wire.status < 300;
    if (ok && parsed !== undefined && opts.resource) {
      requireResource(parsed, result.url, wire.status, typeof opts.resource === 'string' ? opts.resource : undefined);
    }
    const res: FhirResponse<T> = {
      status: wire.status,
      headers: wire.headers,
      body: parsed as T | undefined,
      etag: wire.headers['etag'],
      location: wire.headers['location'] ?? wire.headers['content-location'],
      durationMs: result.durationMs,
      url: redactUrl(result.url),
    };
    return { res, url: result.url };
  }

  /** The body of a 2xx answer; otherwise a ProbeError carrying the OperationOutcome's text. */
  private success<T>({ res, url }: { res: FhirResponse<T>; url: string }, what: string): T {
    const where = redactUrl(url);
    if (res.status >= 200 && res.status < 300) {
      if (res.body === undefined) throw new ProbeError('not-fhir', `${what} answered ${res.status} with an empty body`, { url: where, status: res.status });
      return res.body;
    }
    const outcome = outcomeText(res.body);
    const kind = res.status === 401 || res.status === 403 ? 'auth' : 'http';
    const reason = STATUS_CODES[res.status] ? ` ${STATUS_CODES[res.status]}` : '';
    throw new ProbeError(kind, `${what} answered ${res.status}${reason}${outcome ? `: ${outcome}` : ''}`, {
      url: where,
      status: res.status,
      ...(outcome ? { outcome } : {}),
    });
  }

  /** Every error leaving the client is a ProbeError with known secrets scrubbed from its text. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      // Anything else is a misuse of the client (a bad header value, say), reported as configuration.
      const probe = error instanceof ProbeError ? error : new ProbeError('config', `request could not be made: ${String((error as Error)?.message ?? error)}`);
      const { url, status, outcome, redirectedTo } = probe.details;
      throw new ProbeError(probe.kind, this.scrubber.scrub(probe.message), {
        ...(url !== undefined ? { url: this.scrubber.scrub(url) } : {}),
        ...(redirectedTo !== undefined ? { redirectedTo: this.scrubber.scrub(redirectedTo) } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(outcome !== undefined ? { outcome: this.scrubber.scrub(outcome) } : {}),
      });
    }
  }
}

