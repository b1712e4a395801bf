// The client takes an answer only from the server's own origin, and a search answer only as a searchset Bundle.
// Every helper is covered: no probe can come to rest on what another origin said.
import { afterEach, describe, expect, it } from 'vitest';
import { FhirClient } from '../../src/http/fhir-client.js';
import { closeAll, loopback, rejection, sendJson, type Loopback } from '../helpers/loopback.js';

afterEach(closeAll);

const TOKEN = 'origin-token-31415';
const patient = { resourceType: 'Patient', id: 'p1' };
const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient, search: { mode: 'match' } }] };

/** Another origin that answers every request with what a FHIR server would (a Patient, or a searchset for a search). */
function elsewhere(): Promise<Loopback> {
  return loopback((req, res) => sendJson(res, 200, /\/Patient(\?|$)/.test(req.url ?? '') ? bundle : patient));
}

/** A home server that sends every request to `other` with `status`. */
function home(other: Loopback, status: number): Promise<Loopback> {
  return loopback((req, res) => {
    res.writeHead(status, { location: `${other.origin}${req.url}` });
    res.end();
  });
}

const client = (server: Loopback) =>
  new FhirClient({ baseUrl: `${server.origin}/fhir`, name: 'EHR', auth: { type: 'bearer', tokenEnv: 'T' }, env: { T: TOKEN }, retry: { maxRetries: 0 } });

describe('answers from another origin', () => {
  it.each([
    ['read', (c: FhirClient) => c.read('Patient', 'p1'), 'GET Patient/p1'],
    ['search', (c: FhirClient) => c.search('Patient', { name: 'x' }), 'GET Patient'],
    ['searchAll', (c: FhirClient) => c.searchAll('Patient'), 'GET Patient'],
    ['capabilities', (c: FhirClient) => c.capabilities(), 'GET metadata'],
    ['request', (c: FhirClient) => c.request({ path: 'Patient/p1' }), 'GET Patient/p1'],
  ] as const)('%s: followed without the credentials, then refused as not the server’s', async (_name, call, what) => {
    const other = await elsewhere();
    const server = await home(other, 302);
    const c = client(server);
    const error = await rejection(call(c));
    expect(error.kind).toBe('cross-origin');
    expect(error.message).toBe(
      `EHR base ${server.origin}/fhir redirects ${what} (302) to ${other.origin}, another origin; the credentials were not sent there, ` +
        `so its answer proves nothing about them and is not taken as the EHR's. If the EHR really lives at ${other.origin}, give that address in the plan`,
    );
    expect(error.details.redirectedTo).toMatch(new RegExp(`^${other.origin}/fhir/`));
    expect(server.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    await c.close();
  });

  it.each([
    ['create (307)', 307, (c: FhirClient) => c.create({ resourceType: 'Appointment', status: 'booked' }), 'POST Appointment'],
    ['update (308)', 308, (c: FhirClient) => c.update({ resourceType: 'Slot', id: 's1', status: 'busy' }), 'PUT Slot/s1'],
    ['delete (307)', 307, (c: FhirClient) => c.delete('Appointment', 'a1'), 'DELETE Appointment/a1'],
    ['patch (307)', 307, (c: FhirClient) => c.request({ method: 'PATCH', path: 'Slot/s1', body: [] }), 'PATCH Slot/s1'],
  ] as const)('%s: a write is not sent on to another origin at all', async (_name, status, call, what) => {
    const other = await elsewhere();
    const server = await home(other, status);
    const c = client(server);
    const error = await rejection(call(c));
    expect(error.kind).toBe('cross-origin');
    expect(error.message).toContain(`redirects ${what} (${status}) to ${other.origin}, another origin; not followed: a ${what.split(' ')[0]} and its body are never sent`);
    expect(other.seen).toHaveLength(0);
    await c.close();
  });

  it('a POST turned into a GET by a 303 is followed without a body or credentials, and still refused', async () => {
    const other = await elsewhere();
    const server = await home(other, 303);
    const c = client(server);
    expect((await rejection(c.create({ resourceType: 'Patient', name: [{ family: 'Test' }] }))).kind).toBe('cross-origin');
    expect(other.seen.map((s) => [s.method, s.body, s.headers.authorization])).toEqual([['GET', '', undefined]]);
    await c.close();
  });

  it('an answer that came back home by way of another origin is refused too: the other origin chose it', async () => {
    let server: Loopback;
    const other = await loopback((req, res) => {
      res.writeHead(302, { location: `${server.origin}/fhir/Patient/p1?bounced=1` });
      res.end();
    });
    server = await loopback((req, res) => {
      if (req.url?.includes('bounced')) return sendJson(res, 200, patient);
      res.writeHead(302, { location: `${other.origin}${req.url}` });
      res.end();
    });
    const c = client(server);
    expect((await rejection(c.read('Patient', 'p1'))).kind).toBe('cross-origin');
    await c.close();
  });

  it('a same-origin redirect is followed with the credentials, and the answer names where it came from', async () => {
    const server = await loopback((req, res) => {
      if (req.url?.startsWith('/fhir/')) {
        res.writeHead(301, { location: `/moved${req.url}` });
        return res.end();
      }
      sendJson(res, 200, patient);
    });
    const c = client(server);
    const res = await c.request({ path: 'Patient/p1' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(patient);
    expect(res.url).toBe(`${server.origin}/moved/fhir/Patient/p1`);
    expect(server.seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(c.log.records.map((r) => [r.status, r.redirectedTo, r.crossOrigin])).toEqual([
      [301, `${server.origin}/moved/fhir/Patient/p1`, undefined],
      [200, undefined, undefined],
    ]);
    await c.close();
  });
});

describe('searches answered by something other than a searchset Bundle', () => {
  it.each([
    ['a CapabilityStatement', { resourceType: 'CapabilityStatement', status: 'active' }, 'Slot search answered with a CapabilityStatement, not a searchset Bundle'],
    [
      'an OperationOutcome with 200',
      { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported', diagnostics: 'Slot search is disabled' }] },
      'Slot search answered with an OperationOutcome (warning: Slot search is disabled), not a searchset Bundle',
    ],
    ['a history Bundle', { resourceType: 'Bundle', type: 'history', entry: [] }, 'Slot search answered with a Bundle of type history, not a searchset Bundle'],
    ['a Bundle without a type', { resourceType: 'Bundle' }, 'Slot search answered with a Bundle without a type, not a searchset Bundle'],
  ])('%s is a not-searchset error', async (_what, body, message) => {
    const server = await loopback((req, res) => sendJson(res, 200, body));
    const c = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    for (const call of [() => c.search('Slot', { status: 'free' }), () => c.searchAll('Slot', { status: 'free' })]) {
      const error = await rejection(call());
      expect(error.kind).toBe('not-searchset');
      expect(error.message).toBe(message);
      expect(error.details.status).toBe(200);
    }
    await c.close();
  });

  it('a later page that is not a searchset stops the search the same way', async () => {
    const server = await loopback((req, res) => {
      if (req.url?.includes('page=2')) return sendJson(res, 200, { resourceType: 'CapabilityStatement' });
      sendJson(res, 200, { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: `http://${req.headers.host}/fhir/Slot?page=2` }], entry: [] });
    });
    const c = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(c.searchAll('Slot'));
    expect(error.kind).toBe('not-searchset');
    expect(error.message).toBe('Slot search (page 2) answered with a CapabilityStatement, not a searchset Bundle');
    await c.close();
  });
});
