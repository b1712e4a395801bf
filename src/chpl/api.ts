// CHPL's search API, paged: GET {base}/search/v3?certification_criteria_ids=182&developer=NAME&pageSize=100&pageNumber=N
// with the key in the `API-Key` header. The key is a secret: it goes in that header only, redirects are not
// followed (so it never travels elsewhere), and it is scrubbed from any problem text.
import { Transport } from '../http/transport.js';
import { redactUrl } from '../http/redact.js';
import { listingsOf, verdict } from './listings.js';
import { G10_CRITERION_ID, type ChplGet, type ChplQuery, type EhrCertification } from './types.js';

const PAGE_SIZE = 100;
const MAX_PAGES = 50; // 5,000 listings per developer name: far beyond any real developer
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

class ChplProblem extends Error {}

export async function lookupByApi(
  query: ChplQuery,
  source: { baseUrl: string; apiKey: string; fetch?: ChplGet; timeoutMs?: number },
): Promise<EhrCertification> {
  const base = source.baseUrl.trim().replace(/\/+$/, '');
  const label = `CHPL API ${redactUrl(base)}`;
  const unknown = (problem: string): EhrCertification => ({ status: 'unknown', listings: [], source: label, problem: scrub(problem, source.apiKey) });
  if (!/^https?:\/\/[^/]/i.test(base)) return unknown(`CHPL base URL is not an http(s) URL: ${redactUrl(base)}`);
  if (source.apiKey.trim() === '') return unknown('no CHPL API key: set the environment variable the plan names');
  if (query.developerNames.length === 0) return unknown('no CHPL developer name to look up');

  const transport = source.fetch ? undefined : new Transport({
    connectTimeoutMs: 5_000,
    totalTimeoutMs: source.timeoutMs ?? 30_000,
    maxResponseBytes: MAX_RESPONSE_BYTES,
  });
  const get = source.fetch ?? ((url, headers) => getJson(transport!, url, headers));
  try {
    const raws: Record<string, unknown>[] = [];
    for (const name of query.developerNames) raws.push(...(await searchDeveloper(get, base, source.apiKey, name)));
    return verdict(listingsOf(raws, query.developerNames), label);
  } catch (error) {
    return unknown(error instanceof Error ? error.message : String(error));
  } finally {
    await transport?.close();
  }
}

async function searchDeveloper(get: ChplGet, base: string, apiKey: string, developer: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let pageNumber = 0; pageNumber < MAX_PAGES; pageNumber++) {
    const url = new URL(`${base}/search/v3`);
    url.searchParams.set('certification_criteria_ids', String(G10_CRITERION_ID));
    url.searchParams.set('developer', developer);
    url.searchParams.set('pageSize', String(PAGE_SIZE));
    url.searchParams.set('pageNumber', String(pageNumber));
    const { status, body } = await get(url.toString(), { 'API-Key': apiKey, accept: 'application/json' });
    if (status === 401 || status === 403) throw new ChplProblem(`CHPL API refused the API key (HTTP ${status})`);
    if (status < 200 || status >= 300) throw new ChplProblem(`CHPL API answered HTTP ${status} for developer "${developer}"`);
    const page = body as { recordCount?: unknown; results?: unknown } | undefined;
    if (!page || typeof page !== 'object' || !Array.isArray(page.results)) {
      throw new ChplProblem('CHPL API answered with something that is not a search response (no results list)');
    }
    const results = page.results.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
    found.push(...results);
    const total = typeof page.recordCount === 'number' ? page.recordCount : found.length;
    if (results.length === 0 || found.length >= total) return found;
  }
  throw new ChplProblem(`CHPL API has more than ${MAX_PAGES} pages for developer "${developer}"; stopped there`);
}

/** A bounded GET through the project's transport; a non-JSON body reads as undefined. */
async function getJson(transport: Transport, url: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const wire = await transport.exchange({ method: 'GET', url, headers });
  let body: unknown;
  try {
    body = JSON.parse(wire.bytes.toString('utf8'));
  } catch {
    body = undefined;
  }
  return { status: wire.status, body };
}

function scrub(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('REDACTED') : text;
}
