import { afterEach, describe, expect, it } from 'vitest';
import { FhirClient } from '../../src/http/fhir-client.js';
import { parseRetryAfter, nextWait } from '../../src/http/retry-after.js';
import { closeAll, loopback, rejection, sendJson } from '../helpers/loopback.js';

afterEach(closeAll);

const SLACK_MS = 1_500;
const patient = { resourceType: 'Patient', id: 'p1' };

describe('429/503 with Retry-After', () => {
  for (const status of [429, 503]) {
    it(`${status}: waits as asked (seconds), then succeeds`, async () => {
      let calls = 0;
      const server = await loopback((req, res) => {
        calls++;
        if (calls === 1) return sendJson(res, status, { resourceType: 'OperationOutcome', issue: [] }, { 'retry-after': '1' });
        sendJson(res, 200, patient);
      });
      const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, retry: { maxRetries: 2, maxWaitMs: 5_000 } });
      const started = Date.now();
      expect(await client.read('Patient', 'p1')).toEqual(patient);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(client.log.records.map((r) => r.status)).toEqual([status, 200]);
      await client.close();
    });

    it(`${status}: a Retry-After beyond the budget fails at once as rate-limited`, async () => {
      const server = await loopback((req, res) => sendJson(res, status, {}, { 'retry-after': '120' }));
      const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, retry: { maxRetries: 3, maxWaitMs: 5_000 } });
      const started = Date.now();
      const error = await rejection(client.read('Patient', 'p1'));
      expect(error.kind).toBe('rate-limited');
      expect(error.message).toContain('120 s');
      expect(Date.now() - started).toBeLessThan(SLACK_MS);
      expect(server.seen).toHaveLength(1);
      // request() too: rate-limited is one of the few rejections it has.
      expect((await rejection(client.request({ path: 'Patient/p1' }))).kind).toBe('rate-limited');
      await client.close();
    });
  }

  it('honours Retry-After as an HTTP date', async () => {
    let calls = 0;
    const server = await loopback((req, res) => {
      calls++;
      if (calls === 1) return sendJson(res, 429, {}, { 'retry-after': new Date(Date.now() + 2_000).toUTCString() });
      sendJson(res, 200, patient);
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, retry: { maxRetries: 1, maxWaitMs: 5_000 } });
    const started = Date.now();
    await client.read('Patient', 'p1');
    // HTTP dates have whole seconds: the wait is between 1 and 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await client.close();
  });

  it('gives up as rate-limited when retries run out', async () => {
    const server = await loopback((req, res) => sendJson(res, 503, {}, { 'retry-after': '0' }));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, retry: { maxRetries: 2, maxWaitMs: 5_000 } });
    const error = await rejection(client.search('Slot'));
    expect(error.kind).toBe('rate-limited');
    expect(server.seen).toHaveLength(3);
    await client.close();
  });

  it('parses Retry-After values', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sat, 01 Mar 2025 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(nextWait(0, 2_000, 0, { maxRetries: 2, maxWaitMs: 3_000 })).toBe(2_000);
    expect(nextWait(1, 2_000, 2_000, { maxRetries: 2, maxWaitMs: 3_000 })).toBeUndefined();
    expect(nextWait(2, 0, 0, { maxRetries: 2, maxWaitMs: 3_000 })).toBeUndefined();
  });
});

describe('redirects', () => {
  it('never sends credentials to another origin, and keeps them on the same origin', async () => {
    const other = await loopback((req, res) => sendJson(res, 200, patient));
    const home = await loopback((req, res) => {
      if (req.url === '/fhir/Patient/moved') {
        res.writeHead(301, { location: '/fhir/Patient/p1' });
        return res.end();
      }
      if (req.url === '/fhir/Patient/away') {
        res.writeHead(307, { location: `${other.origin}/elsewhere/Patient/p1` });
        return res.end();
      }
      sendJson(res, 200, patient);
    });
    const token = 'tok-redirect-7f3a9c';
    const client = new FhirClient({
      baseUrl: `${home.origin}/fhir`,
      auth: { type: 'bearer', tokenEnv: 'FHIR_TOKEN' },
      env: { FHIR_TOKEN: token },
    });

    await client.read('Patient', 'moved');
    expect(home.seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${token}`, `Bearer ${token}`]);

    // The other origin is asked without the token, and its answer is refused: it is not this server's.
    const away = await rejection(client.read('Patient', 'away'));
    expect(away.kind).toBe('cross-origin');
    expect(away.details.redirectedTo).toBe(`${other.origin}/elsewhere/Patient/p1`);
    expect(home.seen[2]!.headers.authorization).toBe(`Bearer ${token}`);
    expect(other.seen).toHaveLength(1);
    expect(other.seen[0]!.url).toBe('/elsewhere/Patient/p1');
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    await client.close();
  });

  it('stops after 5 redirects', async () => {
    const server = await loopback((req, res) => {
      const n = Number(new URL(req.url!, 'http://x').searchParams.get('n') ?? 0);
      res.writeHead(302, { location: `/fhir/Slot?n=${n + 1}` });
      res.end();
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(client.search('Slot'));
    expect(error.kind).toBe('redirect');
    expect(server.seen).toHaveLength(6);
    await client.close();
  });

  it('does not follow a redirect to a non-http scheme', async () => {
    const server = await loopback((req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    expect((await rejection(client.search('Slot'))).kind).toBe('redirect');
    await client.close();
  });

  it('turns a 303 after POST into a GET without body', async () => {
    const server = await loopback((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(303, { location: '/fhir/Appointment/a1' });
        return res.end();
      }
      sendJson(res, 200, { resourceType: 'Appointment', id: 'a1' });
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const res = await client.create({ resourceType: 'Appointment', status: 'booked' });
    expect(res.status).toBe(200);
    expect(server.seen.map((s) => [s.method, s.body])).toEqual([
      ['POST', JSON.stringify({ resourceType: 'Appointment', status: 'booked' })],
      ['GET', ''],
    ]);
    await client.close();
  });
});

describe('searchAll paging', () => {
  function pagedServer(pages: number, nextOrigin?: () => string) {
    return loopback((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const page = Number(url.searchParams.get('page') ?? 1);
      const self = `http://${req.headers.host}`;
      const link = [{ relation: 'self', url: `${self}${req.url}` }];
      if (page < pages) link.push({ relation: 'next', url: `${nextOrigin?.() ?? self}/fhir/Slot?status=free&page=${page + 1}` });
      sendJson(res, 200, {
        resourceType: 'Bundle',
        type: 'searchset',
        link,
        entry: [
          { resource: { resourceType: 'Slot', id: `s${page}a` }, search: { mode: 'match' } },
          { resource: { resourceType: 'Slot', id: `s${page}b` } },
          { resource: { resourceType: 'Schedule', id: 'sch' }, search: { mode: 'include' } },
        ],
      });
    });
  }

  it('follows next links over 3 pages and returns every match', async () => {
    const server = await pagedServer(3);
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const slots = await client.searchAll<{ id: string }>('Slot', { status: 'free' });
    expect(slots.map((s) => s.id)).toEqual(['s1a', 's1b', 's2a', 's2b', 's3a', 's3b']);
    expect(server.seen).toHaveLength(3);
    await client.close();
  });

  it('refuses a next link to another origin', async () => {
    const elsewhere = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Bundle', type: 'searchset' }));
    const server = await pagedServer(3, () => elsewhere.origin);
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, auth: { type: 'bearer', tokenEnv: 'T' }, env: { T: 'page-token-123' } });
    const error = await rejection(client.searchAll('Slot', { status: 'free' }));
    expect(error.kind).toBe('redirect');
    expect(error.message).toContain('another origin');
    expect(elsewhere.seen).toHaveLength(0);
    await client.close();
  });

  it('stops at maxPages, and on a next link that loops', async () => {
    const server = await pagedServer(10);
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(client.searchAll('Slot', { status: 'free' }, { maxPages: 2 }));
    expect(error.message).toContain('more than 2 pages');
    expect(server.seen).toHaveLength(2);

    const looping = await loopback((req, res) =>
      sendJson(res, 200, { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: `http://${req.headers.host}/fhir/Slot?page=2` }] }),
    );
    const loopClient = new FhirClient({ baseUrl: `${looping.origin}/fhir` });
    expect((await rejection(loopClient.searchAll('Slot'))).message).toContain('repeats');
    await client.close();
    await loopClient.close();
  });

  it('rejects a search answer that is not a Bundle', async () => {
    const server = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Slot', id: 's1' }));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(client.searchAll('Slot'));
    expect(error.kind).toBe('not-searchset');
    expect(error.message).toBe('Slot search answered with a Slot, not a searchset Bundle');
    await client.close();
  });
});
