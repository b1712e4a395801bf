// One read of a whole feed: the manifest, then every output it lists, checked as a consumer would
// (./conformance.ts). A manifest that cannot be reached rejects with the client's ProbeError (the cause a buyer
// can act on); anything else wrong becomes a problem or a warning of the reading, never a throw.
import { describeError } from '../../evidence.js';
import { monotonicNow } from '../../timing.js';
import { checkFeed, type FeedConformance, type FeedResources, type OutputRead } from './conformance.js';
import type { FeedClient } from './fetch.js';
import { maxAgeSeconds, readManifest, type FeedManifest } from './manifest.js';

/** The feed as one read found it, with when that read began and ended (monotonic ms). */
export interface FeedReading {
  manifestUrl: string;
  manifestStatus: number;
  manifest?: FeedManifest;
  /** The manifest's Cache-Control header as sent. */
  cacheControl?: string;
  /** The longest max-age any of the feed's answers asked for, in seconds. */
  maxAgeSeconds?: number;
  resources: FeedResources;
  conformance: FeedConformance;
  readAt: { sentAt: number; answeredAt: number };
}

const JSON_ACCEPT = 'application/json';
const NDJSON_ACCEPT = 'application/fhir+ndjson, application/x-ndjson, application/ndjson, text/plain;q=0.5';
/** Output files read at once: a feed of hundreds of weekly files is read a few at a time. */
const FILES_AT_ONCE = 4;
/** Bounds on one read of a whole feed (each file also has the client's size cap and timeouts). */
export const FEED_LIMITS = { maxBytes: 64 * 1024 * 1024, maxMs: 120_000 };

export async function readFeed(client: FeedClient, manifestUrl: string): Promise<FeedReading> {
  const sentAt = monotonicNow();
  const answer = await client.get(manifestUrl, JSON_ACCEPT);
  const cacheControl = answer.headers['cache-control'];
  const base = { manifestUrl, manifestStatus: answer.status, ...(cacheControl !== undefined && { cacheControl }) };
  const unusable = (problem: string): FeedReading => ({ ...base, ...emptyFeed(problem), readAt: { sentAt, answeredAt: monotonicNow() } });
  if (answer.status < 200 || answer.status >= 300) return unusable(`the manifest answered HTTP ${answer.status}`);
  const read = readManifest(answer.text, answer.url);
  if ('problem' in read) return unusable(read.problem);

  const ages = [maxAgeSeconds(cacheControl)];
  let bytes = answer.text.length;
  const outputs = await inBatches(read.manifest.outputs, FILES_AT_ONCE, async (output): Promise<OutputRead> => {
    // A feed that never ends is cut off as a whole, not only file by file.
    if (bytes > FEED_LIMITS.maxBytes) return { ...output, failure: `not read: the feed passed ${FEED_LIMITS.maxBytes} bytes in all` };
    if (monotonicNow() - sentAt > FEED_LIMITS.maxMs) return { ...output, failure: `not read: reading the feed took more than ${FEED_LIMITS.maxMs / 1000} s in all` };
    try {
      const file = await client.get(output.url, NDJSON_ACCEPT);
      ages.push(maxAgeSeconds(file.headers['cache-control']));
      bytes += file.text.length;
      if (file.status < 200 || file.status >= 300) return { ...output, status: file.status, failure: `HTTP ${file.status}` };
      return { ...output, status: file.status, text: file.text };
    } catch (error) {
      return { ...output, failure: describeError(error).message };
    }
  });
  const { resources, conformance } = checkFeed(outputs);
  conformance.warnings.unshift(...read.warnings);
  const known = ages.filter((a): a is number => a !== undefined);
  if (ages[0] === undefined) conformance.warnings.push('the manifest is sent without Cache-Control max-age: a consumer cannot tell how long it stays current');
  return {
    ...base,
    manifest: read.manifest,
    ...(known.length > 0 && { maxAgeSeconds: Math.max(...known) }),
    resources,
    conformance,
    readAt: { sentAt, answeredAt: monotonicNow() },
  };
}

function emptyFeed(problem: string): Pick<FeedReading, 'resources' | 'conformance'> {
  const { resources, conformance } = checkFeed([]);
  // Nothing was read: the one thing to say is why.
  return { resources, conformance: { ...conformance, problems: [problem], warnings: [] } };
}

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}
