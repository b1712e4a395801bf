// The FHIR client's contract. Implemented in src/http/fhir-client.ts; probes and commands code against this.
import type { AuthConfig } from '../model/plan.js';
import type { RequestRecord } from '../model/report.js';
import type { HostLimiter } from './host-limit.js';

/** Why a request failed before an HTTP answer could be used. Each kind names a cause a buyer can act on. */
export type ProbeErrorKind =
  | 'dns' // host name does not resolve
  | 'connect' // refused, reset, unreachable
  | 'tls' // certificate or handshake problem
  | 'timeout' // connect or total timeout
  | 'too-large' // body over the size cap
  | 'not-json' // body is not JSON (or not parseable)
  | 'login-page' // an HTML page where FHIR JSON was expected (e.g. an SSO login page with 200)
  | 'not-fhir' // JSON, but not a FHIR resource / wrong content type
  | 'auth' // token could not be obtained, or 401/403
  | 'rate-limited' // 429/503 still after the retry budget
  | 'redirect' // too many redirects, or a redirect that could not be followed safely
  | 'cross-origin' // the answer came from (or the request was sent on to) another origin than the server's own
  | 'not-searchset' // a search answered 2xx with something other than a searchset Bundle
  | 'config' // missing env var, unreadable key file
  | 'http'; // any other non-success status where success was required

export class ProbeError extends Error {
  constructor(
    readonly kind: ProbeErrorKind,
    message: string,
    readonly details: { url?: string; status?: number; outcome?: string; redirectedTo?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

export interface ClientOptions {
  /** FHIR base URL, e.g. http://127.0.0.1:8101/fhir/R4 (no trailing slash needed). */
  baseUrl: string;
  auth?: AuthConfig;
  /** Where env-var secrets are read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Folder that relative key files resolve from (the plan's folder). */
  baseDir?: string;
  connectTimeoutMs?: number; // default 5_000
  totalTimeoutMs?: number; // default 20_000
  maxResponseBytes?: number; // default 10 MiB
  retry?: { maxRetries?: number; maxWaitMs?: number }; // defaults 2 and 10_000 (the whole budget)
  /** Every exchange is appended here, redacted. Share one log per connection to keep it as evidence. */
  log?: RequestLog;
  /** Who this server is, for messages: `EHR`, `vendor` (default `FHIR server`). */
  name?: string;
  /** Bounds requests in flight per host; share one per run so every client counts against the same bound. */
  limiter?: HostLimiter;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path relative to the base URL (`Slot?status=free`) or an absolute URL on the same origin. */
  path: string;
  query?: Record<string, string | string[] | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  ifMatch?: string;
  ifNoneExist?: string;
  /** Default true: require a JSON body (FHIR+JSON or JSON) for non-empty answers. */
  expectJson?: boolean;
}

export interface FhirResponse<T = any> {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body; undefined for an empty body. */
  body: T | undefined;
  etag?: string;
  location?: string;
  durationMs: number;
  /** The URL that gave this answer (redacted): differs from the one asked when a same-origin redirect was followed. */
  url: string;
}

export interface RequestLog {
  readonly records: RequestRecord[];
  add(record: RequestRecord): void;
  /** Records added after `mark` (a previous `records.length`), for per-finding evidence. */
  since(mark: number): RequestRecord[];
}
