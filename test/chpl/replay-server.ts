// A loopback stand-in for CHPL's search API that replays the real CHPL documents of test/fixtures/real-world/chpl:
// the captured search page plus the listings ONC Lantern copied from CHPL. It filters the way the API does
// (criteria ids, developer name contains, pages), and answers 401 without the right API-Key header.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REAL_WORLD } from '../helpers/paths.js';

type Listing = { id: number; developer: { name: string }; criteriaMet: Array<{ id: number }> } & Record<string, unknown>;

export const CHPL_DIR = join(REAL_WORLD, 'chpl');
export const SEARCH_FILE = join(CHPL_DIR, 'chpl-certified-products-search.json');
export const LANTERN_FILE = join(CHPL_DIR, 'lantern-chpl-products-info.json');

export function realListings(): Listing[] {
  const search = JSON.parse(readFileSync(SEARCH_FILE, 'utf8')) as { results: Listing[] };
  const lantern = JSON.parse(readFileSync(LANTERN_FILE, 'utf8')) as Array<{ softwareProducts?: Listing[] }>;
  const byId = new Map<number, Listing>();
  for (const listing of [...search.results, ...lantern.flatMap((e) => e.softwareProducts ?? [])]) {
    if (!byId.has(listing.id)) byId.set(listing.id, listing);
  }
  return [...byId.values()];
}

export interface ReplayOptions {
  apiKey: string;
  /** The server's own page-size cap, to make the client follow pages. */
  maxPageSize?: number;
  /** Answer every request with this status instead (e.g. 500), or with a non-JSON body. */
  fail?: { status: number; body?: string };
}

export interface ReplayServer {
  baseUrl: string;
  requests: Array<{ url: URL; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

export async function startChplReplay(options: ReplayOptions): Promise<ReplayServer> {
  const listings = realListings();
  const requests: ReplayServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ url, headers: req.headers });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (options.fail) return send(options.fail.status, options.fail.body ?? { error: 'failure' });
    if (req.headers['api-key'] !== options.apiKey) return send(401, { error: 'Unauthorized: invalid API key' });
    if (url.pathname !== '/rest/search/v3') return send(404, { error: 'not found' });

    const criteria = (url.searchParams.get('certification_criteria_ids') ?? '').split(',').filter(Boolean).map(Number);
    const developer = (url.searchParams.get('developer') ?? '').toLowerCase();
    const pageSize = Math.min(Number(url.searchParams.get('pageSize') ?? 20), options.maxPageSize ?? 100);
    const pageNumber = Number(url.searchParams.get('pageNumber') ?? 0);
    const matching = listings.filter(
      (l) =>
        l.developer.name.toLowerCase().includes(developer) &&
        criteria.every((id) => l.criteriaMet.some((c) => c.id === id)),
    );
    send(200, {
      recordCount: matching.length,
      pageSize,
      pageNumber,
      directReviewsAvailable: true,
      results: matching.slice(pageNumber * pageSize, (pageNumber + 1) * pageSize),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/rest`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
