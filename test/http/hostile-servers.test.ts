// Servers that misbehave the ways real endpoints do: each must end as a typed ProbeError within its bound.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FhirClient } from '../../src/http/fhir-client.js';
import { closeAll, loopback, rejection, sendJson } from '../helpers/loopback.js';

afterEach(closeAll);

// Generous slack: the machine is shared; the bound itself is what is tested.
const SLACK_MS = 1_500;

describe('FhirClient against hostile servers', () => {
  it('times out on a server that never answers', async () => {
    const server = await loopback(() => {
      /* never answers */
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, totalTimeoutMs: 800 });
    const started = Date.now();
    const error = await rejection(client.read('Patient', 'p1'));
    const elapsed = Date.now() - started;
    expect(error.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(800 + SLACK_MS);
    expect(client.log.records[0]).toMatchObject({ status: null, error: error.message });
    await client.close();
  });

  it('cuts off a server that trickles a byte every 200 ms forever (total timeout)', async () => {
    let timer: NodeJS.Timeout | undefined;
    const server = await loopback((req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.write('{');
      timer = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(timer));
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, totalTimeoutMs: 1_200 });
    const started = Date.now();
    const error = await rejection(client.search('Slot'));
    const elapsed = Date.now() - started;
    clearInterval(timer);
    expect(error.kind).toBe('timeout');
    expect(elapsed).toBeLessThan(1_200 + SLACK_MS);
    await client.close();
  });

  it('stops reading a 20 MB answer at the size cap (no Content-Length)', async () => {
    const total = 20 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let written = 0;
    let finished = false;
    let hungUp!: () => void;
    const closed = new Promise<void>((resolve) => (hungUp = resolve));
    const server = await loopback(async (req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.on('finish', () => (finished = true));
      res.on('close', hungUp);
      let drained: (() => void) | undefined;
      res.on('drain', () => drained?.());
      res.on('close', () => drained?.());
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) await new Promise<void>((resolve) => (drained = resolve));
      }
      res.end();
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, maxResponseBytes: 1024 * 1024 });
    const error = await rejection(client.read('Binary', 'big'));
    expect(error.kind).toBe('too-large');
    await closed;
    // The client hung up: the server could not push the whole body through.
    expect(finished).toBe(false);
    expect(written).toBeLessThan(total);
    await client.close();
  });

  it('refuses at once a body whose Content-Length is over the cap', async () => {
    const server = await loopback((req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': String(50 * 1024 * 1024) });
      res.write('{');
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, maxResponseBytes: 1024 * 1024, totalTimeoutMs: 10_000 });
    const started = Date.now();
    const error = await rejection(client.read('Binary', 'big'));
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain('declares');
    expect(Date.now() - started).toBeLessThan(5_000);
    await client.close();
  });

  it('reports invalid JSON as not-json', async () => {
    const server = await loopback((req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end('{"resourceType": "Patient", ');
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    expect((await rejection(client.read('Patient', 'p1'))).kind).toBe('not-json');
    expect((await rejection(client.request({ path: 'Patient/p1' }))).kind).toBe('not-json');
    await client.close();
  });

  it('reports an HTML sign-in page answered with 200 as login-page, also behind a redirect', async () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>…</form></body></html>';
    const server = await loopback((req, res) => {
      if (req.url!.startsWith('/fhir')) {
        res.writeHead(302, { location: '/sso/login?return=/fhir' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(client.search('Slot'));
    expect(error.kind).toBe('login-page');
    expect(client.log.records.map((r) => r.status)).toEqual([302, 200]);
    await client.close();
  });

  it('reports HTML served as JSON as login-page too', async () => {
    const server = await loopback((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('\n  <html><body>Please log in</body></html>');
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    expect((await rejection(client.capabilities())).kind).toBe('login-page');
    await client.close();
  });

  it('reports JSON without resourceType, or under a foreign content type, as not-fhir', async () => {
    const server = await loopback((req, res) => {
      if (req.url!.includes('plain')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('{"resourceType":"Patient"}');
      }
      sendJson(res, 200, { hello: 'world' });
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    expect((await rejection(client.read('Patient', 'p1'))).kind).toBe('not-fhir');
    expect((await rejection(client.request({ path: 'Patient/p1' }))).kind).toBe('not-fhir');
    expect((await rejection(client.read('Patient', 'plain'))).kind).toBe('not-fhir');
    // Asked not to insist on JSON, request() hands back whatever parsed.
    const loose = await client.request({ path: 'Patient/p1', expectJson: false });
    expect(loose.body).toEqual({ hello: 'world' });
    await client.close();
  });

  it('reports a wrong resource type on read as not-fhir', async () => {
    const server = await loopback((req, res) => sendJson(res, 200, { resourceType: 'Appointment', id: 'x' }));
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(client.read('Patient', 'x'));
    expect(error.kind).toBe('not-fhir');
    expect(error.message).toContain('Appointment');
    await client.close();
  });

  it('keeps an HTML error page on a non-2xx answer as a plain status', async () => {
    const server = await loopback((req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const res = await client.request({ path: 'Slot' });
    expect(res.status).toBe(502);
    expect(res.body).toBeUndefined();
    await client.close();
  });

  it('reports a refused connection as connect', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const client = new FhirClient({ baseUrl: `http://127.0.0.1:${port}/fhir` });
    const error = await rejection(client.capabilities());
    expect(error.kind).toBe('connect');
    expect(error.message).toContain('ECONNREFUSED');
    await client.close();
  });

  it('reports a host that does not resolve as dns, within the connect bound', async () => {
    const client = new FhirClient({ baseUrl: 'http://nonexistent.invalid/fhir', connectTimeoutMs: 3_000 });
    const started = Date.now();
    const error = await rejection(client.capabilities());
    expect(error.kind).toBe('dns');
    expect(error.message).toContain('nonexistent.invalid');
    expect(Date.now() - started).toBeLessThan(3_000 + SLACK_MS);
    await client.close();
  });

  it('reports a server that does not speak HTTP as connect', async () => {
    // Reads what it gets (so it sees the client hang up) and answers like an SSH server would.
    const garbage = createServer((socket) => socket.resume().end('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    const { port } = garbage.address() as { port: number };
    const client = new FhirClient({ baseUrl: `http://127.0.0.1:${port}/fhir` });
    const error = await rejection(client.capabilities());
    expect(error.kind).toBe('connect');
    expect(error.message).toContain('did not answer in HTTP');
    await client.close();
    await new Promise((resolve) => garbage.close(resolve));
  });

  it('reports a connection dropped halfway through the body', async () => {
    const server = await loopback((req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': '1000' });
      res.write('{"resourceType":"Bundle"');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir` });
    const error = await rejection(client.search('Slot'));
    expect(error.kind).toBe('connect');
    expect(error.message).toContain('dropped the connection');
    await client.close();
  });

  it('reports an untrusted (self-signed) certificate as tls', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ehr-check-tls-'));
    try {
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
          '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        { stdio: 'ignore', timeout: 10_000 },
      );
      const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) =>
        sendJson(res, 200, { resourceType: 'CapabilityStatement' }),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const client = new FhirClient({ baseUrl: `https://127.0.0.1:${port}/fhir` });
      const error = await rejection(client.capabilities());
      expect(error.kind).toBe('tls');
      await client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
