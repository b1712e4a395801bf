// An answer that came from another origin than the server's own is not that server's answer: the client
// sent it no credentials (they never leave their origin), so it proves nothing about them, and the plan
// does not name that origin as the EHR or the vendor. The client refuses such answers with this error.
import { redactUrl } from './redact.js';
import type { OriginChange } from './exchange.js';
import { ProbeError } from './types.js';

export interface CrossOriginContext {
  /** `EHR`, `vendor`, or `FHIR server`. */
  name: string;
  baseUrl: string;
  method: string;
  /** The URL asked for, and where the hop that left its origin pointed. */
  url: string;
  change: OriginChange;
  /** Whether this request had credentials to send (and so did not send them across). */
  hadCredentials: boolean;
}

export function crossOriginError(c: CrossOriginContext): ProbeError {
  const base = redactUrl(c.baseUrl);
  const asked = redactUrl(c.url);
  const what = asked.startsWith(`${base}/`) ? asked.slice(base.length + 1) || 'its base' : asked;
  const to = redactUrl(c.change.to);
  const targetOrigin = safeOrigin(c.change.to);
  const sent = !c.change.followed
    ? `not followed: a ${c.method} and its body are never sent to an origin the plan does not name`
    : c.hadCredentials
      ? `the credentials were not sent there, so its answer proves nothing about them and is not taken as the ${c.name}'s`
      : `its answer is not taken as the ${c.name}'s`;
  return new ProbeError(
    'cross-origin',
    `${c.name} base ${base} redirects ${c.method} ${what.split('?')[0]} (${c.change.status}) to ${targetOrigin}, another origin; ${sent}. ` +
      `If the ${c.name} really lives at ${targetOrigin}, give that address in the plan`,
    { url: asked, status: c.change.status, redirectedTo: to },
  );
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'another server';
  }
}
