// connection-live reads the EHR's SMART configuration when the connection's auth discovers its token endpoint
// there, and fails, naming why, when it is missing or rules that auth out. Real configurations of
// test/fixtures/real-world/smart are served with their token endpoint moved onto the loopback server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../fixtures/sandbox/index.js';
import type { AuthConfig } from '../../src/model/plan.js';
import { smartProblem } from '../../src/probes/connection-live.js';
import { loadSmart, SMART_FILES, type SmartFile } from '../capability/real-world.js';
import { closeServers, connection, FHIR_PATH, LOGIN_PAGE, probeOne, serveEhr, serveVendor } from './world.js';

const R4_NO_OAUTH = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  rest: [{ mode: 'server', resource: [{ type: 'Patient', interaction: [{ code: 'search-type' }] }] }],
};
const TOKEN = 'issued-access-token-77aa';

let keyDir: string;
let publicJwk: JWK;
const backendServices = (alg: 'RS384' | 'ES384' = 'RS384'): AuthConfig => ({ type: 'backend-services', clientId: 'ehr-check', privateKeyFile: `key-${alg}.pem`, alg, kid: `k-${alg}` });

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'ehr-check-coverage-keys-'));
  for (const alg of ['RS384', 'ES384'] as const) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    await writeFile(join(keyDir, `key-${alg}.pem`), await exportPKCS8(privateKey));
    if (alg === 'RS384') publicJwk = { ...(await exportJWK(publicKey)), kid: `k-${alg}`, alg, use: 'sig' };
  }
});
afterAll(async () => {
  await rm(keyDir, { recursive: true, force: true });
});
afterEach(closeServers);

/** A loopback EHR serving `smart` with its token endpoint rewritten to the loopback `/token`. */
async function ehrWithSmart(smart: Record<string, unknown> | undefined, extra: { loginPage?: boolean } = {}) {
  let origin = '';
  const ehr = await serveEhr({
    metadata: R4_NO_OAUTH,
    bearer: TOKEN,
    issueToken: TOKEN,
    get smart() {
      if (extra.loginPage) return LOGIN_PAGE;
      return smart && { ...smart, ...(typeof smart.token_endpoint === 'string' && { token_endpoint: `${origin}/token` }) };
    },
  });
  origin = ehr.origin;
  return ehr;
}

const SMART_VERDICT: Record<SmartFile, string | undefined> = {
  'athenahealth.json': undefined,
  // Older Cerner: client secrets only.
  'cerner-legacy.json': 'the token endpoint does not accept private_key_jwt client authentication (it lists client_secret_basic)',
  'eclinicalworks.json': undefined,
  'epic.json': undefined,
  'meditech.json': undefined,
  // Lists no auth methods at all: not held against it.
  'nextgen-enterprise.json': undefined,
  'nextgen-office.json': undefined,
  'oracle-health-patient.json': undefined,
  'oracle-health.json': undefined,
  // Advertises client-confidential-asymmetric, but its token endpoint lists no private_key_jwt.
  'veradigm.json': 'the token endpoint does not accept private_key_jwt client authentication (it lists client_secret_basic, client_secret_post, tls_client_auth, self_signed_tls_client_auth)',
};

describe('SMART configuration for backend services (real configurations)', () => {
  it.each(SMART_FILES.map((f) => [f]))('%s', async (file) => {
    const problem = SMART_VERDICT[file];
    const ehr = await ehrWithSmart(loadSmart(file) as Record<string, unknown>);
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, backendServices()), { dir: keyDir });

    expect(live.smartConfiguration).toMatchObject({ neededBy: 'backend-services', tokenEndpoint: `${ehr.origin}/token`, status: 200 });
    expect(finding.evidence.smartConfiguration).toEqual(live.smartConfiguration);
    // The configuration is read without credentials.
    expect(ehr.seen.find((s) => s.line.endsWith('/.well-known/smart-configuration'))!.authorization).toBeUndefined();
    if (problem === undefined) {
      expect(live.smartConfiguration!.ok).toBe(true);
      expect(finding.status).toBe('pass');
      expect(ehr.seen.some((s) => s.line === 'POST /token')).toBe(true);
      expect(ehr.seen.at(-1)!.authorization).toBe(`Bearer ${TOKEN}`);
      expect(JSON.stringify(finding)).not.toContain(TOKEN);
    } else {
      expect(live.smartConfiguration).toMatchObject({ ok: false, cause: 'smart-config', message: problem });
      expect(finding.status).toBe('fail');
      expect(finding.evidence.cause).toBe('smart-config');
      expect(finding.message).toContain(`EHR SMART configuration: SMART configuration unusable (${problem})`);
      // The client refuses the same way: no assertion is ever sent to a token endpoint that cannot take it.
      expect(ehr.seen.some((s) => s.line === 'POST /token')).toBe(false);
    }
  });
});

describe('SMART configuration: when it is read and how it breaks', () => {
  it('client credentials take the secret-only configuration that backend services cannot', async () => {
    const ehr = await ehrWithSmart(loadSmart('cerner-legacy.json') as Record<string, unknown>);
    const vendor = await serveVendor();
    const auth: AuthConfig = { type: 'client-credentials', clientId: 'ehr-check', secretEnv: 'EHR_SECRET' };
    const { live, finding } = await probeOne(connection('oracle-health', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, auth), {
      env: { EHR_SECRET: 'client-secret-value-31337' },
    });
    expect(live.smartConfiguration).toMatchObject({ ok: true, neededBy: 'client-credentials', tokenAuthMethods: ['client_secret_basic'] });
    expect(finding.status).toBe('pass');
    expect(JSON.stringify(finding)).not.toContain('client-secret-value-31337');
  });

  it('is not read when the plan names the token URL', async () => {
    const ehr = await ehrWithSmart(undefined);
    const vendor = await serveVendor();
    const auth: AuthConfig = { type: 'client-credentials', clientId: 'ehr-check', secretEnv: 'EHR_SECRET', tokenUrl: `${ehr.origin}/token` };
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, auth), { env: { EHR_SECRET: 'client-secret-value-31337' } });
    expect(live.smartConfiguration).toBeUndefined();
    expect(ehr.seen.some((s) => s.line.includes('smart-configuration'))).toBe(false);
    expect(finding.status).toBe('pass');
  });

  it.each([
    ['missing (404)', undefined, {}, 'no SMART configuration at .well-known/smart-configuration (HTTP 404)', false],
    ['a sign-in page', {}, { loginPage: true }, 'the SMART configuration is not a JSON object', false],
    ['without a token endpoint', { grant_types_supported: ['client_credentials'], capabilities: [] }, {}, 'no token_endpoint', false],
    // The client itself does not look at grant types: it asks, and this server happens to answer.
    ['without client_credentials', { token_endpoint: 'x', grant_types_supported: ['authorization_code'] }, {}, 'grant_types_supported does not include client_credentials (it lists authorization_code)', true],
    ['refusing the plan\'s algorithm', { token_endpoint: 'x', token_endpoint_auth_methods_supported: ['private_key_jwt'], token_endpoint_auth_signing_alg_values_supported: ['ES384'] }, {}, 'the token endpoint does not accept RS384 client assertions (it lists ES384)', false],
  ] as const)('a SMART configuration %s fails, naming why', async (_what, smart, extra, problem, tokenAsked) => {
    const ehr = await ehrWithSmart(smart as Record<string, unknown> | undefined, extra);
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, backendServices()), { dir: keyDir });
    expect(live.smartConfiguration).toMatchObject({ ok: false, cause: 'smart-config', message: problem });
    expect(finding.status).toBe('fail');
    expect(finding.evidence.cause).toBe('smart-config');
    expect(finding.message.startsWith(`EHR SMART configuration: SMART configuration unusable (${problem})`)).toBe(true);
    expect(live.ehrMetadata.ok).toBe(true);
    expect(ehr.seen.some((s) => s.line === 'POST /token')).toBe(tokenAsked);
  });

  it('backend services end to end against the embedded sandbox: SMART configuration, token, authorised search', async () => {
    const sandbox = await startSandbox({ requireAuth: true, clients: [{ clientId: 'ehr-check', jwks: { keys: [publicJwk] } }] });
    const vendor = await serveVendor();
    try {
      const { live, finding } = await probeOne(connection('generic', sandbox.fhirBaseUrl, `${vendor.origin}${FHIR_PATH}`, backendServices()), { dir: keyDir });
      expect(finding.status).toBe('pass');
      expect(live.smartConfiguration).toMatchObject({ ok: true, neededBy: 'backend-services', tokenEndpoint: sandbox.tokenUrl });
      expect(live.smartConfiguration!.tokenAuthMethods).toContain('private_key_jwt');
      expect(live.ehrAuth).toEqual({ ok: true, status: 200 });
    } finally {
      await sandbox.close();
    }
  });

  it('the same sandbox with a key it does not know: the SMART configuration is fine, authentication fails', async () => {
    const sandbox = await startSandbox({ requireAuth: true });
    const vendor = await serveVendor();
    try {
      const { live, finding } = await probeOne(connection('generic', sandbox.fhirBaseUrl, `${vendor.origin}${FHIR_PATH}`, backendServices()), { dir: keyDir });
      expect(live.smartConfiguration!.ok).toBe(true);
      expect(live.ehrAuth).toMatchObject({ ok: false, cause: 'auth' });
      expect(finding.status).toBe('fail');
      expect(finding.evidence.cause).toBe('auth');
      expect(finding.message).toMatch(/^EHR authentication: credentials refused/);
    } finally {
      await sandbox.close();
    }
  });
});

describe('smartProblem (pure)', () => {
  const cc: AuthConfig = { type: 'client-credentials', clientId: 'c', secretEnv: 'S' };
  it.each([
    [{ grantTypes: [], tokenAuthMethods: [], signingAlgs: [] }, backendServices(), undefined],
    [{ grantTypes: ['client_credentials'], tokenAuthMethods: ['PRIVATE_KEY_JWT'], signingAlgs: ['rs384'] }, backendServices(), undefined],
    [{ grantTypes: [], tokenAuthMethods: ['private_key_jwt'], signingAlgs: [] }, cc, 'the token endpoint accepts no client secret (it lists private_key_jwt)'],
    [{ grantTypes: [], tokenAuthMethods: ['client_secret_post'], signingAlgs: [] }, cc, undefined],
  ])('%j with %j → %s', (smart, auth, problem) => {
    expect(smartProblem(smart, auth)).toBe(problem);
  });
});
