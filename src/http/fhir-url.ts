// URLs and headers the way a FHIR server expects them, kept on the base URL's origin.
import { ProbeError } from './types.js';
import { redactUrl } from './redact.js';

export type Query = Record<string, string | string[] | undefined>;

/** The base URL without query, fragment or trailing slash; http(s) only. */
export function normalizeBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ProbeError('config', `FHIR base URL ${redactUrl(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProbeError('config', `FHIR base URL must be http(s), not ${url.protocol}`);
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** A path under the base URL, or an absolute URL on the base's origin; nothing else is ever requested. */
export function resolveUrl(baseUrl: string, path: string, query?: Query): string {
  const origin = new URL(baseUrl).origin;
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) {
    url = new URL(path);
    if (url.origin !== origin) throw new ProbeError('config', `${redactUrl(path)} is not on the FHIR server's origin ${origin}`);
  } else {
    url = new URL(`${baseUrl}/${path.replace(/^\/+/, '')}`);
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) url.searchParams.append(name, item);
  }
  return url.toString();
}

/** `Type/id` with the id escaped, for read, update and delete. */
export function instancePath(type: string, id: string): string {
  if (!/^[A-Z][A-Za-z]+$/.test(type)) throw new ProbeError('config', `${type} is not a FHIR resource type`);
  if (!id) throw new ProbeError('config', `a ${type} id is required`);
  return `${type}/${encodeURIComponent(id)}`;
}

export function resourceTypeOf(resource: unknown, action: string): string {
  const type = (resource as { resourceType?: unknown } | undefined)?.resourceType;
  if (typeof type !== 'string' || !/^[A-Z][A-Za-z]+$/.test(type)) throw new ProbeError('config', `${action} needs a resource with a resourceType`);
  return type;
}

/** If-Match wants an ETag; a bare version id (`3`) becomes the weak ETag `W/"3"`. */
export function etagValue(value: string): string {
  return /^(W\/)?"/.test(value) ? value : `W/"${value}"`;
}
