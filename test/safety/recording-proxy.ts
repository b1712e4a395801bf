// A loopback proxy in front of an EHR sandbox that remembers every bearer token sent through it, so a test
// knows the access tokens ehr-check obtained and can look for them in its output. Absolute links in answers
// (search paging, Location) are rewritten to the proxy's origin; the SMART configuration is passed through as
// is, so the token request still goes to the sandbox's own token endpoint (the audience it checks).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  origin: string;
  /** Bearer tokens seen in Authorization headers, in order of first use. */
  bearerTokens: Set<string>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startRecordingProxy(targetOrigin: string): Promise<RecordingProxy> {
  const bearerTokens = new Set<string>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) bearerTokens.add(token);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await readBody(req));
    const answer = await fetch(`${targetOrigin}${req.url ?? '/'}`, { method: req.method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(15_000) });
    let text = await answer.text();
    if (!(req.url ?? '').includes('.well-known/smart-configuration')) text = text.split(targetOrigin).join(origin);
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) out[name] = name === 'location' ? value.split(targetOrigin).join(origin) : value;
    });
    res.writeHead(answer.status, { ...out, 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  server.on('request', (req, res) => {
    forward(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('proxy error');
    });
  });

  return {
    origin,
    bearerTokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
