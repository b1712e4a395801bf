// HTTP for the auth flows (SMART discovery, token endpoint): the same bounds, retries and log as FHIR
// requests, but never the FHIR credentials, and a token POST is never replayed to a redirect target.
import type { AuthHttp } from './auth/credentials.js';
import { parseBody } from './body.js';
import { exchange, type ExchangeDeps } from './exchange.js';

export function createAuthHttp(deps: ExchangeDeps): AuthHttp {
  return {
    async getJson(url) {
      const res = await exchange(deps, { method: 'GET', url, headers: { accept: 'application/json' } });
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
