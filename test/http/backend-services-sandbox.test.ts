// SMART Backend Services end to end against the embedded EHR sandbox: discovery from its SMART
// configuration, a jose-signed assertion checked by its token endpoint, and FHIR reads behind requireAuth.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAVORS, startSandbox } from '../../fixtures/sandbox/index.js';
import { FhirClient } from '../../src/http/fhir-client.js';
import { rejection } from '../helpers/loopback.js';

let keyDir: string;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'ehr-check-sandbox-keys-'));
});
afterAll(async () => {
  await rm(keyDir, { recursive: true, force: true });
});

async function clientKey(alg: 'RS384' | 'ES384', kid: string): Promise<{ file: string; publicJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const file = `${kid}.pem`;
  await writeFile(join(keyDir, file), await exportPKCS8(privateKey));
  return { file, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

describe('backend services against the embedded sandbox', () => {
  for (const alg of ['RS384', 'ES384'] as const) {
    it(`${alg}: discovers the token endpoint, gets a token and searches Patient`, async () => {
      const key = await clientKey(alg, `sandbox-${alg}`);
      const sandbox = await startSandbox({ requireAuth: true, clients: [{ clientId: `ehr-check-${alg}`, jwks: { keys: [key.publicJwk] } }] });
      const client = new FhirClient({
        baseUrl: sandbox.fhirBaseUrl,
        auth: { type: 'backend-services', clientId: `ehr-check-${alg}`, privateKeyFile: key.file, alg, kid: key.publicJwk.kid },
        baseDir: keyDir,
      });
      try {
        const patients = await client.searchAll<{ resourceType: string; id: string }>('Patient', { _count: '5' }, { maxPages: 20 });
        expect(patients.length).toBeGreaterThan(0);
        expect(patients.length).toBe(sandbox.seeded.patientIds.length);
        expect(patients.every((p) => p.resourceType === 'Patient')).toBe(true);
        const urls = client.log.records.map((r) => new URL(r.url).pathname);
        expect(urls.slice(0, 2)).toEqual([new URL(`${sandbox.fhirBaseUrl}/.well-known/smart-configuration`).pathname, new URL(sandbox.tokenUrl).pathname]);
        // One token for every page.
        expect(urls.filter((u) => u === new URL(sandbox.tokenUrl).pathname)).toHaveLength(1);
      } finally {
        await client.close();
        await sandbox.close();
      }
    });
  }

  it('is refused without a token, and with a key the sandbox does not know', async () => {
    const registered = await clientKey('ES384', 'known');
    const stranger = await clientKey('ES384', 'stranger');
    const sandbox = await startSandbox({ requireAuth: true });
    sandbox.registerClient({ clientId: 'ehr-check', jwks: { keys: [registered.publicJwk] } });
    const open = new FhirClient({ baseUrl: sandbox.fhirBaseUrl });
    const wrongKey = new FhirClient({
      baseUrl: sandbox.fhirBaseUrl,
      auth: { type: 'backend-services', clientId: 'ehr-check', privateKeyFile: stranger.file, alg: 'ES384' },
      baseDir: keyDir,
    });
    const rightKey = new FhirClient({
      baseUrl: sandbox.fhirBaseUrl,
      auth: { type: 'backend-services', clientId: 'ehr-check', privateKeyFile: registered.file, alg: 'ES384' },
      baseDir: keyDir,
    });
    try {
      expect((await rejection(open.search('Patient'))).kind).toBe('auth');

      const error = await rejection(wrongKey.search('Patient'));
      expect(error.kind).toBe('auth');
      expect(error.message).toContain('invalid_client');
      expect(wrongKey.log.records.some((r) => r.url.endsWith('/Patient'))).toBe(false);

      // Registered later with registerClient: the right key works.
      const bundle = await rightKey.search('Patient');
      expect(bundle.resourceType).toBe('Bundle');
    } finally {
      await Promise.all([open.close(), wrongKey.close(), rightKey.close()]);
      await sandbox.close();
    }
  });

  it('authenticates against every sandbox flavor (each publishes its own SMART configuration)', async () => {
    const key = await clientKey('RS384', 'flavors');
    for (const flavor of FLAVORS) {
      const sandbox = await startSandbox({ flavor, requireAuth: true, clients: [{ clientId: 'ehr-check', jwks: { keys: [key.publicJwk] } }] });
      const client = new FhirClient({
        baseUrl: sandbox.fhirBaseUrl,
        auth: { type: 'backend-services', clientId: 'ehr-check', privateKeyFile: key.file, alg: 'RS384' },
        baseDir: keyDir,
      });
      try {
        const bundle = await client.search('Patient', { _count: '1' });
        expect(bundle.resourceType, flavor).toBe('Bundle');
      } finally {
        await client.close();
        await sandbox.close();
      }
    }
  });
});
