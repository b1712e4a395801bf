// Loopback servers for the client's tests: real node:http on 127.0.0.1, port 0, closed after each test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Loopback {
  server: Server;
  origin: string;
  /** Every request as it arrived: method, url, headers, body. */
  seen: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

const open: Loopback[] = [];

export async function loopback(handler: Handler): Promise<Loopback> {
  const seen: Loopback['seen'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      Promise.resolve(handler(req, res, body)).catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const box: Loopback = {
    server,
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(box);
  return box;
}

/** Closes every server the test opened (call from afterEach). */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((box) => box.close()));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
  res.end(JSON.stringify(body));
}

export function outcome(diagnostics: string, code = 'processing'): unknown {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
}

/** Resolves with the ProbeError a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<import('../../src/http/types.js').ProbeError> {
  const { ProbeError } = await import('../../src/http/types.js');
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProbeError) return error;
    throw new Error(`expected a ProbeError, got ${String(error)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}
