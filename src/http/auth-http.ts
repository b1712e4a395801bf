// HTTP for the auth flows (SMART discovery, token endpoint): the same bounds, retries and log as FHIR
// requests, but never the FHIR credentials, and a token POST is never replayed to a redirect target.
// Discovery is read only from the origin asked: another origin must not choose where the credentials go.
import type { AuthHttp } from './auth/credentials.js';
import { parseBody } from './body.js';
import { exchange, type ExchangeDeps } from './exchange.js';
import { redactUrl } from './redact.js';
import { ProbeError } from './types.js';

export function createAuthHttp(deps: ExchangeDeps): AuthHttp {
  return {
    async getJson(url) {
      const res = await exchange(deps, { method: 'GET', url, headers: { accept: 'application/json' } });
      if (res.leftOrigin) {
        const to = new URL(res.leftOrigin.to).origin;
        throw new ProbeError(
          'cross-origin',
          `${redactUrl(url)} redirects (${res.leftOrigin.status}) to ${to}, another origin; where the credentials go is only read from the server's own origin`,
          { url: redactUrl(url), status: res.leftOrigin.status, redirectedTo: redactUrl(res.leftOrigin.to) },
        );
      }
      return { status: res.wire.status, body: parseBody(res.wire, res.url, false), url: res.url };
    },
    async postForm(url, form, headers = {}) {
      const res = await exchange(deps, {
        method: 'POST',
        url,
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
        followRedirects: false,
      });
      return { status: res.wire.status, body: parseBody(res.wire, res.url, false) };
    },
  };
}
