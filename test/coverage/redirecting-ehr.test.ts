// Whole runs against an EHR whose answers come from another origin, with an honest vendor: no verdict about the
// vendor may rest on those answers (they become errors with the reason), and no credential ever reaches the
// other origin. The other origin records what it was sent; the EHR's own data is read with plain fetch.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import type { FindingId } from '../../src/model/report.js';
import { planFor, runBookings, taggedWithRun } from '../bidirectional/world.js';
import { evaluatePlan, newRunId, type Evaluation } from '../helpers/run.js';
import { startVendorOn } from '../helpers/world.js';
import { closeServers, searchset, sendJson, serve, type TestServer } from './world.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await closeServers();
});

const TOKEN = 'front-door-token-4242';
const VENDOR_FINDINGS: FindingId[] = [
  'read-through',
  'write-lands',
  'write-idempotent',
  'conflict-refused',
  'patient-matched',
  'ehr-to-vendor-lag',
  'vendor-to-ehr-lag',
  'double-booking-race',
];

async function sandbox(options: Parameters<typeof startSandbox>[0] = {}): Promise<RunningSandbox> {
  const running = await startSandbox({ flavor: 'generic', ...options });
  closers.push(() => running.close());
  return running;
}

/** The other origin: passes GETs on to `target` (a real, open EHR), records every request, and takes no writes. */
function passThrough(target: RunningSandbox): Promise<TestServer> {
  return serve((req, res, url) => {
    if (req.method !== 'GET') return sendJson(res, 405, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] });
    fetch(`${target.origin}${url.pathname}${url.search}`, { headers: { accept: 'application/fhir+json' }, signal: AbortSignal.timeout(10_000) })
      .then(async (upstream) => sendJson(res, upstream.status, await upstream.text()))
      .catch(() => sendJson(res, 502, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient' }] }));
  });
}

function run(loaded: ReturnType<typeof planFor>, env: NodeJS.ProcessEnv = {}): Promise<Evaluation> {
  return evaluatePlan(loaded, { runId: newRunId('redirect'), env });
}

describe('a full run against an EHR base that redirects everything to another origin', () => {
  it('judges connection-live fail, every vendor finding error with the redirect as reason, and sends no credential away', async () => {
    const real = await sandbox();
    const other = await passThrough(real);
    // The base in the plan: a sandbox that requires a token and answers every FHIR request with a 302 to the other origin.
    const front = await sandbox({ requireAuth: true, redirect: { to: `${other.origin}${new URL(real.fhirBaseUrl).pathname}` } });
    const vendor = await startVendorOn(real, { behavior: 'deep' });
    closers.push(() => vendor.close());
    const loaded = planFor({ sandbox: real, vendor, close: async () => {} }, { ehrBaseUrl: front.fhirBaseUrl });
    loaded.plan.connections[0]!.ehr.auth = { type: 'bearer', tokenEnv: 'EHR_TOKEN' };

    const { report, runId, finding } = await run(loaded, { EHR_TOKEN: TOKEN });

    const live = finding('connection-live');
    expect(live.status).toBe('fail');
    expect(live.evidence.cause).toBe('cross-origin');
    expect(live.message).toContain(`EHR base ${front.fhirBaseUrl} redirects GET metadata (302) to ${other.origin}, another origin`);
    expect(live.message).toContain(`redirects GET Patient (302) to ${other.origin}, another origin; the credentials were not sent there`);
    for (const id of VENDOR_FINDINGS) {
      const f = finding(id);
      expect({ id, status: f.status }).toEqual({ id, status: 'error' });
      expect(f.message).toMatch(/the connection is not live: the EHR metadata failed \(EHR base .* redirects GET metadata \(302\) to .*, another origin/);
    }
    expect(report.connections[0]!.live).toBe(false);

    // The other origin was asked (the redirects were followed for reads), never with the credentials, never to write.
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.filter((s) => s.authorization !== undefined)).toEqual([]);
    expect(other.seen.every((s) => s.line.startsWith('GET '))).toBe(true);
    expect(JSON.stringify(report)).not.toContain(TOKEN);
    // Nothing reached the EHR's data through the other origin.
    expect(await runBookings(real.fhirBaseUrl, runId)).toEqual([]);
    expect(await taggedWithRun(real.fhirBaseUrl, runId)).toEqual({ Appointment: [], Patient: [] });
  });
});

/**
 * A gateway in front of a real EHR that sends Appointment reads to another origin, which answers every search
 * with an empty searchset: believed, it would say that the honest vendor's bookings never landed.
 */
async function gatewayWithAppointmentsElsewhere(target: RunningSandbox, elsewhere: string): Promise<{ fhirBaseUrl: string; close(): Promise<void> }> {
  const basePath = new URL(target.fhirBaseUrl).pathname;
  let origin = '';
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://gateway.invalid');
      if (req.method === 'GET' && url.pathname.startsWith(`${basePath}/Appointment`)) {
        res.writeHead(302, { location: `${elsewhere}${url.pathname}${url.search}` });
        return res.end();
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
      fetch(`${target.origin}${req.url}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined, signal: AbortSignal.timeout(10_000) })
        .then(async (upstream) => {
          const out: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'application/fhir+json' };
          const location = upstream.headers.get('location');
          if (location) out.location = location.replace(target.origin, origin);
          for (const name of ['etag', 'content-location']) {
            const value = upstream.headers.get(name);
            if (value) out[name] = value.replace(target.origin, origin);
          }
          res.writeHead(upstream.status, out);
          res.end((await upstream.text()).replaceAll(target.origin, origin));
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fhirBaseUrl: `${origin}${basePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('a full run where only some answers come from another origin', () => {
  it('judges what the EHR answered itself, and makes errors of the findings that rest on the other origin', async () => {
    const real = await sandbox();
    const other = await serve((_req, res) => sendJson(res, 200, searchset()));
    const gateway = await gatewayWithAppointmentsElsewhere(real, other.origin);
    closers.push(() => gateway.close());
    const vendor = await startVendorOn(real, { behavior: 'deep' });
    closers.push(() => vendor.close());
    const loaded = planFor({ sandbox: real, vendor, close: async () => {} }, { ehrBaseUrl: gateway.fhirBaseUrl });

    const { finding } = await run(loaded);

    // Slots and patients come from the EHR's own origin: judged as usual, and the honest vendor passes.
    expect(finding('connection-live').status).toBe('pass');
    expect(finding('read-through').status).toBe('pass');
    expect(finding('patient-matched').status).toBe('pass');
    // Whether a booking landed is read from Appointments, which only the other origin answered: error, not fail.
    for (const id of ['write-lands', 'write-idempotent', 'conflict-refused', 'vendor-to-ehr-lag', 'double-booking-race'] as const) {
      const f = finding(id);
      expect({ id, status: f.status }).toEqual({ id, status: 'error' });
      expect(f.message).toMatch(new RegExp(`EHR base ${gateway.fhirBaseUrl} redirects GET Appointment \\(302\\) to ${other.origin}, another origin`));
    }
    expect(other.seen.length).toBeGreaterThan(0);
    expect(other.seen.every((s) => s.line.startsWith('GET ') && s.authorization === undefined)).toBe(true);
  });
});
