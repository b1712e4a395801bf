// The run's bound on requests in flight per host, counted where it matters: on the loopback servers that
// receive them. First the clients alone (several sharing one bound, two hosts, a 429 that pauses the host),
// then a whole freshness run, its trials all at once, through counting proxies in front of the EHR and vendor.
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FhirClient, createRequestLog } from '../../src/http/fhir-client.js';
import { HostLimiter } from '../../src/http/host-limit.js';
import { startWorld, type World } from '../bidirectional/world.js';
import { evaluatePlan, testPlan, worldConnection } from '../helpers/run.js';
import { closeAll, loopback, sendJson } from '../helpers/loopback.js';

/** Counts requests in flight (arrived, not yet answered) and remembers the highest count. */
function inFlightCounter() {
  const counter = {
    now: 0,
    peak: 0,
    total: 0,
    enter() {
      counter.now += 1;
      counter.total += 1;
      counter.peak = Math.max(counter.peak, counter.now);
    },
    leave() {
      counter.now -= 1;
    },
  };
  return counter;
}

const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [] };
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(closeAll);

describe('requests in flight per host', () => {
  it('never exceed the bound, however many clients share it, and each host has its own', async () => {
    const counters = [inFlightCounter(), inFlightCounter()];
    const servers = await Promise.all(
      counters.map((count) =>
        loopback(async (_req, res) => {
          count.enter();
          await delay(30);
          count.leave();
          sendJson(res, 200, bundle);
        }),
      ),
    );
    const limiter = new HostLimiter(3);
    // Three clients per host (an EHR client, a vendor client, another connection's), all on one run's bound.
    const clients = servers.flatMap((s) => [0, 1, 2].map(() => new FhirClient({ baseUrl: `${s.origin}/fhir`, log: createRequestLog(), limiter })));
    try {
      await Promise.all(Array.from({ length: 60 }, (_, i) => clients[i % clients.length]!.search('Slot', { n: String(i) })));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
    for (const count of counters) {
      expect(count.total).toBe(30);
      expect(count.peak).toBeLessThanOrEqual(3);
      expect(count.peak).toBe(3); // the bound was reached: the requests really were sent at once
    }
  });

  it('a 429 with Retry-After holds every request to that host, not only the one refused', async () => {
    const arrivals: number[] = [];
    let refused = false;
    const server = await loopback((_req, res) => {
      arrivals.push(performance.now());
      if (!refused) {
        refused = true;
        return sendJson(res, 429, {}, { 'retry-after': '1' });
      }
      sendJson(res, 200, bundle);
    });
    const limiter = new HostLimiter(4);
    const client = new FhirClient({ baseUrl: `${server.origin}/fhir`, log: createRequestLog(), limiter });
    try {
      const first = client.search('Slot');
      await delay(100); // the 429 is in: the host is paused
      const sentAt = performance.now();
      await Promise.all([first, client.search('Slot'), client.search('Slot')]);
      // After the refusal, nothing reached the server before the second it asked for had passed.
      const later = arrivals.slice(1);
      expect(later).toHaveLength(3);
      for (const at of later) expect(at - arrivals[0]!).toBeGreaterThanOrEqual(950);
      expect(performance.now() - sentAt).toBeGreaterThanOrEqual(800);
    } finally {
      await client.close();
    }
  });
});

/**
 * A loopback proxy that counts what passes through it, answering each request `delayMs` late (a real server's
 * latency, so concurrent trials' requests overlap); the target's origin is rewritten to its own in answers.
 */
async function countingProxy(target: string, delayMs: number) {
  const count = inFlightCounter();
  const targetOrigin = new URL(target).origin;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    count.enter();
    const upstream = httpRequest(`${targetOrigin}${req.url}`, { method: req.method, headers: { ...req.headers, host: new URL(targetOrigin).host } }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', async () => {
        await delay(delayMs);
        const body = Buffer.from(Buffer.concat(chunks).toString('utf8').split(targetOrigin).join(origin));
        const headers = { ...answer.headers, 'content-length': String(body.length) };
        if (typeof headers.location === 'string') headers.location = headers.location.split(targetOrigin).join(origin);
        count.leave();
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(body);
      });
    });
    upstream.on('error', () => {
      count.leave();
      res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    count,
    url: target.replace(targetOrigin, origin),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('a freshness run, every trial at once', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('keeps each host at or under the plan’s limits.requestsPerHost', async () => {
    world = await startWorld({ behavior: 'shallow', syncIntervalMs: 300, bookingQueueMs: 300 });
    const [ehr, vendor] = await Promise.all([countingProxy(world.sandbox.fhirBaseUrl, 40), countingProxy(world.vendor.baseUrl, 40)]);
    try {
      const bound = 2;
      const loaded = testPlan([worldConnection(world, 'epic', { ehrBaseUrl: ehr.url, vendorBaseUrl: vendor.url })], {
        buyer: { name: 'Test Buyer', sites: [{ name: 'Main', system: 'epic' }] },
        freshness: { trials: 4, timeoutSeconds: 3, realTimeSeconds: 1, nearRealTimeSeconds: 3 },
        file: '/nonexistent/limits.plan.yaml',
        extra: { limits: { requestsPerHost: bound } },
      });
      const { report } = await evaluatePlan(loaded, { runId: `limits-${process.pid}`, checks: ['freshness'], client: {} });
      const statuses = report.checks[0]!.findings.map((f) => [f.id, f.status]);
      // The trials were judged (no error from the bound), and the bound held on both hosts.
      expect(statuses.every(([, s]) => s !== 'error'), JSON.stringify(statuses)).toBe(true);
      expect(ehr.count.total).toBeGreaterThan(20);
      expect(vendor.count.total).toBeGreaterThan(20);
      expect(ehr.count.peak).toBeLessThanOrEqual(bound);
      expect(vendor.count.peak).toBeLessThanOrEqual(bound);
      expect(Math.max(ehr.count.peak, vendor.count.peak)).toBe(bound);
    } finally {
      await Promise.all([ehr.close(), vendor.close()]);
    }
  }, 60_000);
});
