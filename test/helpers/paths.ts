// Where tests find their material: inside the repository only, so a clone with nothing beside it runs them.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Real documents published by EHRs, CHPL and specifications; see test/fixtures/real-world/PROVENANCE.md. */
export const REAL_WORLD = join(REPO, 'test', 'fixtures', 'real-world');
