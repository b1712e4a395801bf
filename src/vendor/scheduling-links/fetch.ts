// The feed's files on the wire: plain GETs through the project's bounded transport (connect and total timeouts,
// a size cap per file) and its exchange (redirects by hand, 429/503 within the retry budget), each one logged in
// the connection's RequestLog. A feed is public: no credentials are ever sent, so its files may sit on another
// origin than the manifest (a CDN), as publishers often put them.
import { exchangeParts, type ClientOptionsWithoutEndpoint } from '../../http/client-parts.js';
import type { RequestLog } from '../../http/types.js';
import { exchange, type ExchangeDeps } from '../../http/exchange.js';
import { SecretScrubber } from '../../http/redact.js';
import type { Transport } from '../../http/transport.js';

/** One file of the feed as it came back: its status, headers (lower-case names) and text. */
export interface FeedFileAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The URL that answered, after redirects. */
  url: string;
}

export type FeedClientOptions = ClientOptionsWithoutEndpoint;

export class FeedClient {
  readonly log: RequestLog;
  private readonly transport: Transport;
  private readonly deps: ExchangeDeps;

  constructor(options: FeedClientOptions = {}) {
    ({ log: this.log, transport: this.transport, deps: this.deps } = exchangeParts(options, new SecretScrubber()));
  }

  /** GETs one file; rejects only with a ProbeError (unreachable, timeout, too large, rate-limited, bad redirect). */
  async get(url: string, accept: string): Promise<FeedFileAnswer> {
    const answer = await exchange(this.deps, { method: 'GET', url, headers: { accept } });
    return { status: answer.wire.status, headers: answer.wire.headers, text: answer.wire.bytes.toString('utf8').replace(/^\uFEFF/, ''), url: answer.url };
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
