// connection-live when the answer is not the server's own: a base that redirects to another origin (where the
// credentials never go), and searches answered 200 with something other than a searchset Bundle.
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../src/model/plan.js';
import { closeServers, connection, FHIR_PATH, probeOne, R4_MINIMAL, serve, sendJson, serveEhr, serveVendor, type TestServer } from './world.js';

afterEach(closeServers);

const BEARER: AuthConfig = { type: 'bearer', tokenEnv: 'EHR_TOKEN' };
const TOKEN = 'home-only-token-6502';

/** The other origins an EHR base may send its clients to: one that answers anything, one that works and is open. */
const ELSEWHERE: Array<[string, () => Promise<TestServer>]> = [
  ['answers a CapabilityStatement to everything', () => serve((_req, res) => sendJson(res, 200, R4_MINIMAL))],
  ['is a working FHIR server that needs no token', () => serveEhr({ metadata: R4_MINIMAL })],
];

describe('an EHR base that redirects to another origin', () => {
  it.each(ELSEWHERE.flatMap(([what, start]) => [[what, 'no credentials', start, false] as const, [what, 'a bearer token', start, true] as const]))(
    'to one that %s, with %s: fail, naming the redirect',
    async (_what, _auth, start, withAuth) => {
      const other = await start();
      const ehr = await serveEhr({ metadata: R4_MINIMAL, redirectTo: `${other.origin}${FHIR_PATH}`, ...(withAuth && { bearer: TOKEN }) });
      const vendor = await serveVendor();
      const base = `${ehr.origin}${FHIR_PATH}`;
      const conn = connection('epic', base, `${vendor.origin}${FHIR_PATH}`, withAuth ? BEARER : { type: 'none' });
      const { live, finding } = await probeOne(conn, { env: { EHR_TOKEN: TOKEN } });

      expect(finding.status).toBe('fail');
      expect(live.live).toBe(false);
      expect(finding.evidence.cause).toBe('cross-origin');
      expect(live.ehrMetadata).toMatchObject({ ok: false, cause: 'cross-origin' });
      expect(live.ehrAuth).toMatchObject({ ok: false, cause: 'cross-origin' });
      expect(live.vendorSearch.ok).toBe(true);
      expect(finding.message).toMatch(
        new RegExp(`^EHR metadata: answered from another origin \\(EHR base ${base} redirects GET metadata \\(302\\) to ${other.origin}, another origin; its answer is not taken as the EHR's\\.`),
      );
      // The metadata came from elsewhere, so nothing says which search the EHR has: Patient proves the credentials.
      const credentials = `EHR authentication: answered from another origin (EHR base ${base} redirects GET Patient (302) to ${other.origin}, another origin; the credentials were not sent there`;
      expect(finding.message.includes(credentials)).toBe(withAuth);
      expect(finding.message).toContain(`If the EHR really lives at ${other.origin}, give that address in the plan`);
      // The hop is in the evidence: the 302, where it pointed, and that it left the origin.
      const requests = finding.evidence.requests as Array<{ url: string; status: number; redirectedTo?: string; crossOrigin?: boolean }>;
      expect(requests).toContainEqual(expect.objectContaining({ url: `${base}/metadata`, status: 302, redirectedTo: `${other.origin}${FHIR_PATH}/metadata`, crossOrigin: true }));

      // The credentials went to the EHR's own origin only; the other origin was asked without them.
      if (withAuth) expect(ehr.seen.find((s) => s.line.startsWith(`GET ${FHIR_PATH}/Patient`))!.authorization).toBe(`Bearer ${TOKEN}`);
      expect(other.seen.length).toBeGreaterThan(0);
      expect(other.seen.every((s) => s.authorization === undefined)).toBe(true);
      expect(JSON.stringify(finding)).not.toContain(TOKEN);
    },
  );

  it('a SMART configuration served from another origin does not choose where the client secret goes', async () => {
    const other = await serveEhr({ metadata: R4_MINIMAL, issueToken: 'issued-elsewhere-1234' });
    // The other origin names its own token endpoint, as a server that wanted the secret would.
    const smartElsewhere = await serve((req, res, url) => {
      if (url.pathname === `${FHIR_PATH}/.well-known/smart-configuration`) {
        return sendJson(res, 200, { token_endpoint: `${other.origin}/token`, grant_types_supported: ['client_credentials'], token_endpoint_auth_methods_supported: ['client_secret_post'] }, 'application/json');
      }
      res.writeHead(307, { location: `${other.origin}${url.pathname}${url.search}` });
      res.end();
    });
    const ehr = await serveEhr({ metadata: R4_MINIMAL, redirectTo: `${smartElsewhere.origin}${FHIR_PATH}` });
    const vendor = await serveVendor();
    const auth: AuthConfig = { type: 'client-credentials', clientId: 'ehr-check', secretEnv: 'EHR_SECRET' };
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, auth), {
      env: { EHR_SECRET: 'client-secret-value-90210' },
    });
    expect(finding.status).toBe('fail');
    expect(live.smartConfiguration).toMatchObject({ ok: false, cause: 'cross-origin' });
    expect(live.ehrAuth).toMatchObject({ ok: false, cause: 'cross-origin' });
    expect(live.ehrAuth.message).toMatch(/smart-configuration redirects \(302\) to http:\/\/127\.0\.0\.1:\d+, another origin; where the credentials go is only read from the server's own origin/);
    expect(other.seen.some((s) => s.line === 'POST /token')).toBe(false);
    expect(JSON.stringify(finding)).not.toContain('client-secret-value-90210');
  });

  it('a same-origin redirect still passes, and the credentials follow it', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL, bearer: TOKEN, movedTo: '/moved/fhir/R4' });
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`, BEARER), { env: { EHR_TOKEN: TOKEN } });
    expect(finding.status).toBe('pass');
    expect(live.ehrMetadata).toEqual({ ok: true, fhirVersion: '4.0.1', software: 'Loopback EHR' });
    expect(ehr.seen.filter((s) => s.line.includes('/Slot')).map((s) => [s.line, s.authorization])).toEqual([
      [`GET ${FHIR_PATH}/Slot?_count=1`, `Bearer ${TOKEN}`],
      ['GET /moved/fhir/R4/Slot?_count=1', `Bearer ${TOKEN}`],
    ]);
    const requests = finding.evidence.requests as Array<{ status: number; redirectedTo?: string; crossOrigin?: boolean }>;
    const hops = requests.filter((r) => r.status === 301);
    expect(hops.length).toBeGreaterThan(0);
    expect(hops.every((r) => r.redirectedTo?.startsWith(`${ehr.origin}/moved/fhir/R4/`) && r.crossOrigin === undefined)).toBe(true);
  });
});

describe('a vendor facade that redirects to another origin', () => {
  it('fails naming the redirect, and its token never reaches the other origin', async () => {
    const elsewhere = await serveVendor();
    const vendor = await serveVendor({ redirectTo: `${elsewhere.origin}${FHIR_PATH}` });
    const ehr = await serveEhr({ metadata: R4_MINIMAL });
    const conn = connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`);
    conn.vendor = { ...conn.vendor, auth: { type: 'bearer', tokenEnv: 'VENDOR_TOKEN' } } as typeof conn.vendor;
    const { live, finding } = await probeOne(conn, { env: { VENDOR_TOKEN: 'vendor-token-8088' } });
    expect(finding.status).toBe('fail');
    expect(live.ehrMetadata.ok && live.ehrAuth.ok).toBe(true);
    expect(live.vendorSearch).toMatchObject({ ok: false, cause: 'cross-origin' });
    expect(finding.message).toMatch(
      new RegExp(`^vendor Slot search: answered from another origin \\(vendor base ${vendor.origin}${FHIR_PATH} redirects GET Slot \\(302\\) to ${elsewhere.origin}, another origin; the credentials were not sent there`),
    );
    expect(vendor.seen[0]!.authorization).toBe('Bearer vendor-token-8088');
    expect(elsewhere.seen).toHaveLength(1);
    expect(elsewhere.seen[0]!.authorization).toBeUndefined();
  });
});

describe('a search answered 200 by something other than a searchset Bundle', () => {
  it.each([
    ['a CapabilityStatement', R4_MINIMAL, "the EHR's Slot search answered with a CapabilityStatement, not a searchset Bundle"],
    [
      'an OperationOutcome',
      { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'search is not available' }] },
      "the EHR's Slot search answered with an OperationOutcome (information: search is not available), not a searchset Bundle",
    ],
    ['a Bundle of type collection', { resourceType: 'Bundle', type: 'collection', entry: [] }, "the EHR's Slot search answered with a Bundle of type collection, not a searchset Bundle"],
  ])('the EHR answers with %s: fail with cause not-searchset', async (_what, answer, detail) => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL, searchAnswer: answer });
    const vendor = await serveVendor();
    const { live, finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
    expect(live.ehrMetadata.ok).toBe(true);
    expect(live.ehrAuth).toEqual({ ok: false, cause: 'not-searchset', status: 200, message: detail });
    expect(finding.status).toBe('fail');
    expect(finding.evidence.cause).toBe('not-searchset');
    expect(finding.message).toBe(`EHR authentication: search not answered with a searchset Bundle (${detail})`);
  });

  it('an honest searchset with the same EHR passes (the control)', async () => {
    const ehr = await serveEhr({ metadata: R4_MINIMAL });
    const vendor = await serveVendor();
    const { finding } = await probeOne(connection('epic', `${ehr.origin}${FHIR_PATH}`, `${vendor.origin}${FHIR_PATH}`));
    expect(finding.status).toBe('pass');
  });
});
