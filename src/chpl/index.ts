// ONC CHPL lookup: is this EHR developer's product certified for (g)(10), the standardized FHIR API?
import { lookupByApi } from './api.js';
import { lookupByFile } from './file.js';
import type { ChplQuery, ChplSource, EhrCertification } from './types.js';

export { G10_CRITERION_ID, G10_CRITERION_NUMBER } from './types.js';
export type { ChplGet, ChplListing, ChplQuery, ChplSource, EhrCertification } from './types.js';

/**
 * API trouble (refused key, unreachable, odd answer) gives status `unknown` with a problem, never a throw;
 * an unreadable export file is bad input and throws InputError.
 */
export function lookupEhrCertification(query: ChplQuery, source: ChplSource): Promise<EhrCertification> {
  return source.kind === 'api' ? lookupByApi(query, source) : lookupByFile(query, source.path);
}
