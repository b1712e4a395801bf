// A loopback pass-through in front of the sandbox that logs what is asked of the EHR, and can refuse
// Subscriptions (405) the way EHRs without push do, or answer other requests in the EHR's place.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EhrProxy {
  /** The sandbox's FHIR base, reached through the proxy. */
  fhirBaseUrl: string;
  /** `METHOD /path` of every request passed or refused, in order. */
  seen: string[];
  close(): Promise<void>;
}

export interface ProxyOptions {
  refuseSubscriptions?: boolean;
  /** Runs before a request is passed on: lets a test make the EHR change under the vendor's feet. */
  beforeForward?: (method: string, path: string, body: Buffer) => Promise<void>;
  /** Answers a request in the EHR's place (not passed on) when it returns an answer: an EHR with other habits. */
  answer?: (method: string, path: string, body: Buffer, query: URLSearchParams) => { status: number; body?: unknown } | undefined;
}

export async function startEhrProxy(target: string, options: ProxyOptions = {}): Promise<EhrProxy> {
  const targetUrl = new URL(target);
  const seen: string[] = [];
  let origin = '';
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '/').split('?')[0];
    seen.push(`${req.method} ${path}`);
    if (options.refuseSubscriptions && /\/Subscription(\/|$)/.test(path ?? '')) {
      res.writeHead(405, { 'content-type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] }));
      return;
    }
    const own = options.answer?.(req.method ?? 'GET', path ?? '/', Buffer.concat(chunks), new URL(req.url ?? '/', 'http://proxy').searchParams);
    if (own) {
      res.writeHead(own.status, { 'content-type': 'application/fhir+json' });
      res.end(own.body === undefined ? '' : JSON.stringify(own.body));
      return;
    }
    try {
      await options.beforeForward?.(req.method ?? 'GET', path ?? '/', Buffer.concat(chunks));
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
      }
      const upstream = await fetch(`${targetUrl.origin}${req.url}`, {
        method: req.method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
      // Links (paging, Location) must lead back through the proxy, as a real gateway rewrites them.
      const body = (await upstream.text()).replaceAll(targetUrl.origin, origin);
      const out: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'application/fhir+json' };
      const location = upstream.headers.get('location');
      if (location) out.location = location.replace(targetUrl.origin, origin);
      res.writeHead(upstream.status, out);
      res.end(body);
    } catch {
      res.writeHead(502);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    fhirBaseUrl: `${origin}${targetUrl.pathname}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * For `answer`: an EHR whose Slots are computed by its scheduling engine, so a Slot write (update or patch) is
 * answered 200 with what was sent, and never applied.
 */
export function dropSlotWrites(method: string, path: string, body: Buffer): { status: number; body?: unknown } | undefined {
  if ((method !== 'PUT' && method !== 'PATCH') || !/\/Slot\/[^/]+$/.test(path)) return undefined;
  return { status: 200, body: method === 'PUT' ? JSON.parse(body.toString('utf8')) : undefined };
}
