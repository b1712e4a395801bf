// connection-live on real servers' answers: every real CapabilityStatement of test/fixtures/real-world served from
// a loopback EHR next to a small vendor facade, then the ways a connection breaks, each named by its cause.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coverage } from '../../checks/coverage.js';
import type { LiveEvidence } from '../../src/probes/connection-live.js';
import { CAPABILITY_FILES, loadCapability, type CapabilityFile } from '../capability/real-world.js';
import { closeServers, connection, FHIR_PATH, probeOne, R4_MINIMAL, sendJson, serveEhr, serveVendor } from './world.js';

afterEach(closeServers);

interface Expected {
  status: 'pass' | 'fail';
  /** The search that proves authentication: the first of Slot, Schedule, Appointment, Patient the EHR declares. */
  authSearch: string;
  software?: string;
  writable?: boolean;
  cause?: string;
  message?: RegExp;
}

const EXPECTED: Record<CapabilityFile, Expected> = {
  'athenahealth-athenaone-r4.json': { status: 'pass', authSearch: 'Appointment', software: 'athenahealth FHIR Server', writable: false },
  'careevolution-hiebus-r4.json': { status: 'pass', authSearch: 'Patient', software: 'HIEBus', writable: false },
  'eclinicalworks-fhir-facade-r4.json': { status: 'pass', authSearch: 'Patient', software: 'eCW FHIR Facade', writable: false },
  'epic-advantagecare-stu3.json': { status: 'fail', authSearch: 'Patient', cause: 'wrong-version', message: /EHR metadata: wrong FHIR version \(not FHIR R4: an STU3 CapabilityStatement \(fhirVersion 3\.0\.1\)\)/ },
  'epic-ardent-dstu2.json': { status: 'fail', authSearch: 'Patient', cause: 'wrong-version', message: /EHR metadata: wrong FHIR version \(not FHIR R4: a DSTU2 Conformance \(fhirVersion 1\.0\.2\)\)/ },
  'epic-jefferson-health-r4.json': { status: 'pass', authSearch: 'Appointment', software: 'Epic', writable: false },
  'meditech-greenfield-r4.json': { status: 'pass', authSearch: 'Appointment', software: 'Interoperability Services: US Core STU6 FHIR R4', writable: false },
  'nextgen-enterprise-r4.json': { status: 'pass', authSearch: 'Patient', software: 'Nextgen FHIR Server', writable: false },
  'nextgen-office-r4.json': { status: 'pass', authSearch: 'Patient', software: 'HAPI FHIR Server', writable: false },
  'oracle-health-millennium-open-r4.json': { status: 'pass', authSearch: 'Slot', writable: false },
  // The only statement with a scheduling write: Appointment create (and Slot patch).
  'oracle-health-millennium-r4.json': { status: 'pass', authSearch: 'Slot', writable: true },
  'veradigm-fhir-r4.json': { status: 'pass', authSearch: 'Patient', software: 'Veradigm FHIR', writable: false },
};

describe('connection-live on every real CapabilityStatement', () => {
  it.each(CAPABILITY_FILES.map((f) => [f]))('%s', async (file) => {
    const expected = EXPECTED[file];
    const ehr = await serveEhr({ metadata: loadCapability(file) });
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));

    expect(finding.status).toBe(expected.status);
    expect(finding.connection).toBe('epic');
    expect(ehr.seen.map((s) => s.line)).toEqual([`GET ${FHIR_PATH}/metadata`, `GET ${FHIR_PATH}/${expected.authSearch}?_count=1`]);
    expect(vendor.seen.map((s) => s.line)).toEqual([`GET ${FHIR_PATH}/Slot?status=free&_count=1&schedule=Schedule%2Fdr-lee`]);
    expect(live.smartConfiguration).toBeUndefined();
    expect(finding.evidence.requests).toHaveLength(3);
    if (expected.status === 'pass') {
      expect(live.live).toBe(true);
      expect(live.ehrMetadata).toEqual({ ok: true, fhirVersion: '4.0.1', software: expected.software });
      expect(live.ehrWritable).toBe(expected.writable);
      expect(finding.evidence.ehrWritable).toBe(expected.writable);
      expect(finding.message.includes("read-only for scheduling")).toBe(!expected.writable);
      expect(finding.evidence.cause).toBeUndefined();
    } else {
      expect(live.live).toBe(false);
      expect(live.ehrMetadata.cause).toBe(expected.cause);
      expect(finding.evidence.cause).toBe(expected.cause);
      expect(finding.message).toMatch(expected.message!);
      // The EHR still answers its searches and the vendor its Slot search: only the version is wrong.
      expect(live.ehrAuth.ok).toBe(true);
      expect(live.vendorSearch.ok).toBe(true);
      expect(live.ehrWritable).toBe(false);
    }
  });
});

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connection-live names the cause when a connection breaks', () => {
  it('an unreachable EHR port is an error with cause connect; later EHR parts are not tried', async () => {
    const port = await freePort();
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `http://127.0.0.1:${port}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
    expect(finding.status).toBe('error');
    expect(finding.evidence.cause).toBe('connect');
    expect(finding.message).toMatch(/^EHR metadata: cannot connect \(/);
    expect(live.ehrAuth).toEqual({ ok: false, skipped: true, cause: 'connect', message: 'not tried: the EHR could not be reached' });
    expect(live.vendorSearch.ok).toBe(true);
  });

  it('an EHR that answers 401 to everything fails with cause auth', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL, status: 401 });
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
    expect(finding.status).toBe('fail');
    expect(finding.evidence.cause).toBe('auth');
    expect(live.ehrMetadata).toMatchObject({ ok: false, cause: 'auth' });
    expect(live.ehrAuth).toMatchObject({ ok: false, cause: 'auth', status: 401 });
    expect(finding.message).toContain('EHR metadata: credentials refused');
    expect(finding.message).toContain('EHR authentication: credentials refused (the EHR refused the credentials (HTTP 401))');
  });

  it('open metadata but a refused token on the search fails with cause auth, and the token is nowhere in the evidence', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL, bearer: 'the-right-token-5150' });
    const vendor = await serveVendor();
    const conn = connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, { type: 'bearer', tokenEnv: 'EHR_TOKEN' });
    const { live, finding } = await probeOne(conn, { env: { EHR_TOKEN: 'a-stale-token-8086' } });
    expect(live.ehrMetadata.ok).toBe(true);
    expect(live.ehrAuth).toEqual({ ok: false, cause: 'auth', status: 401, message: 'the EHR refused the credentials (HTTP 401)' });
    expect(finding.status).toBe('fail');
    expect(finding.evidence.cause).toBe('auth');
    expect(ehr.seen.at(-1)!.authorization).toBe('Bearer a-stale-token-8086');
    expect(JSON.stringify(finding)).not.toContain('a-stale-token-8086');

    const right = await probeOne(conn, { env: { EHR_TOKEN: 'the-right-token-5150' } });
    expect(right.finding.status).toBe('pass');
  });

  it('metadata behind a sign-in page for anonymous readers is read again with the credentials', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL, bearer: 'the-right-token-5150', metadataBehindLogin: true });
    const vendor = await serveVendor();
    const conn = connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, { type: 'bearer', tokenEnv: 'EHR_TOKEN' });
    const { live, finding } = await probeOne(conn, { env: { EHR_TOKEN: 'the-right-token-5150' } });
    expect(finding.status).toBe('pass');
    expect(live.ehrMetadata).toEqual({ ok: true, fhirVersion: '4.0.1', software: 'Loopback EHR' });
    expect(ehr.seen.map((s) => [s.line, s.authorization ?? null])).toEqual([
      [`GET ${FHIR_PATH}/metadata`, null],
      [`GET ${FHIR_PATH}/metadata`, 'Bearer the-right-token-5150'],
      [`GET ${FHIR_PATH}/Slot?_count=1`, 'Bearer the-right-token-5150'],
    ]);
  });

  it('an HTML sign-in page where FHIR was expected fails with cause not-fhir', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL, loginPage: true });
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
    expect(finding.status).toBe('fail');
    expect(finding.evidence.cause).toBe('not-fhir');
    expect(live.ehrMetadata).toMatchObject({ ok: false, cause: 'not-fhir', kind: 'login-page' });
    expect(finding.message).toMatch(/^EHR metadata: not a FHIR server \(.*HTML page/);
  });

  it('JSON that is not a FHIR resource fails with cause not-fhir', async () => {
    const ehr = await serveEhr({ metadata: { status: 'UP', version: '2.4.1' } });
    const vendor = await serveVendor();
    const { finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
    expect(finding.status).toBe('fail');
    expect(finding.evidence.cause).toBe('not-fhir');
  });

  it('a hanging EHR is an error with cause timeout, within the client timeout', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL, hang: true });
    const vendor = await serveVendor();
    const started = Date.now();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`), {
      client: { connectTimeoutMs: 500, totalTimeoutMs: 400, retry: { maxRetries: 0 } },
    });
    expect(finding.status).toBe('error');
    expect(finding.evidence.cause).toBe('timeout');
    expect(finding.message).toMatch(/^EHR metadata: no answer in time \(/);
    expect(live.ehrAuth.skipped).toBe(true);
    // One timeout, not one per part: the search is not tried against a server that does not answer.
    expect(ehr.seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('an untrusted TLS certificate is an error with cause tls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehr-check-coverage-tls-'));
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
          '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        { stdio: 'ignore', timeout: 10_000 },
      );
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => sendJson(res, 200, R4_MINIMAL));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const vendor = await serveVendor();
      try {
        const { finding } = await probeOne(connection('epic', `https://127.0.0.1:${port}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
        expect(finding.status).toBe('error');
        expect(finding.evidence.cause).toBe('tls');
        expect(finding.message).toMatch(/^EHR metadata: TLS handshake or certificate failed/);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['refuses the credentials (403)', { status: 403 }, 'fail', 'auth', /^vendor Slot search: credentials refused/],
    ['answers a sign-in page', { loginPage: true }, 'fail', 'not-fhir', /^vendor Slot search: not a FHIR server/],
    ['has no Slot search (500)', { status: 500 }, 'fail', 'http', /^vendor Slot search: HTTP error \(the vendor's Slot search answered HTTP 500\)/],
    [
      'answers its Slot search with a CapabilityStatement (200)',
      { searchAnswer: R4_MINIMAL },
      'fail',
      'not-searchset',
      /^vendor Slot search: search not answered with a searchset Bundle \(the vendor's Slot search answered with a CapabilityStatement, not a searchset Bundle\)$/,
    ],
  ] as const)('a vendor that %s: %s with cause %s', async (_what, options, status, cause, message) => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL });
    const vendor = await serveVendor(options);
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
    expect(live.ehrMetadata.ok && live.ehrAuth.ok).toBe(true);
    expect(finding.status).toBe(status);
    expect(finding.evidence.cause).toBe(cause);
    expect(finding.message).toMatch(message);
  });

  it('an unreachable vendor is an error with cause connect, while the EHR is fine', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL });
    const port = await freePort();
    const { finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `http://127.0.0.1:${port}${FHIR_PATH}`));
    expect(finding.status).toBe('error');
    expect(finding.evidence.cause).toBe('connect');
    expect(finding.message).toMatch(/^vendor Slot search: cannot connect/);
  });

  it('a wrong answer outranks a missing one: R4 refused by the EHR and an unreachable vendor is a fail', async () => {
    const ehr = await serveEhr({ metadata: loadCapability('epic-ardent-dstu2.json') });
    const port = await freePort();
    const { finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `http://127.0.0.1:${port}${FHIR_PATH}`));
    expect(finding.status).toBe('fail');
    expect(finding.evidence.cause).toBe('wrong-version');
    expect(finding.message).toMatch(/^EHR metadata: wrong FHIR version .*; vendor Slot search: cannot connect/);
  });
});

describe('connection-live judged on hand-built evidence: every cause has its status', () => {
  const ok = { ok: true, status: 200 };
  const judge = (part: 'ehrMetadata' | 'ehrAuth' | 'vendorSearch', cause: string) => {
    const live: LiveEvidence = {
      live: false,
      ehrMetadata: { ok: true, fhirVersion: '4.0.1', software: 'EHR' },
      ehrAuth: ok,
      vendorSearch: ok,
      ehrWritable: true,
      requests: [],
      [part]: { ok: false, cause, message: `detail of ${cause}` },
    };
    return coverage.judge({ sites: [], connections: [{ key: 'epic', system: 'epic', live }], claimedSystems: [], claimedSystemCount: null, unknownClaimedNames: [], certified: {}, displayName: (id) => id })
      .find((f) => f.id === 'connection-live')!;
  };

  it.each([
    ['ehrMetadata', 'dns', 'error', 'EHR metadata: host name does not resolve (detail of dns)'],
    ['ehrMetadata', 'connect', 'error', 'EHR metadata: cannot connect (detail of connect)'],
    ['ehrMetadata', 'tls', 'error', 'EHR metadata: TLS handshake or certificate failed (detail of tls)'],
    ['ehrMetadata', 'timeout', 'error', 'EHR metadata: no answer in time (detail of timeout)'],
    ['ehrMetadata', 'not-fhir', 'fail', 'EHR metadata: not a FHIR server (detail of not-fhir)'],
    ['ehrMetadata', 'wrong-version', 'fail', 'EHR metadata: wrong FHIR version (detail of wrong-version)'],
    ['ehrAuth', 'auth', 'fail', 'EHR authentication: credentials refused (detail of auth)'],
    ['ehrAuth', 'config', 'error', 'EHR authentication: plan configuration (detail of config)'],
    ['ehrAuth', 'rate-limited', 'error', 'EHR authentication: rate-limited (detail of rate-limited)'],
    ['vendorSearch', 'http', 'fail', 'vendor Slot search: HTTP error (detail of http)'],
    ['vendorSearch', 'too-large', 'fail', 'vendor Slot search: answer too large (detail of too-large)'],
    // Answered, and what came back is a fact about the connection as the plan gives it: fail, not error.
    ['ehrMetadata', 'cross-origin', 'fail', 'EHR metadata: answered from another origin (detail of cross-origin)'],
    ['ehrAuth', 'cross-origin', 'fail', 'EHR authentication: answered from another origin (detail of cross-origin)'],
    ['vendorSearch', 'cross-origin', 'fail', 'vendor Slot search: answered from another origin (detail of cross-origin)'],
    ['ehrAuth', 'not-searchset', 'fail', 'EHR authentication: search not answered with a searchset Bundle (detail of not-searchset)'],
    ['vendorSearch', 'not-searchset', 'fail', 'vendor Slot search: search not answered with a searchset Bundle (detail of not-searchset)'],
  ] as const)('%s %s → %s', (part, cause, status, message) => {
    const f = judge(part, cause);
    expect(f.status).toBe(status);
    expect(f.message).toBe(message);
    expect(f.evidence.cause).toBe(cause);
  });
});
