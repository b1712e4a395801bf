// System ids must be ones the catalog knows: a typo ("epik") would otherwise validate and then quietly fail
// required-systems. A system the catalog does not list is allowed when the file says so with `custom: true`.
import { SYSTEMS, resolveSystem } from '../catalog/systems.js';
import type { InputProblem } from '../errors.js';
import { closest, pointer } from './wording.js';

export interface NamedSystem {
  system: string;
  custom?: boolean;
}

const IDS = SYSTEMS.map((s) => s.id);

export const isCatalogSystem = (id: string): boolean => IDS.includes(id);

/** What to say about an id the catalog does not list: the id meant, when there is a fair guess. */
function unknownSystemMessage(id: string): string {
  const fix = 'or, for a system the catalog does not list, add custom: true beside it';
  // A name people use for a listed system ("cerner", "athenaone") resolves; a typo is near an id.
  const named = resolveSystem(id);
  if (named) return `"${id}" is a name for ${named.displayName}: write its system id "${named.id}"`;
  const guess = closest(id, IDS);
  if (guess) return `unknown system "${id}" — did you mean "${guess}"? (${fix})`;
  return `unknown system "${id}": expected one of ${IDS.join(', ')} (${fix})`;
}

/** One problem per entry whose `system` is not a catalog id and is not marked `custom: true`. */
export function unknownSystemProblems(entries: readonly NamedSystem[], file: string, ...at: Array<string | number>): InputProblem[] {
  return entries.flatMap((entry, i) =>
    entry.custom === true || isCatalogSystem(entry.system)
      ? []
      : [{ file, field: pointer(...at, i, 'system'), message: unknownSystemMessage(entry.system) }],
  );
}
