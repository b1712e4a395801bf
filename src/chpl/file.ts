// The file form: a CHPL export named by the plan's `chpl.exportFile`, for buyers without an API key or
// runs without network. It is input: an unreadable or foreign file is an InputError (exit 2), not "unknown".
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { listingsOf, rawListings, verdict } from './listings.js';
import type { ChplQuery, EhrCertification } from './types.js';

export async function lookupByFile(query: ChplQuery, path: string): Promise<EhrCertification> {
  const fail = (message: string) => new InputError([{ file: path, field: '', message }]);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'CHPL export file not found' : `CHPL export cannot be read (${code ?? 'error'})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw fail('CHPL export is not JSON');
  }
  const raws = rawListings(doc);
  if (raws === undefined) {
    throw fail('not a CHPL export: expected a CHPL search response {results: [...]}, a listings download {listings: [...]}, or ONC Lantern products-info');
  }
  return verdict(listingsOf(raws, query.developerNames), `CHPL export ${path}`);
}
