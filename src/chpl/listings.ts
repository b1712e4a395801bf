// Pure reading of CHPL listings in the shapes they come in, and the certification verdict over them.
// Shapes: the search API's `{recordCount, results[]}`, CHPL's listing download `{listings[]}`, a plain array,
// and ONC Lantern's products-info (`[{listSourceURL, softwareProducts[]}]`), which repeats CHPL's fields.
import { normalizeName } from '../catalog/systems.js';
import { G10_CRITERION_ID, G10_CRITERION_NUMBER, type ChplListing, type EhrCertification } from './types.js';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** CHPL nests names: `developer: {name}`, `version: {name}` (search) or `{version}` (download). */
const named = (v: unknown): string | undefined => text(v) ?? (isObject(v) ? text(v.name) ?? text(v.version) : undefined);

/** The raw listing objects of a document, or undefined when it is none of the known shapes. */
export function rawListings(doc: unknown): Raw[] | undefined {
  if (isObject(doc) && Array.isArray(doc.results)) return doc.results.filter(isObject);
  if (isObject(doc) && Array.isArray(doc.listings)) return doc.listings.filter(isObject);
  if (Array.isArray(doc)) {
    const objects = doc.filter(isObject);
    if (objects.some((o) => Array.isArray(o.softwareProducts))) {
      return objects.flatMap((o) => (Array.isArray(o.softwareProducts) ? o.softwareProducts.filter(isObject) : []));
    }
    return objects;
  }
  return undefined;
}

export function toListing(raw: Raw): ChplListing | undefined {
  const chplProductNumber = text(raw.chplProductNumber);
  const developer = named(raw.developer);
  if (chplProductNumber === undefined || developer === undefined) return undefined;
  const certificationDate = dateOf(raw.certificationDate);
  return {
    chplProductNumber,
    developer,
    product: named(raw.product) ?? '',
    version: named(raw.version) ?? '',
    certificationStatus: named(raw.certificationStatus) ?? 'unknown',
    ...(certificationDate !== undefined && { certificationDate }),
    g10: hasG10(raw),
  };
}

function hasG10(raw: Raw): boolean {
  const criteria = raw.criteriaMet;
  // The older search API sends criteria as one "☺"-separated string.
  if (typeof criteria === 'string') return criteria.split('☺').some((c) => c.trim() === G10_CRITERION_NUMBER);
  if (Array.isArray(criteria)) return criteria.some(isG10);
  // The listing download: certificationResults[] of {criterion, success}.
  if (Array.isArray(raw.certificationResults)) {
    return raw.certificationResults.some((r) => isObject(r) && r.success !== false && isG10(r.criterion));
  }
  return false;
}

function isG10(criterion: unknown): boolean {
  if (typeof criterion === 'number') return criterion === G10_CRITERION_ID;
  if (typeof criterion === 'string') return criterion.trim() === G10_CRITERION_NUMBER;
  return isObject(criterion) && (criterion.id === G10_CRITERION_ID || text(criterion.number) === G10_CRITERION_NUMBER);
}

/** CHPL dates come as "2022-08-23" or as epoch milliseconds. */
function dateOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
  return text(value);
}

/** Listings of these developers (names compared without case, punctuation or "Inc."/"LLC"), one per product number. */
export function listingsOf(raws: Raw[], developerNames: string[]): ChplListing[] {
  const wanted = new Set(developerNames.map(normalizeName).filter((n) => n !== ''));
  const seen = new Map<string, ChplListing>();
  for (const raw of raws) {
    const listing = toListing(raw);
    if (listing && wanted.has(normalizeName(listing.developer)) && !seen.has(listing.chplProductNumber)) {
      seen.set(listing.chplProductNumber, listing);
    }
  }
  return [...seen.values()];
}

export const isActive = (listing: ChplListing) => listing.certificationStatus.toLowerCase() === 'active';

/** Certified when at least one listing is Active and certified for (g)(10). */
export function verdict(listings: ChplListing[], source: string): EhrCertification {
  const certified = listings.some((l) => isActive(l) && l.g10);
  return { status: certified ? 'certified' : 'not-certified', listings, source };
}
