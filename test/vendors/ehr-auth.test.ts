// A vendor connected to an EHR that requires SMART tokens sends its bearer token on every request, and never
// echoes it back to its own callers.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { startVendor } from '../../fixtures/vendors/index.js';
import { booking, BOOKING_SYSTEM, fhir, type Slot } from './world.js';

let sandbox: RunningSandbox;
let token: string;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES384');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'vendor-key', alg: 'ES384' };
  sandbox = await startSandbox({ requireAuth: true, clients: [{ clientId: 'reference-vendor', jwks: { keys: [jwk] } }] });
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', kid: 'vendor-key', typ: 'JWT' })
    .setIssuer('reference-vendor')
    .setSubject('reference-vendor')
    .setAudience(sandbox.tokenUrl)
    .setJti(randomUUID())
    .setExpirationTime(Math.floor(Date.now() / 1000) + 240)
    .sign(privateKey);
  const res = await fetch(sandbox.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: 'system/*.cruds',
    }).toString(),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(() => sandbox?.close());

const authed = (url: string, init: Parameters<typeof fhir>[1] = {}) => fhir(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });

describe('vendor on an EHR that requires auth', () => {
  it('reads and books with its EHR token', async () => {
    expect(token).toBeTruthy();
    const vendor = await startVendor({ behavior: 'deep', ehrBaseUrl: sandbox.fhirBaseUrl, ehrToken: token });
    try {
      const scheduleId = sandbox.seeded.scheduleIds[0];
      const ehr = await authed(`${sandbox.fhirBaseUrl}/Slot?schedule=Schedule/${scheduleId}&status=free&_count=1`);
      const slot = ehr.body.entry[0].resource as Slot;
      const listed = await fhir(`${vendor.baseUrl}/Slot?schedule=Schedule/${scheduleId}&status=free&start=ge${slot.start}&start=lt${slot.end}`);
      expect(listed.body.entry.map((e: any) => e.resource.id)).toEqual([slot.id]);

      const patient = await authed(`${sandbox.fhirBaseUrl}/Patient`, { method: 'POST', body: { resourceType: 'Patient', name: [{ family: 'Testpatient' }] } });
      const answer = await fhir(`${vendor.baseUrl}/Appointment`, { method: 'POST', body: booking(slot, patient.body.id, 'authed') });
      expect(answer.status).toBe(201);
      const inEhr = await authed(`${sandbox.fhirBaseUrl}/Appointment?identifier=${encodeURIComponent(`${BOOKING_SYSTEM}|authed`)}`);
      expect(inEhr.body.entry).toHaveLength(1);
    } finally {
      await vendor.close();
    }
  });

  it('without a token answers 502 (the EHR refused it), and leaks no token', async () => {
    const vendor = await startVendor({ behavior: 'deep', ehrBaseUrl: sandbox.fhirBaseUrl });
    try {
      const answer = await fhir(`${vendor.baseUrl}/Slot?schedule=Schedule/${sandbox.seeded.scheduleIds[0]}&status=free`);
      expect(answer.status).toBe(502);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(answer.body)).not.toContain(token);
    } finally {
      await vendor.close();
    }
  });
});
