// What every client ehr-check speaks through is built from, the same way for a FHIR server and a vendor's own JSON
// API or a public feed: the bounded transport, the exchange's retry budget and host limiter, the request log, and
// (for an API) the credentials.
import { createAuthHttp } from './auth-http.js';
import { createCredentials, type Credentials } from './auth/index.js';
import type { ExchangeDeps } from './exchange.js';
import type { SecretScrubber } from './redact.js';
import { createRequestLog } from './request-log.js';
import { Transport } from './transport.js';
import type { ClientOptions, RequestLog } from './types.js';

/** A client's settings apart from the endpoint it speaks to. */
export type ClientOptionsWithoutEndpoint = Omit<ClientOptions, 'baseUrl' | 'auth' | 'name'>;

/** What an exchange needs: the bounded transport, the log, and the retry budget and host limiter. */
export interface ExchangeParts {
  log: RequestLog;
  transport: Transport;
  deps: ExchangeDeps;
}

export interface ClientParts extends ExchangeParts {
  credentials: Credentials;
}

/** The transport, log and exchange settings of a client that sends no credentials (a public feed's). */
export function exchangeParts(options: ClientOptionsWithoutEndpoint, scrubber: SecretScrubber): ExchangeParts {
  const log = options.log ?? createRequestLog();
  const transport = new Transport({
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    totalTimeoutMs: options.totalTimeoutMs ?? 20_000,
    maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024,
  });
  const deps: ExchangeDeps = {
    transport,
    log,
    scrubber,
    retry: { maxRetries: options.retry?.maxRetries ?? 2, maxWaitMs: options.retry?.maxWaitMs ?? 10_000 },
    ...(options.limiter ? { limiter: options.limiter } : {}),
  };
  return { log, transport, deps };
}

/** `baseUrl` is the client's normalised base; secrets the credentials learn are added to `scrubber`. */
export function clientParts(options: ClientOptions, baseUrl: string, scrubber: SecretScrubber): ClientParts {
  const parts = exchangeParts(options, scrubber);
  const credentials = createCredentials(options.auth, {
    baseUrl,
    env: options.env ?? process.env,
    baseDir: options.baseDir ?? process.cwd(),
    scrubber,
    http: createAuthHttp(parts.deps),
  });
  return { ...parts, credentials };
}
