import { afterEach, describe, expect, it } from 'vitest';
import { FhirClient, outcomeText } from '../../src/http/fhir-client.js';
import { closeAll, loopback, outcome, rejection, sendJson } from '../helpers/loopback.js';

afterEach(closeAll);

describe('FhirClient: FHIR interactions', () => {
  it('reads a resource and sends Accept application/fhir+json', async () => {
    const server = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Patient', id: 'p1' }, { etag: 'W/"4"' }));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir/R4/` });
    const patient = await client.read<{ id: string }>('Patient', 'p1');
    expect(patient.id).toBe('p1');
    expect(server.seen[0]!.url).toBe('/fhir/R4/Patient/p1');
    expect(server.seen[0]!.headers.accept).toBe('application/fhir+json');
    expect(client.log.records).toHaveLength(1);
    expect(client.log.records[0]).toMatchObject({ method: 'GET', status: 200, url: `${server.origin}/fhir/R4/Patient/p1` });
    await client.close();
  });

  it('searches with repeated parameters', async () => {
    const server = await loopback((req, res) =>
      sendJson(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Slot', id: 's1' } }] }),
    );
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const bundle = await client.search('Slot', { status: 'free', start: ['ge2025-01-01', 'lt2025-01-02'] });
    expect(bundle.entry?.[0]?.resource?.id).toBe('s1');
    const url = new URL(server.seen[0]!.url, server.origin);
    expect(url.pathname).toBe('/fhir/Slot');
    expect(url.searchParams.getAll('start')).toEqual(['ge2025-01-01', 'lt2025-01-02']);
    await client.close();
  });

  it('returns a 409 with its OperationOutcome from request and create, and surfaces it as text from read and search', async () => {
    const conflict = outcome('Slot slot-7 is already booked', 'conflict');
    const server = await loopback((req, res) => sendJson(res, 409, conflict));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });

    const res = await client.request({ method: 'POST', path: 'Appointment', body: { resourceType: 'Appointment' } });
    expect(res.status).toBe(409);
    expect(outcomeText(res.body)).toBe('error: Slot slot-7 is already booked');

    const created = await client.create({ resourceType: 'Appointment', status: 'booked' });
    expect(created.status).toBe(409);

    const readError = await rejection(client.read('Slot', 'slot-7'));
    expect(readError.kind).toBe('http');
    expect(readError.message).toContain('409');
    expect(readError.message).toContain('Slot slot-7 is already booked');
    expect(readError.details.outcome).toBe('error: Slot slot-7 is already booked');

    const searchError = await rejection(client.search('Slot'));
    expect(searchError.kind).toBe('http');
    expect(searchError.message).toContain('already booked');
    await client.close();
  });

  it('maps 401 and 403 on read to auth errors', async () => {
    const server = await loopback((req, res) => sendJson(res, req.url!.includes('a') ? 401 : 403, outcome('no access')));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    expect((await rejection(client.read('Patient', 'a'))).kind).toBe('auth');
    expect((await rejection(client.read('Patient', 'b'))).kind).toBe('auth');
    await client.close();
  });

  it('sends If-None-Exist on create and If-Match on update, and reports ETag and Location', async () => {
    const server = await loopback((req, res, body) => {
      const resource = JSON.parse(body);
      sendJson(res, req.method === 'POST' ? 201 : 200, { ...resource, id: 'a1', meta: { versionId: '2' } }, {
        etag: 'W/"2"',
        location: `/fhir/Appointment/a1/_history/2`,
      });
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const created = await client.create({ resourceType: 'Appointment', status: 'booked' }, { ifNoneExist: 'identifier=urn:ehr-check:booking|K1' });
    expect(created.status).toBe(201);
    expect(created.etag).toBe('W/"2"');
    expect(created.location).toBe('/fhir/Appointment/a1/_history/2');
    expect(server.seen[0]!.headers['if-none-exist']).toBe('identifier=urn:ehr-check:booking|K1');
    expect(server.seen[0]!.headers['content-type']).toBe('application/fhir+json');
    expect(JSON.parse(server.seen[0]!.body)).toEqual({ resourceType: 'Appointment', status: 'booked' });

    const updated = await client.update({ resourceType: 'Appointment', id: 'a1', status: 'cancelled' }, { ifMatch: '2' });
    expect(updated.status).toBe(200);
    expect(server.seen[1]!.method).toBe('PUT');
    expect(server.seen[1]!.url).toBe('/fhir/Appointment/a1');
    expect(server.seen[1]!.headers['if-match']).toBe('W/"2"');

    await client.update({ resourceType: 'Appointment', id: 'a1' }, { ifMatch: 'W/"7"' });
    expect(server.seen[2]!.headers['if-match']).toBe('W/"7"');
    await client.close();
  });

  it('deletes, and answers with the status for an empty body', async () => {
    const server = await loopback((req, res) => {
      res.statusCode = 204;
      res.end();
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const res = await client.delete('Appointment', 'a1');
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(server.seen[0]).toMatchObject({ method: 'DELETE', url: '/fhir/Appointment/a1' });
    await client.close();
  });

  it('returns whatever JSON the metadata endpoint serves', async () => {
    const server = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Conformance', fhirVersion: '1.0.2' }, {}));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    expect(await client.capabilities()).toEqual({ resourceType: 'Conformance', fhirVersion: '1.0.2' });
    expect(server.seen[0]!.url).toBe('/fhir/metadata');
    await client.close();
  });

  it('refuses an absolute path on another origin without sending anything', async () => {
    const server = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Patient' }));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(client.request({ path: 'http://127.0.0.2:1/fhir/Patient' }));
    expect(error.kind).toBe('config');
    expect(server.seen).toHaveLength(0);
    await client.close();
  });
});

describe('outcomeText', () => {
  it('joins issues, preferring details.text, then diagnostics, then the code', () => {
    expect(
      outcomeText({
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'error', code: 'conflict', details: { text: 'Slot busy' }, diagnostics: 'ignored' },
          { severity: 'warning', code: 'informational', diagnostics: 'retry later' },
          { code: 'processing' },
        ],
      }),
    ).toBe('error: Slot busy; warning: retry later; processing');
  });

  it('is undefined for anything that is not an OperationOutcome', () => {
    expect(outcomeText({ resourceType: 'Patient' })).toBeUndefined();
    expect(outcomeText('text')).toBeUndefined();
    expect(outcomeText({ resourceType: 'OperationOutcome', issue: [] })).toBeUndefined();
  });

  it('flattens and bounds hostile text', () => {
    const text = outcomeText({ resourceType: 'OperationOutcome', issue: [{ diagnostics: `a\nb\u0000${'x'.repeat(2000)}` }] })!;
    expect(text.startsWith('a b ')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(500);
  });
});
