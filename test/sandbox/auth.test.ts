// SMART Backend Services on the sandbox: RS384 and ES384 client assertions (keys made with jose here) get a
// token that opens FHIR under requireAuth; a wrong key, a replayed jti, a wrong audience, an expired or
// over-long assertion and an unknown client are refused.
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { call } from './client.js';

interface Client {
  id: string;
  alg: 'RS384' | 'ES384';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function makeClient(id: string, alg: Client['alg']): Promise<Client> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const publicJwk = { ...(await exportJWK(publicKey)), kid: `${id}-key`, alg };
  return { id, alg, privateKey, publicJwk };
}

function assertion(client: Client, aud: string, overrides: { jti?: string; expiresIn?: number; iss?: string; key?: CryptoKey } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: client.alg, kid: client.publicJwk.kid, typ: 'JWT' })
    .setIssuer(overrides.iss ?? client.id)
    .setSubject(overrides.iss ?? client.id)
    .setAudience(aud)
    .setJti(overrides.jti ?? randomUUID())
    .setExpirationTime(now + (overrides.expiresIn ?? 240))
    .sign(overrides.key ?? client.privateKey);
}

async function requestToken(sandbox: RunningSandbox, jwt: string) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: jwt,
    scope: 'system/Slot.rs system/Appointment.cruds',
  });
  return call(sandbox.tokenUrl, { method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

let sandbox: RunningSandbox;
let rsa: Client;
let ec: Client;
let stranger: Client;

beforeAll(async () => {
  [rsa, ec, stranger] = await Promise.all([makeClient('rsa-client', 'RS384'), makeClient('ec-client', 'ES384'), makeClient('stranger', 'ES384')]);
  sandbox = await startSandbox({ requireAuth: true, clients: [{ clientId: rsa.id, jwks: { keys: [rsa.publicJwk] } }] });
  sandbox.registerClient({ clientId: ec.id, jwks: { keys: [ec.publicJwk] } });
});
afterAll(() => sandbox.close());

describe('token endpoint', () => {
  it.each(['RS384', 'ES384'])('issues a bearer token for a %s assertion, and the token opens FHIR', async (alg) => {
    const client = alg === 'RS384' ? rsa : ec;
    const answer = await requestToken(sandbox, await assertion(client, sandbox.tokenUrl));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'bearer', expires_in: 300, scope: 'system/Slot.rs system/Appointment.cruds' });
    const slots = await call(`${sandbox.fhirBaseUrl}/Slot?_count=1`, { headers: { authorization: `Bearer ${answer.body.access_token}` } });
    expect(slots.status).toBe(200);
    expect(slots.body.resourceType).toBe('Bundle');
  });

  it('refuses FHIR without a token, or with an unknown one, with 401, an OperationOutcome and WWW-Authenticate', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }]) {
      const answer = await call(`${sandbox.fhirBaseUrl}/Slot?_count=1`, { headers });
      expect(answer.status).toBe(401);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });

  it('keeps /metadata and the SMART configuration open', async () => {
    expect((await call(`${sandbox.fhirBaseUrl}/metadata`)).status).toBe(200);
    expect((await call(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`)).status).toBe(200);
  });

  it('refuses a replayed jti', async () => {
    const jwt = await assertion(rsa, sandbox.tokenUrl, { jti: 'once-only' });
    expect((await requestToken(sandbox, jwt)).status).toBe(200);
    const replay = await requestToken(sandbox, jwt);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_client');
  });

  it.each([
    ['signed with the wrong key', async () => assertion(rsa, sandbox.tokenUrl, { key: (await generateKeyPair('RS384')).privateKey })],
    ['for the wrong audience', async () => assertion(ec, `${sandbox.fhirBaseUrl}/token`)],
    ['already expired', async () => assertion(ec, sandbox.tokenUrl, { expiresIn: -30 })],
    ['valid for more than five minutes', async () => assertion(ec, sandbox.tokenUrl, { expiresIn: 3600 })],
    ['from an unregistered client', async () => assertion(stranger, sandbox.tokenUrl)],
  ])('refuses an assertion %s with invalid_client', async (_case, make) => {
    const answer = await requestToken(sandbox, await make());
    expect([400, 401]).toContain(answer.status);
    expect(answer.body.error).toBe('invalid_client');
    expect(typeof answer.body.error_description).toBe('string');
    expect(answer.body.access_token).toBeUndefined();
  });

  it('refuses other grant types', async () => {
    const answer = await call(sandbox.tokenUrl, { method: 'POST', body: 'grant_type=password&username=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('unsupported_grant_type');
  });
});
