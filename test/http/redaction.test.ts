import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl, SecretScrubber } from '../../src/http/redact.js';
import { createRequestLog, FhirClient } from '../../src/http/fhir-client.js';
import { closeAll, loopback, rejection, sendJson } from '../helpers/loopback.js';

afterEach(closeAll);

describe('redactUrl', () => {
  it('hides secret-looking query values and userinfo, and leaves FHIR search parameters readable', () => {
    const url = redactUrl(
      'https://user:pw@ehr.example/fhir/Slot?status=free&access_token=abc&api_key=k&client_secret=s&code=1234-5&author=Practitioner/1&sig=xyz&client_assertion=eyJ',
    );
    const parsed = new URL(url);
    expect(parsed.username).toBe('REDACTED');
    expect(parsed.password).toBe('REDACTED');
    expect(parsed.searchParams.get('status')).toBe('free');
    expect(parsed.searchParams.get('code')).toBe('1234-5');
    expect(parsed.searchParams.get('author')).toBe('Practitioner/1');
    for (const name of ['access_token', 'api_key', 'client_secret', 'sig', 'client_assertion']) {
      expect(parsed.searchParams.get(name)).toBe('REDACTED');
    }
  });

  it('keeps an ordinary URL exactly as it was', () => {
    const url = 'http://127.0.0.1:8101/fhir/R4/Slot?schedule=Schedule%2Fs1&start=ge2025-01-01T00%3A00%3A00Z';
    expect(redactUrl(url)).toBe(url);
  });
});

describe('SecretScrubber', () => {
  it('removes known secrets, their URL-encoded form, and bearer or JWT shapes it never saw', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('s3cr3t/value');
    const text = scrubber.scrub('got s3cr3t/value and s3cr3t%2Fvalue; Authorization: Bearer abc.def-ghi; jwt eyJhbGciOi.eyJzdWIiOi.sig_nature');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('abc.def-ghi');
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).toContain('Bearer REDACTED');
  });
});

describe('request log', () => {
  it('records each exchange with method, redacted URL, status, duration and time, and marks let findings slice it', async () => {
    const server = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Bundle', type: 'searchset' }));
    const log = createRequestLog();
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, log });
    await client.search('Slot', { status: 'free' });
    const mark = log.records.length;
    await client.search('Slot', { status: 'busy', _security_token: 'tok-1234' });
    expect(log.records).toHaveLength(2);
    const [record] = log.since(mark);
    expect(record).toMatchObject({ method: 'GET', status: 200 });
    expect(record!.url).toContain('status=busy');
    expect(record!.url).toContain('_security_token=REDACTED');
    expect(record!.url).not.toContain('tok-1234');
    expect(typeof record!.durationMs).toBe('number');
    expect(Number.isNaN(Date.parse(record!.at))).toBe(false);
    await client.close();
  });

  it('treats an Authorization header a caller passes as a credential: kept to its origin, out of the log', async () => {
    const other = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Patient', id: 'p2' }));
    const server = await loopback((req, res) => {
      res.writeHead(302, { location: `${other.origin}/fhir/Patient/p2?auth=${req.headers.authorization}` });
      res.end();
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    // The other origin's answer is refused as not this server's; the error names the hop, never the credential.
    const error = await rejection(client.request({ path: 'Patient/p2', headers: { Authorization: 'Bearer caller-token-998' } }));
    expect(error.kind).toBe('cross-origin');
    expect(error.message).toContain('the credentials were not sent there');
    expect(server.seen[0]!.headers.authorization).toBe('Bearer caller-token-998');
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(client.log.records).toHaveLength(2);
    expect(client.log.records[0]).toMatchObject({ status: 302, crossOrigin: true });
    expect(client.log.records[0]!.redirectedTo).toContain(`${other.origin}/fhir/Patient/p2`);
    expect(JSON.stringify(client.log.records)).not.toContain('caller-token-998');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('caller-token-998');
    await client.close();
  });
});

describe('credential shapes in prose', () => {
  it('hides an echoed bearer credential but keeps ordinary words', () => {
    const scrubber = new SecretScrubber();
    expect(scrubber.scrub('server said: Authorization: Bearer abcdEFGH1234.xyz')).not.toContain('abcdEFGH1234');
    expect(scrubber.scrub('it should hold the bearer token')).toBe('it should hold the bearer token');
  });
});
