// Following a searchset's `next` link safely: same origin only, and never the same page twice.
import type { Bundle } from '@medplum/fhirtypes';
import { ProbeError } from './types.js';
import { redactUrl } from './redact.js';

/** The next page's absolute URL, or undefined on the last page. */
export function nextPageUrl(page: Bundle, origin: string, baseUrl: string, seen: Set<string>): string | undefined {
  const link = page.link?.find((l) => l.relation === 'next' && typeof l.url === 'string' && l.url.trim() !== '');
  if (!link?.url) return undefined;
  let url: URL;
  try {
    url = new URL(link.url.trim(), `${baseUrl}/`);
  } catch {
    throw new ProbeError('not-fhir', `a search page's next link is not a URL`);
  }
  const next = url.toString();
  if (url.origin !== origin) {
    // A next link elsewhere would carry our credentials to a server we were not asked to trust.
    throw new ProbeError('redirect', `a search page's next link points to another origin (${url.origin}); not followed`, {
      url: redactUrl(next),
    });
  }
  if (seen.has(next)) throw new ProbeError('http', `a search page's next link repeats an earlier page; paging stopped`, { url: redactUrl(next) });
  seen.add(next);
  return next;
}
