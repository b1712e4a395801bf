// Defensive readers for JSON from servers we do not control: a wrong type is treated as absent, never thrown.

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asObjects(value: unknown): JsonObject[] {
  return asArray(value).flatMap((item): JsonObject[] => {
    const object = asObject(item);
    return object ? [object] : [];
  });
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Strings of an array (or a single string), trimmed, empty ones and duplicates dropped, order kept. */
export function asStrings(value: unknown): string[] {
  const items = typeof value === 'string' ? [value] : asArray(value);
  return unique(items.flatMap((item) => asString(item) ?? []));
}

export function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}
