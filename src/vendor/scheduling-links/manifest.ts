// The `$bulk-publish` manifest of a SMART Scheduling Links feed and the Cache-Control of its answers, read as a
// consumer reads them. Pure: what is wrong is returned as text, never thrown.

/** The resource types a feed's outputs may list. */
export const FEED_TYPES = ['Location', 'Schedule', 'Slot'] as const;
export type FeedType = (typeof FEED_TYPES)[number];

export interface FeedOutput {
  type: FeedType;
  /** Absolute (resolved against the manifest's URL when the publisher wrote a relative one). */
  url: string;
}

export interface FeedManifest {
  transactionTime?: string;
  request?: string;
  outputs: FeedOutput[];
  /** Outputs of types a consumer does not read (kept as a count). */
  otherOutputs: number;
  /** Entries of the manifest's `error` array: files the publisher itself could not produce. */
  errors: number;
}

/** A consumer reads at most this many output files of one feed; more is a warning, not a read. */
export const MAX_OUTPUTS = 200;

export type ManifestReading = { manifest: FeedManifest; warnings: string[] } | { problem: string };

/** The manifest from its JSON text: `{transactionTime, request, output: [{type, url}], error: []}`. */
export function readManifest(text: string, manifestUrl: string): ManifestReading {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { problem: `the manifest is not JSON (it begins ${JSON.stringify(text.trim().slice(0, 40))})` };
  }
  if (!isObject(body)) return { problem: 'the manifest is not a JSON object' };
  if (!Array.isArray(body.output)) return { problem: 'the manifest has no `output` array' };
  const warnings: string[] = [];
  const outputs: FeedOutput[] = [];
  let otherOutputs = 0;
  for (const [i, entry] of body.output.entries()) {
    if (!isObject(entry) || typeof entry.type !== 'string' || typeof entry.url !== 'string') return { problem: `manifest output[${i}] lacks a \`type\` or a \`url\`` };
    const url = URL.canParse(entry.url, manifestUrl) ? new URL(entry.url, manifestUrl) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return { problem: `manifest output[${i}].url is not an http(s) URL: ${entry.url}` };
    if (!(FEED_TYPES as readonly string[]).includes(entry.type)) {
      otherOutputs += 1;
      continue;
    }
    if (!URL.canParse(entry.url)) warnings.push(`manifest output[${i}].url is relative (the specification asks for absolute URLs)`);
    outputs.push({ type: entry.type as FeedType, url: url.toString() });
  }
  if (outputs.length > MAX_OUTPUTS) {
    warnings.push(`the manifest lists ${outputs.length} outputs; only the first ${MAX_OUTPUTS} are read`);
    outputs.splice(MAX_OUTPUTS);
  }
  if (typeof body.transactionTime !== 'string' || Number.isNaN(Date.parse(body.transactionTime))) warnings.push('the manifest has no valid `transactionTime`');
  if (!outputs.some((o) => o.type === 'Slot')) return { problem: 'the manifest lists no Slot output: the feed publishes no availability' };
  const errors = Array.isArray(body.error) ? body.error.length : 0;
  if (errors > 0) warnings.push(`the manifest's \`error\` array lists ${errors} file(s) the publisher could not produce`);
  return {
    manifest: {
      ...(typeof body.transactionTime === 'string' && { transactionTime: body.transactionTime }),
      ...(typeof body.request === 'string' && { request: body.request }),
      outputs,
      otherOutputs,
      errors,
    },
    warnings,
  };
}

/** `max-age` of a Cache-Control header, in seconds; undefined when absent or unreadable. */
export function maxAgeSeconds(cacheControl: string | undefined): number | undefined {
  if (!cacheControl) return undefined;
  for (const directive of cacheControl.split(',')) {
    const [name, value] = directive.trim().split('=', 2).map((s) => s.trim());
    if (name?.toLowerCase() !== 'max-age' || value === undefined) continue;
    const seconds = Number(value.replace(/^"|"$/g, ''));
    if (Number.isInteger(seconds) && seconds >= 0) return seconds;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
