// No secret, token or patient name reaches stdout, stderr or a report (DESIGN §8). The EHR sandbox requires
// SMART Backend Services tokens (signed with a private key file the plan names), the vendor facade requires its
// own bearer token, and the run writes every kind of report. Then every byte it produced is searched.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../fixtures/sandbox/index.js';
import type { RunningVendor } from '../../fixtures/vendors/index.js';
import type { Report } from '../../src/model/report.js';
import { searchEhr } from '../bidirectional/world.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startWorld, type World } from '../helpers/world.js';
import { readJson, tempDir, writePlanFile } from '../run/plan-file.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

const EHR_CLIENT = 'ehr-check-secrets';
const VENDOR_CLIENT = 'vendor-backend';
const KID = 'secrets-key-1';

async function backendClient(clientId: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS384', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS384', use: 'sig' };
  return { clientId, privateKey, pem: await exportPKCS8(privateKey), registration: { clientId, jwks: { keys: [jwk] } } };
}

/** What a vendor's backend does: a signed client assertion for an access token to the EHR. */
async function accessToken(sandbox: RunningSandbox, clientId: string, privateKey: CryptoKey): Promise<string> {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS384', kid: KID, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(sandbox.tokenUrl)
    .setJti(randomUUID())
    .setExpirationTime('4m')
    .sign(privateKey);
  const res = await fetch(sandbox.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: 'system/*.read system/*.write',
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token for ${clientId}: ${JSON.stringify(body)}`);
  return body.access_token;
}

describe('a run against an EHR and a vendor that both require tokens', () => {
  let world: World;
  let sandbox: RunningSandbox;
  let vendor: RunningVendor;
  let proxy: RecordingProxy;
  let dir: string;
  let plan: string;
  let pemBody: string;
  let vendorEhrToken: string;
  const vendorToken = `vtok-${randomBytes(18).toString('base64url')}`;
  let patientNames: string[];

  beforeAll(async () => {
    const ehrCheck = await backendClient(EHR_CLIENT);
    const vendorBackend = await backendClient(VENDOR_CLIENT);
    world = await startWorld({
      sandbox: { requireAuth: true, clients: [ehrCheck.registration, vendorBackend.registration] },
      beforeVendor: async (ehr) => void (vendorEhrToken = await accessToken(ehr, VENDOR_CLIENT, vendorBackend.privateKey)),
      vendor: () => ({ behavior: 'deep', ehrToken: vendorEhrToken, token: vendorToken }),
    });
    ({ sandbox, vendor } = world);
    proxy = await startRecordingProxy(sandbox.origin);

    dir = await tempDir('secrets');
    await mkdir(join(dir, 'keys'), { mode: 0o700 });
    await writeFile(join(dir, 'keys', 'ehr-check.pem'), ehrCheck.pem, { mode: 0o600 });
    pemBody = ehrCheck.pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    plan = await writePlanFile(dir, {
      ehrBaseUrl: `${proxy.origin}${sandbox.fhirBaseUrl.slice(sandbox.origin.length)}`,
      vendorBaseUrl: vendor.baseUrl,
      ehrAuth: { type: 'backend-services', clientId: EHR_CLIENT, privateKeyFile: './keys/ehr-check.pem', alg: 'RS384', kid: KID },
      vendorAuth: { type: 'bearer', tokenEnv: 'SECRETS_VENDOR_TOKEN' },
      freshness: { trials: 1, timeoutSeconds: 2, realTimeSeconds: 1, nearRealTimeSeconds: 2 },
    });
    // The sandbox's seeded patients, read with the vendor's token: every name a leak could show.
    const patients = await fetch(`${sandbox.fhirBaseUrl}/Patient?_count=100`, { headers: { authorization: `Bearer ${vendorEhrToken}` } }).then((r) => r.json() as Promise<any>);
    patientNames = (patients.entry ?? []).flatMap((e: any) => (e.resource.name ?? []).flatMap((n: any) => [n.text, ...(n.given ?? []).map((g: string) => `${g} ${n.family}`)])).filter(Boolean);
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await world?.close();
  });

  /** Every secret and name that must never be printed or written. */
  function forbidden(): Array<[string, string]> {
    const list: Array<[string, string]> = [
      ['vendor bearer token', vendorToken],
      ["the vendor's own EHR token", vendorEhrToken],
      ['private key (PEM body, first 40 chars)', pemBody.slice(0, 40)],
      ['private key (PEM body, a middle stretch)', pemBody.slice(400, 440)],
      ['a PEM header', 'PRIVATE KEY'],
      ['the probe patient', 'Ehrcheck Testpatient'],
      ['the probe patient (family name)', 'Testpatient'],
      // The run's own synthetic patients are named "Ehrcheck Test 4F2A" (src/safety/run-records.ts).
      ['a synthetic test patient of the run', 'Ehrcheck Test'],
    ];
    for (const token of proxy.bearerTokens) list.push(['an EHR access token ehr-check used', token]);
    for (const name of patientNames) list.push(['a seeded patient name', name]);
    return list;
  }

  function expectNoSecrets(where: string, text: string): void {
    for (const [what, secret] of forbidden()) expect(text.includes(secret), `${what} in ${where}`).toBe(false);
    // a client assertion or any other JWT
    expect(text, `a JWT in ${where}`).not.toMatch(/eyJ[\w-]{8,}\.eyJ[\w-]{8,}/);
    // a credential after "Bearer" (the redactor's own placeholder is fine)
    expect(text, `an Authorization header in ${where}`).not.toMatch(/Bearer\s+(?!REDACTED\b)[\w.~+/-]{8,}/i);
  }

  async function outputsOf(result: CliResult, files: string[]): Promise<Array<[string, string]>> {
    const written = await Promise.all(files.map(async (f) => [f, await readFile(f, 'utf8')] as [string, string]));
    return [['stdout', result.stdout], ['stderr', result.stderr], ...written];
  }

  it('keeps every token, the key and every patient name out of stdout, stderr and the JSON, HTML, JUnit and Markdown reports', async () => {
    const files = ['report.json', 'report.html', 'report.junit.xml', 'report.md'].map((f) => join(dir, f));
    const result = await runCli(['run', '--plan', plan, '--allow-writes', '--json', files[0]!, '--html', files[1]!, '--junit', files[2]!, '--markdown', files[3]!], {
      cwd: dir,
      env: { SECRETS_VENDOR_TOKEN: vendorToken },
      timeoutMs: 90_000,
    });
    expect(result.stderr).not.toMatch(/ehr-check: /); // no error line
    expect([0, 1]).toContain(result.code);

    // The run really did authenticate and write: the checks ran on both sides with the tokens.
    const report = await readJson<Report>(files[0]!);
    expect(report.connections[0]).toMatchObject({ live: true, writesAllowed: true });
    const findings = report.checks.flatMap((c) => c.findings);
    expect(findings.find((f) => f.id === 'write-lands')?.status).toBe('pass');
    expect(findings.find((f) => f.id === 'patient-matched')?.status).toBe('pass');
    expect(proxy.bearerTokens.size).toBeGreaterThan(0);
    expect(patientNames.length).toBeGreaterThan(5);
    expect(report.cleanup.leftover).toEqual([]);

    for (const [where, text] of await outputsOf(result, files)) {
      expect(text.length, where).toBeGreaterThan(0);
      expectNoSecrets(where, text);
    }
    // The HTML keeps the request URLs as evidence, but the query of a request never carries a token.
    expect(await readFile(files[1]!, 'utf8')).toMatch(/Slot\?/);

    // The synthetic patients the run created were plainly test records, and are gone.
    const left = await fetch(`${sandbox.fhirBaseUrl}/Patient?given=Ehrcheck&_count=100`, { headers: { authorization: `Bearer ${vendorEhrToken}` } }).then((r) => r.json() as Promise<any>);
    expect((left.entry ?? []).every((e: any) => !(e.resource.identifier ?? []).some((i: any) => i.system === 'urn:ehr-check:patient'))).toBe(true);
  }, 120_000);

  it('keeps a refused vendor token out of the error it reports (exit 3: no connection reachable)', async () => {
    const wrong = `wrong-${randomBytes(18).toString('base64url')}`;
    const json = join(dir, 'refused.json');
    const result = await runCli(['run', '--plan', plan, '--json', json, '--markdown', join(dir, 'refused.md')], {
      cwd: dir,
      env: { SECRETS_VENDOR_TOKEN: wrong },
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(3);
    const report = await readJson<Report>(json);
    const live = report.checks.flatMap((c) => c.findings).find((f) => f.id === 'connection-live');
    expect(live?.status).toBe('fail');
    expect(JSON.stringify(live)).toMatch(/401|auth/i);
    for (const [where, text] of await outputsOf(result, [json, join(dir, 'refused.md')])) {
      expect(text.includes(wrong), `the refused token in ${where}`).toBe(false);
      expectNoSecrets(where, text);
    }
  }, 90_000);

  it('names a missing token variable without guessing at its value', async () => {
    const result = await runCli(['run', '--plan', plan, '--check', 'bidirectional'], { cwd: dir, env: { SECRETS_VENDOR_TOKEN: '' }, timeoutMs: 60_000 });
    expect(result.code).toBe(3);
    expect(`${result.stdout}${result.stderr}`).toMatch(/SECRETS_VENDOR_TOKEN/);
    expectNoSecrets('output', `${result.stdout}${result.stderr}`);
  }, 60_000);

  it('searches the EHR only with a token: the sandbox refuses a request without one', async () => {
    // Guards the test itself: the EHR really requires the token ehr-check had to obtain.
    await expect(searchEhr(sandbox.fhirBaseUrl, 'Patient', {})).rejects.toThrow(/answered 401/);
  });
});
