// What a person (or a script) read off the EHR's schedule screen, as slots. Accepts what people and consoles
// give: typed ids ("a, b c" or "none"), a JSON list of ids or of slot objects, `{slots: [...]}`, or a FHIR
// searchset of Slots. Objects with a status other than free are left out. Pure.

export interface ReadSlot {
  id: string;
  start?: string;
  end?: string;
  schedule?: string;
}

export class ReadingError extends Error {
  override readonly name = 'ReadingError';
}

const NONE = new Set(['none', 'no', '-', '']);
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function readFreeSlots(reading: unknown): ReadSlot[] {
  if (typeof reading === 'string') return fromText(reading);
  if (Array.isArray(reading)) return fromList(reading);
  if (reading !== null && typeof reading === 'object') {
    const doc = reading as Record<string, unknown>;
    if (Array.isArray(doc.slots)) return fromList(doc.slots);
    if (doc.resourceType === 'Bundle') {
      const entries = Array.isArray(doc.entry) ? (doc.entry as Array<{ resource?: unknown }>) : [];
      return fromList(entries.map((e) => e.resource).filter((r) => (r as { resourceType?: string } | undefined)?.resourceType === 'Slot'));
    }
  }
  throw new ReadingError('the reading is not a list of slot ids, a list of slots, {slots: [...]} or a FHIR Bundle of Slots');
}

function fromText(text: string): ReadSlot[] {
  const trimmed = text.trim();
  if (NONE.has(trimmed.toLowerCase())) return [];
  const tokens = trimmed.split(/[\s,;]+/).map((t) => t.replace(/^Slot\//, '')).filter(Boolean);
  const wrong = tokens.filter((t) => !ID.test(t));
  if (wrong.length > 0) throw new ReadingError(`not slot ids: ${wrong.slice(0, 3).join(', ')}`);
  return unique(tokens.map((id) => ({ id })));
}

function fromList(items: unknown[]): ReadSlot[] {
  const slots: ReadSlot[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      slots.push(...fromText(item));
      continue;
    }
    const o = item as Record<string, unknown> | null;
    const id = typeof o?.id === 'string' ? o.id.replace(/^Slot\//, '') : undefined;
    if (!id || !ID.test(id)) throw new ReadingError('a slot in the reading has no usable id');
    if (typeof o!.status === 'string' && o!.status !== 'free') continue;
    const schedule = typeof o!.schedule === 'string' ? o!.schedule : (o!.schedule as { reference?: unknown } | undefined)?.reference;
    slots.push({
      id,
      ...(typeof o!.start === 'string' && { start: o!.start }),
      ...(typeof o!.end === 'string' && { end: o!.end }),
      ...(typeof schedule === 'string' && { schedule }),
    });
  }
  return unique(slots);
}

function unique(slots: ReadSlot[]): ReadSlot[] {
  const seen = new Set<string>();
  return slots.filter((s) => !seen.has(s.id) && seen.add(s.id));
}
