// Where tests find the project's shared material. Tests may read ../shared; the product never does.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SHARED = join(REPO, '..', 'shared');
export const REAL_WORLD = join(SHARED, 'real-world');
