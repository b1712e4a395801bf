// Choosing an EHR system: the buyer's own site systems first; otherwise a search of the systems catalog by
// any name people use ("Cerner", "eCW", "athenaOne"), or a new lower-case slug the catalog doesn't know yet.
import { SYSTEMS, displayName, normalizeName, resolveSystem, type SystemEntry } from '../catalog/systems.js';
import type { Ask, Choice } from './prompts.js';
import { SYSTEM_SLUG } from './rules.js';

const OTHER = '\u0000other';

export async function askSystem(ask: Ask, message: string, fallback?: string, known: string[] = []): Promise<string> {
  if (known.length > 0) {
    const choices = [...known.map((id) => ({ value: id, name: systemLabel(id) })), { value: OTHER, name: 'another system…' }];
    const chosen = await ask.choose(message, choices, fallback && known.includes(fallback) ? fallback : undefined);
    if (chosen !== OTHER) return chosen;
  }
  return ask.search(`${message} (type to search)`, (term) => systemChoices(term, fallback));
}

/** Catalog entries matching what was typed, best first; a new valid slug is offered as itself. */
export function systemChoices(term: string, fallback?: string): Array<Choice<string>> {
  const key = normalizeName(term);
  const toChoice = (s: SystemEntry): Choice<string> => ({ value: s.id, name: s.displayName, description: `system id: ${s.id}` });
  if (key === '') {
    const first = SYSTEMS.find((s) => s.id === fallback);
    return [...(first ? [first] : []), ...SYSTEMS.filter((s) => s !== first)].map(toChoice);
  }
  const exact = resolveSystem(term);
  const names = (s: SystemEntry) => [s.id, s.displayName, s.developer, ...s.aliases].map(normalizeName);
  const starts = SYSTEMS.filter((s) => s !== exact && names(s).some((n) => n.startsWith(key)));
  const contains = SYSTEMS.filter((s) => s !== exact && !starts.includes(s) && names(s).some((n) => n.includes(key)));
  const found = [...(exact ? [exact] : []), ...starts, ...contains].map(toChoice);
  const slug = term.trim();
  if (SYSTEM_SLUG.test(slug) && !SYSTEMS.some((s) => s.id === slug)) {
    found.push({ value: slug, name: `"${slug}" (a system the catalog does not list)`, description: `system id: ${slug}` });
  }
  return found;
}

export function systemLabel(id: string): string {
  return displayName(id);
}
