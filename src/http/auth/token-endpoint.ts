// The OAuth token endpoint: one form POST, the access token out of the answer, and a cache that
// keeps it until shortly before it expires.
import { ProbeError } from '../types.js';
import { redactUrl, type SecretScrubber } from '../redact.js';
import type { AuthHttp } from './credentials.js';

export interface IssuedToken {
  accessToken: string;
  /** Seconds, as the server said; undefined when it did not say. */
  expiresIn?: number;
}

const DEFAULT_LIFETIME_S = 300;

export async function requestToken(
  http: AuthHttp,
  tokenUrl: string,
  form: Record<string, string>,
  scrubber: SecretScrubber,
  headers: Record<string, string> = {},
): Promise<IssuedToken> {
  const where = redactUrl(tokenUrl);
  const res = await http.postForm(tokenUrl, form, headers);
  if (res.status < 200 || res.status >= 300) {
    throw new ProbeError('auth', `token endpoint ${where} refused the request (${res.status})${oauthError(res.body)}`, {
      url: where,
      status: res.status,
    });
  }
  const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
  const accessToken = typeof body.access_token === 'string' ? body.access_token.trim() : '';
  if (!accessToken) {
    throw new ProbeError('auth', `token endpoint ${where} answered ${res.status} without an access_token`, { url: where, status: res.status });
  }
  scrubber.add(accessToken);
  const tokenType = body.token_type;
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new ProbeError('auth', `token endpoint ${where} issued a ${tokenType} token; only bearer tokens are supported`, { url: where });
  }
  // Some servers send expires_in as a string.
  const expiresIn = Number(body.expires_in);
  return { accessToken, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined };
}

/** `: invalid_client — why`, from an OAuth error body (RFC 6749 §5.2), bounded; empty when there is none. */
function oauthError(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const { error, error_description: description } = body as Record<string, unknown>;
  const parts = [error, description].filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  if (parts.length === 0) return '';
  const text = parts.join(' — ').replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return `: ${text.length > 300 ? `${text.slice(0, 299)}…` : text}`;
}

/** One token at a time: concurrent callers share one request; a token is reused until near its expiry. */
export class TokenCache {
  private token?: { value: string; refreshAt: number };
  private pending?: Promise<string>;

  constructor(private readonly issue: () => Promise<IssuedToken>) {}

  async get(): Promise<string> {
    if (this.token && Date.now() < this.token.refreshAt) return this.token.value;
    this.pending ??= this.issue()
      .then((issued) => {
        const lifetimeMs = (issued.expiresIn ?? DEFAULT_LIFETIME_S) * 1000;
        // Refresh early (a tenth of the lifetime, at most 30 s) so a token never expires in flight.
        const marginMs = Math.min(30_000, lifetimeMs / 10);
        this.token = { value: issued.accessToken, refreshAt: Date.now() + lifetimeMs - marginMs };
        return issued.accessToken;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  drop(): void {
    this.token = undefined;
  }
}
