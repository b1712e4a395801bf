// A loopback FHIR server with a SMART token endpoint, for the auth tests. It checks what a real
// authorization server checks: Basic client secrets, or client assertions verified with jose.
import { importJWK, jwtVerify, decodeProtectedHeader, type JWK } from 'jose';
import type { ServerResponse } from 'node:http';
import { loopback, sendJson, type Loopback } from '../helpers/loopback.js';

export interface TokenServerOptions {
  clientId: string;
  /** client-credentials: the expected secret. */
  secret?: string;
  /** backend-services: the client's public key. */
  publicJwk?: JWK;
  alg?: string;
  expiresIn?: number | string;
  /** Served at /fhir/.well-known/smart-configuration; the token URL is filled in. Omit to serve 404. */
  smartConfig?: Record<string, unknown> | ((tokenUrl: string) => Record<string, unknown>);
  /** Served at /fhir/metadata. */
  capabilityStatement?: (tokenUrl: string) => Record<string, unknown>;
}

export interface TokenServer extends Loopback {
  baseUrl: string;
  tokenUrl: string;
  issued: string[];
  /** Assertions received, with their verified claims and header. */
  assertions: Array<{ jwt: string; claims: Record<string, unknown>; header: Record<string, unknown> }>;
  /** Tokens the FHIR side now refuses (to simulate revocation); '*' refuses every token. */
  revoked: Set<string>;
}

export async function tokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const state = { issued: [] as string[], assertions: [] as TokenServer['assertions'], revoked: new Set<string>() };
  let tokenUrl = '';
  const box = await loopback(async (req, res, body) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/fhir/.well-known/smart-configuration') {
      if (!opts.smartConfig) return sendJson(res, 404, {});
      const config = typeof opts.smartConfig === 'function' ? opts.smartConfig(tokenUrl) : opts.smartConfig;
      return sendJson(res, 200, config, { 'content-type': 'application/json' });
    }
    if (url.pathname === '/fhir/metadata') {
      if (!opts.capabilityStatement) return sendJson(res, 404, {});
      return sendJson(res, 200, opts.capabilityStatement(tokenUrl));
    }
    if (url.pathname === '/oauth/token') return token(res, req.headers.authorization, new URLSearchParams(body));
    const auth = req.headers.authorization ?? '';
    const presented = auth.replace(/^Bearer /, '');
    if (!state.issued.includes(presented) || state.revoked.has(presented) || state.revoked.has('*')) {
      // Echoes what it was given, as careless servers do: the client must not pass it on.
      return sendJson(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: `token ${presented} not accepted` }] });
    }
    sendJson(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }] });
  });

  async function token(res: ServerResponse, authorization: string | undefined, form: URLSearchParams) {
    const refuse = (error: string, description: string) => sendJson(res, 401, { error, error_description: description }, { 'content-type': 'application/json' });
    if (form.get('grant_type') !== 'client_credentials') return sendJson(res, 400, { error: 'unsupported_grant_type' });
    if (opts.secret !== undefined) {
      const [id, secret] = Buffer.from((authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
      if (id !== opts.clientId || secret !== opts.secret) return refuse('invalid_client', 'client authentication failed');
    } else {
      if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return refuse('invalid_request', 'no assertion type');
      const jwt = form.get('client_assertion') ?? '';
      try {
        const key = await importJWK(opts.publicJwk!, opts.alg);
        const { payload } = await jwtVerify(jwt, key, { issuer: opts.clientId, subject: opts.clientId, audience: tokenUrl, algorithms: [opts.alg!] });
        state.assertions.push({ jwt, claims: payload as Record<string, unknown>, header: decodeProtectedHeader(jwt) as Record<string, unknown> });
      } catch (error) {
        // A careless server echoes what it got; the client must not pass it on.
        return refuse('invalid_client', `assertion ${jwt} rejected: ${(error as Error).message}`);
      }
    }
    const accessToken = `at-${state.issued.length + 1}-${Math.random().toString(36).slice(2)}`;
    state.issued.push(accessToken);
    sendJson(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: opts.expiresIn ?? 3600, scope: form.get('scope') }, { 'content-type': 'application/json' });
  }

  tokenUrl = `${box.origin}/oauth/token`;
  return Object.assign(box, { baseUrl: `${box.origin}/fhir`, tokenUrl, ...state });
}
