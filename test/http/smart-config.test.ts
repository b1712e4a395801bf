// Discovery against the SMART configurations real EHRs publish (test/fixtures/real-world/smart).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBackendServicesSupport, discoverTokenEndpoint, stringList } from '../../src/http/auth/smart-config.js';
import type { AuthHttp } from '../../src/http/auth/credentials.js';
import { ProbeError } from '../../src/http/types.js';
import { FhirClient } from '../../src/http/fhir-client.js';
import { REAL_WORLD } from '../helpers/paths.js';
import { closeAll } from '../helpers/loopback.js';
import { tokenServer } from './token-server.js';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';

afterEach(closeAll);

const SMART_DIR = join(REAL_WORLD, 'smart');
const realConfigs = Object.fromEntries(
  readdirSync(SMART_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(SMART_DIR, f), 'utf8')) as Record<string, unknown>]),
);

/** AuthHttp that serves one document per URL, as a server would. */
function servedBy(docs: Record<string, unknown>): AuthHttp {
  return {
    getJson: async (url) => (url in docs ? { status: 200, body: docs[url], url } : { status: 404, body: undefined, url }),
    postForm: async () => ({ status: 500, body: undefined }),
  };
}

const BASE = 'https://ehr.example/fhir/R4';

describe('SMART discovery on real-world configurations', () => {
  // Whether each server, as published, admits SMART Backend Services (private_key_jwt).
  const expected: Record<string, 'accepted' | 'refused'> = {
    athenahealth: 'accepted',
    'cerner-legacy': 'refused', // client_secret_basic only
    eclinicalworks: 'accepted',
    epic: 'accepted',
    meditech: 'accepted',
    'nextgen-enterprise': 'accepted', // lists no methods: tolerated, the token endpoint decides
    'nextgen-office': 'accepted',
    'oracle-health-patient': 'accepted',
    'oracle-health': 'accepted',
    veradigm: 'refused', // only the non-standard key, without private_key_jwt
  };

  it('has every captured configuration in the table', () => {
    expect(Object.keys(realConfigs).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, verdict] of Object.entries(expected)) {
    it(`${name}: finds the token endpoint; backend services ${verdict}`, async () => {
      const config = realConfigs[name]!;
      const info = await discoverTokenEndpoint(servedBy({ [`${BASE}/.well-known/smart-configuration`]: config }), BASE);
      expect(info.tokenUrl).toBe(new URL(config.token_endpoint as string).toString());
      expect(info.source).toBe('smart-configuration');
      const check = () => checkBackendServicesSupport(info, 'ES384');
      if (verdict === 'accepted') expect(check).not.toThrow();
      else expect(check).toThrow(ProbeError);
    });
  }

  it('reads the non-standard token_endpoint_auth_methods key, de-duplicated', async () => {
    const info = await discoverTokenEndpoint(servedBy({ [`${BASE}/.well-known/smart-configuration`]: realConfigs.veradigm }), BASE);
    expect(info.authMethods).toEqual(['client_secret_basic', 'client_secret_post', 'tls_client_auth', 'self_signed_tls_client_auth']);
  });

  it('checks the signing algorithm when the server lists them (Oracle Health lists RS384 and ES384)', async () => {
    const info = await discoverTokenEndpoint(servedBy({ [`${BASE}/.well-known/smart-configuration`]: realConfigs['oracle-health'] }), BASE);
    expect(() => checkBackendServicesSupport(info, 'RS384')).not.toThrow();
    expect(() => checkBackendServicesSupport({ ...info, signingAlgs: ['rs384'] }, 'ES384')).toThrow(/ES384/);
  });

  it('falls back to the real athenahealth CapabilityStatement, whose oauth-uris URL is odd', async () => {
    const capability = JSON.parse(readFileSync(join(REAL_WORLD, 'capability', 'athenahealth-athenaone-r4.json'), 'utf8'));
    const info = await discoverTokenEndpoint(servedBy({ [`${BASE}/metadata`]: capability }), BASE);
    expect(info.source).toBe('capability-statement');
    expect(info.tokenUrl).toMatch(/^https:\/\//);
  });

  it('says where it looked when nothing names a token endpoint', async () => {
    const error = await discoverTokenEndpoint(servedBy({}), BASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).kind).toBe('auth');
    expect((error as ProbeError).message).toContain('tokenUrl');
  });

  it('reads method lists in the shapes servers send', () => {
    expect(stringList(['private_key_jwt', ' Private_Key_JWT ', 7, ''])).toEqual(['private_key_jwt']);
    expect(stringList('client_secret_basic private_key_jwt')).toEqual(['client_secret_basic', 'private_key_jwt']);
    expect(stringList([])).toBeUndefined();
    expect(stringList(undefined)).toBeUndefined();
    expect(stringList({})).toBeUndefined();
  });
});

describe('backend services against a server publishing a real configuration', () => {
  it('uses the Oracle Health configuration with the token endpoint pointed at loopback', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ehr-check-smart-'));
    const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
    await writeFile(join(dir, 'key.pem'), await exportPKCS8(privateKey));
    const server = await tokenServer({
      clientId: 'oracle-client',
      publicJwk: await exportJWK(publicKey),
      alg: 'ES384',
      smartConfig: (tokenUrl) => ({ ...realConfigs['oracle-health'], token_endpoint: tokenUrl }),
    });
    const client = new FhirClient({
      baseUrl: server.baseUrl,
      auth: { type: 'backend-services', clientId: 'oracle-client', privateKeyFile: 'key.pem', alg: 'ES384' },
      baseDir: dir,
    });
    const bundle = await client.search('Patient');
    expect(bundle.resourceType).toBe('Bundle');
    expect(server.assertions).toHaveLength(1);
    await client.close();
  });
});
