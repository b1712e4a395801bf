// What an answer's body is: FHIR JSON, an empty body, or one of the ways a server fails to speak FHIR.
import { ProbeError } from './types.js';
import { redactUrl } from './redact.js';
import type { WireResponse } from './transport.js';

// `application/json+fhir` is the DSTU2-era name some servers still send.
const JSON_TYPES = new Set(['application/fhir+json', 'application/json', 'application/json+fhir']);
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);
const HTML_START = /^\s*<(!doctype\s+html|html|head|body|meta|title)\b/i;

export function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

/**
 * The parsed body. When `strict` (FHIR JSON expected), a 2xx answer that is HTML, not JSON, or JSON under
 * a foreign content type rejects with a ProbeError. Error answers (non-2xx) never reject here: their
 * status is the evidence, and an unreadable error body is simply undefined.
 */
export function parseBody(wire: WireResponse, url: string, strict: boolean): unknown {
  const text = wire.bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.trim()) return undefined;
  const ok = wire.status >= 200 && wire.status < 300;
  const type = mediaType(wire.headers['content-type']);
  const where = redactUrl(url);

  const html = (type !== undefined && HTML_TYPES.has(type)) || HTML_START.test(text);
  if (html) {
    if (strict && ok) {
      throw new ProbeError(
        'login-page',
        `${where} answered ${wire.status} with an HTML page (a sign-in page?) where FHIR JSON was expected`,
        { url: where, status: wire.status },
      );
    }
    return undefined;
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (strict && ok) {
      throw new ProbeError('not-json', `${where} answered ${wire.status} with a body that is not JSON (${type ?? 'no content type'})`, {
        url: where,
        status: wire.status,
      });
    }
    return undefined;
  }
  if (strict && ok && type !== undefined && !JSON_TYPES.has(type)) {
    throw new ProbeError('not-fhir', `${where} answered ${wire.status} with content type ${type}, not application/fhir+json`, {
      url: where,
      status: wire.status,
    });
  }
  return value;
}

/** Rejects a 2xx body that is JSON but not a FHIR resource (or not the one asked for). */
export function requireResource(body: unknown, url: string, status: number, expectedType?: string): void {
  const where = redactUrl(url);
  const type = body && typeof body === 'object' && !Array.isArray(body) ? (body as { resourceType?: unknown }).resourceType : undefined;
  if (typeof type !== 'string' || !type) {
    throw new ProbeError('not-fhir', `${where} answered ${status} with JSON that is not a FHIR resource (no resourceType)`, {
      url: where,
      status,
    });
  }
  if (expectedType && type !== expectedType) {
    throw new ProbeError('not-fhir', `${where} answered with a ${type} where a ${expectedType} was expected`, { url: where, status });
  }
}
