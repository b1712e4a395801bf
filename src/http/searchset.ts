// A search is answered by a searchset Bundle, or it was not answered: a server that sends its
// CapabilityStatement, an OperationOutcome or a Bundle of another type with 200 has no working search there.
import { outcomeText } from './outcome.js';
import { ProbeError } from './types.js';

/** Why a 2xx search answer is not a searchset Bundle, in words; undefined when it is one. */
export function searchsetProblem(body: unknown): string | undefined {
  const resource = body && typeof body === 'object' && !Array.isArray(body) ? (body as { resourceType?: unknown; type?: unknown }) : undefined;
  const type = typeof resource?.resourceType === 'string' && resource.resourceType ? resource.resourceType : undefined;
  if (!type) return 'with no FHIR resource, not a searchset Bundle';
  if (type === 'Bundle') {
    if (resource!.type === 'searchset') return undefined;
    const kind = typeof resource!.type === 'string' && resource!.type ? `of type ${resource!.type}` : 'without a type';
    return `with a Bundle ${kind}, not a searchset Bundle`;
  }
  const outcome = type === 'OperationOutcome' ? outcomeText(body) : undefined;
  return `with ${article(type)} ${type}${outcome ? ` (${outcome})` : ''}, not a searchset Bundle`;
}

/** Throws `not-searchset` when a 2xx search answer is not a searchset Bundle. */
export function requireSearchset(body: unknown, search: string, details: { url: string; status: number }): void {
  const problem = searchsetProblem(body);
  if (problem) throw new ProbeError('not-searchset', `${search} answered ${problem}`, details);
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}
