// Keeps credentials out of evidence: URLs lose userinfo and secret-looking query values, and any text
// can be scrubbed of the exact secrets this client has handled (tokens, client secrets, assertions).

export const REDACTED = 'REDACTED';

// Query parameter names that carry credentials. `code`, `author` and other FHIR search names stay readable.
const SECRET_PARAM = /secret|token|key|pass(word|wd)?$|^pwd$|assertion|credential|signature|^sig$|^auth$|authori[sz]ation|session/i;

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

/** The URL as it may appear in a log or report. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '[unparseable URL]';
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  let changed = false;
  const params = new URLSearchParams();
  for (const [name, value] of url.searchParams) {
    const secret = isSecretParam(name);
    changed ||= secret;
    params.append(name, secret ? REDACTED : value);
  }
  if (!changed) return url.toString();
  // Rebuilt only when needed, so ordinary search URLs keep their original encoding.
  url.search = params.toString();
  return url.toString();
}

// Shapes of credentials worth hiding even when this client never saw the value (e.g. a server echoing one).
// Eight characters at least, so prose such as "the bearer token" survives; a known value is scrubbed exactly anyway.
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** Known secret values, removed from any text before it leaves the HTTP layer. */
export class SecretScrubber {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    // Very short values would shred ordinary words; they are not credentials anyone should use.
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  scrub(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is removed whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
    return out.replace(BEARER, `$1 ${REDACTED}`).replace(JWT, REDACTED);
  }
}
