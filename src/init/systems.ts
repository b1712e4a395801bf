// Choosing an EHR system id. The buyer's own site systems come first; any other system is typed as a
// lower-case slug (the plan's rule for system ids).
import type { Ask } from './prompts.js';
import { systemSlug } from './rules.js';

const OTHER = '\u0000other';

export async function askSystem(ask: Ask, message: string, fallback?: string, known: string[] = []): Promise<string> {
  if (known.length > 0) {
    const choices = [...known.map((id) => ({ value: id, name: systemLabel(id) })), { value: OTHER, name: 'another system…' }];
    const chosen = await ask.choose(message, choices, fallback && known.includes(fallback) ? fallback : undefined);
    if (chosen !== OTHER) return chosen;
  }
  return ask.text(`${message} (system id, e.g. epic, oracle-health, athenahealth)`, { default: fallback, validate: systemSlug });
}

export function systemLabel(id: string): string {
  return id;
}
