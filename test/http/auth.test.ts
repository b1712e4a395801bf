import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FhirClient } from '../../src/http/fhir-client.js';
import { closeAll, rejection } from '../helpers/loopback.js';
import { tokenServer } from './token-server.js';

afterEach(closeAll);

let keyDir: string;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'ehr-check-keys-'));
});
afterAll(async () => {
  await rm(keyDir, { recursive: true, force: true });
});

async function keyPair(alg: 'RS384' | 'ES384', format: 'pem' | 'jwk' = 'pem') {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const file = join(keyDir, `${alg}-${Math.random().toString(36).slice(2)}.${format === 'pem' ? 'pem' : 'json'}`);
  const privateText = format === 'pem' ? await exportPKCS8(privateKey) : JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'file-kid', alg });
  await writeFile(file, privateText);
  return { file, publicJwk: await exportJWK(publicKey), privateText };
}

/** Everything a run could print: the log and every error message. */
function visibleText(client: FhirClient, errors: Error[]): string {
  return JSON.stringify(client.log.records) + errors.map((e) => `${e.message} ${JSON.stringify((e as { details?: unknown }).details)}`).join('\n');
}

describe('bearer', () => {
  it('sends the token from the named environment variable', async () => {
    const server = await tokenServer({ clientId: 'x', secret: 's' });
    server.issued.push('env-token-5d1e');
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'bearer', tokenEnv: 'EHR_TOKEN' }, env: { EHR_TOKEN: 'env-token-5d1e\n' } });
    const bundle = await client.search('Patient');
    expect(bundle.entry).toHaveLength(1);
    expect(server.seen[0]!.headers.authorization).toBe('Bearer env-token-5d1e');
    await client.close();
  });

  it('names a missing or empty variable, and sends nothing', async () => {
    const server = await tokenServer({ clientId: 'x', secret: 's' });
    for (const env of [{}, { EHR_TOKEN: '  ' }]) {
      const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'bearer', tokenEnv: 'EHR_TOKEN' }, env });
      const error = await rejection(client.search('Patient'));
      expect(error.kind).toBe('config');
      expect(error.message).toContain('EHR_TOKEN');
      await client.close();
    }
    expect(server.seen).toHaveLength(0);
  });

  it('does not retry a refused static token, and hides it when a server echoes it', async () => {
    const token = 'static-token-echo-91b2';
    const server = await tokenServer({ clientId: 'x', secret: 's' });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'bearer', tokenEnv: 'T' }, env: { T: token } });
    const error = await rejection(client.read('Patient', 'p1'));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('REDACTED not accepted');
    expect(server.seen).toHaveLength(1);
    expect(visibleText(client, [error])).not.toContain(token);
    await client.close();
  });
});

describe('client-credentials', () => {
  it('gets a token with HTTP Basic client authentication from the configured token URL', async () => {
    const secret = 'cc-secret:with/odd&chars';
    const server = await tokenServer({ clientId: 'ehr-check', secret });
    const client = new FhirClient({
      baseUrl: server.baseUrl,
      auth: { type: 'client-credentials', clientId: 'ehr-check', secretEnv: 'CC_SECRET', tokenUrl: server.tokenUrl, scope: 'system/Slot.read' },
      env: { CC_SECRET: secret },
    });
    await client.search('Patient');
    const tokenRequest = server.seen.find((s) => s.url === '/oauth/token')!;
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(tokenRequest.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('system/Slot.read');
    expect(form.get('client_secret')).toBeNull();
    expect(server.seen.at(-1)!.headers.authorization).toBe(`Bearer ${server.issued[0]}`);

    const text = visibleText(client, []);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(server.issued[0]);
    expect(text).not.toContain(tokenRequest.headers.authorization!.slice(6));
    await client.close();
  });

  it('finds the token endpoint in the SMART configuration', async () => {
    const server = await tokenServer({ clientId: 'c1', secret: 'cc-secret-2', smartConfig: (tokenUrl) => ({ token_endpoint: tokenUrl }) });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'client-credentials', clientId: 'c1', secretEnv: 'S' }, env: { S: 'cc-secret-2' } });
    await client.search('Patient');
    expect(server.seen.map((s) => s.url)).toEqual(['/fhir/.well-known/smart-configuration', '/oauth/token', '/fhir/Patient']);
    const form = new URLSearchParams(server.seen[1]!.body);
    expect(form.get('scope')).toBe('system/*.read system/*.write');
    await client.close();
  });

  it('turns a refused secret into an auth error with the server\'s error, never the secret', async () => {
    const server = await tokenServer({ clientId: 'c1', secret: 'the-right-one' });
    const wrong = 'the-wrong-secret-77';
    const client = new FhirClient({
      baseUrl: server.baseUrl,
      auth: { type: 'client-credentials', clientId: 'c1', secretEnv: 'S', tokenUrl: server.tokenUrl },
      env: { S: wrong },
    });
    const error = await rejection(client.search('Patient'));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('client authentication failed');
    expect(visibleText(client, [error])).not.toContain(wrong);
    await client.close();
  });

  it('names a missing secret variable', async () => {
    const server = await tokenServer({ clientId: 'c1', secret: 's' });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'client-credentials', clientId: 'c1', secretEnv: 'VENDOR_SECRET', tokenUrl: server.tokenUrl }, env: {} });
    const error = await rejection(client.search('Patient'));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('VENDOR_SECRET');
    await client.close();
  });
});

describe('backend-services', () => {
  for (const alg of ['RS384', 'ES384'] as const) {
    it(`${alg}: signs an assertion the token endpoint verifies, then reads`, async () => {
      const { file, publicJwk, privateText } = await keyPair(alg);
      const server = await tokenServer({
        clientId: 'bs-client',
        publicJwk,
        alg,
        smartConfig: (tokenUrl) => ({
          token_endpoint: tokenUrl,
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
          token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
        }),
      });
      const client = new FhirClient({
        baseUrl: server.baseUrl,
        auth: { type: 'backend-services', clientId: 'bs-client', privateKeyFile: file.split('/').pop()!, alg, kid: 'k-1' },
        baseDir: keyDir,
      });
      const bundle = await client.search('Patient');
      expect(bundle.entry?.[0]?.resource?.resourceType).toBe('Patient');

      const [assertion] = server.assertions;
      expect(assertion!.header).toMatchObject({ alg, kid: 'k-1' });
      const claims = assertion!.claims as { iss: string; sub: string; aud: string; jti: string; exp: number; iat: number };
      expect(claims.iss).toBe('bs-client');
      expect(claims.sub).toBe('bs-client');
      expect(claims.aud).toBe(server.tokenUrl);
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300);
      const form = new URLSearchParams(server.seen.find((s) => s.url === '/oauth/token')!.body);
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      expect(form.get('scope')).toBe('system/*.read system/*.write');

      const text = visibleText(client, []);
      expect(text).not.toContain(assertion!.jwt);
      expect(text).not.toContain(server.issued[0]);
      expect(text).not.toContain(privateText.split('\n')[1]);
      await client.close();
    });
  }

  it('refuses a wrong key with an auth error that hides the assertion', async () => {
    const registered = await keyPair('ES384');
    const other = await keyPair('ES384');
    const server = await tokenServer({ clientId: 'bs', publicJwk: registered.publicJwk, alg: 'ES384' });
    const client = new FhirClient({
      baseUrl: server.baseUrl,
      auth: { type: 'backend-services', clientId: 'bs', privateKeyFile: other.file, alg: 'ES384', tokenUrl: server.tokenUrl },
    });
    const error = await rejection(client.search('Patient'));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('invalid_client');
    const sent = new URLSearchParams(server.seen[0]!.body).get('client_assertion')!;
    expect(sent.length).toBeGreaterThan(50);
    expect(visibleText(client, [error])).not.toContain(sent);
    expect(server.seen.filter((s) => s.url === '/fhir/Patient')).toHaveLength(0);
    await client.close();
  });

  it('reads a JWK key file and takes its kid', async () => {
    const { file, publicJwk } = await keyPair('RS384', 'jwk');
    const server = await tokenServer({ clientId: 'bs', publicJwk, alg: 'RS384' });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'backend-services', clientId: 'bs', privateKeyFile: file, alg: 'RS384', tokenUrl: server.tokenUrl } });
    await client.search('Patient');
    expect(server.assertions[0]!.header.kid).toBe('file-kid');
    await client.close();
  });

  it('reports a key that does not fit the algorithm, or no key file, as config', async () => {
    const rsa = await keyPair('RS384');
    const server = await tokenServer({ clientId: 'bs', publicJwk: rsa.publicJwk, alg: 'RS384' });
    const mismatch = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'backend-services', clientId: 'bs', privateKeyFile: rsa.file, alg: 'ES384', tokenUrl: server.tokenUrl } });
    const error = await rejection(mismatch.search('Patient'));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('P-384');
    const missing = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'backend-services', clientId: 'bs', privateKeyFile: 'nope.pem', alg: 'RS384', tokenUrl: server.tokenUrl }, baseDir: keyDir });
    const noFile = await rejection(missing.search('Patient'));
    expect(noFile.kind).toBe('config');
    expect(noFile.message).toContain('nope.pem');
    expect(server.seen).toHaveLength(0);
    await mismatch.close();
    await missing.close();
  });

  it('refuses early when the SMART configuration does not offer private_key_jwt', async () => {
    const { file, publicJwk } = await keyPair('RS384');
    const server = await tokenServer({
      clientId: 'bs',
      publicJwk,
      alg: 'RS384',
      smartConfig: (tokenUrl) => ({ token_endpoint: tokenUrl, token_endpoint_auth_methods_supported: ['client_secret_basic'] }),
    });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'backend-services', clientId: 'bs', privateKeyFile: file, alg: 'RS384' } });
    const error = await rejection(client.search('Patient'));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('private_key_jwt');
    expect(server.seen.map((s) => s.url)).toEqual(['/fhir/.well-known/smart-configuration']);
    await client.close();
  });

  it('falls back to the CapabilityStatement oauth-uris when there is no SMART configuration', async () => {
    const { file, publicJwk } = await keyPair('ES384');
    const server = await tokenServer({
      clientId: 'bs',
      publicJwk,
      alg: 'ES384',
      capabilityStatement: (tokenUrl) => ({
        resourceType: 'CapabilityStatement',
        rest: [{ mode: 'server', security: { extension: [{ url: 'http://DSTU2/fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: [{ url: 'token', valueUri: tokenUrl }] }] } }],
      }),
    });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'backend-services', clientId: 'bs', privateKeyFile: file, alg: 'ES384' } });
    await client.search('Patient');
    expect(server.seen.map((s) => s.url)).toEqual(['/fhir/.well-known/smart-configuration', '/fhir/metadata', '/oauth/token', '/fhir/Patient']);
    await client.close();
  });
});

describe('token caching', () => {
  it('asks for one token for several requests, concurrent ones included', async () => {
    const server = await tokenServer({ clientId: 'c', secret: 'cache-secret' });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'client-credentials', clientId: 'c', secretEnv: 'S', tokenUrl: server.tokenUrl }, env: { S: 'cache-secret' } });
    await client.search('Patient');
    await client.search('Patient');
    await Promise.all([client.search('Patient'), client.search('Patient')]);
    expect(server.issued).toHaveLength(1);
    await client.close();
  });

  it('asks again once the token has expired', async () => {
    const server = await tokenServer({ clientId: 'c', secret: 'cache-secret', expiresIn: '1' });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'client-credentials', clientId: 'c', secretEnv: 'S', tokenUrl: server.tokenUrl }, env: { S: 'cache-secret' } });
    await client.search('Patient');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await client.search('Patient');
    expect(server.issued).toHaveLength(2);
    expect(server.seen.at(-1)!.headers.authorization).toBe(`Bearer ${server.issued[1]}`);
    await client.close();
  });

  it('drops a token the FHIR server refuses and retries once with a new one', async () => {
    const server = await tokenServer({ clientId: 'c', secret: 'cache-secret' });
    const client = new FhirClient({ baseUrl: server.baseUrl, auth: { type: 'client-credentials', clientId: 'c', secretEnv: 'S', tokenUrl: server.tokenUrl }, env: { S: 'cache-secret' } });
    await client.search('Patient');
    server.revoked.add(server.issued[0]!);
    await client.search('Patient');
    expect(server.issued).toHaveLength(2);
    expect(client.log.records.map((r) => r.status)).toEqual([200, 200, 401, 200, 200]);

    // Refused again after the retry: the 401 stands, one retry only.
    server.revoked.add('*');
    const before = client.log.records.length;
    const error = await rejection(client.search('Patient'));
    expect(error.kind).toBe('auth');
    expect(client.log.records.slice(before).map((r) => r.status)).toEqual([401, 200, 401]);
    expect(server.issued).toHaveLength(3);
    const text = visibleText(client, [error]);
    for (const token of server.issued) expect(text).not.toContain(token);
    await client.close();
  });
});
