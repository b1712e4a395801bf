// Whether a resource a search returned matches what was asked. A server may ignore a parameter (undeclared, or
// declared and dropped) and answer with everything: results are filtered here as well, so such a server never
// makes ehr-check see a slot or booking that is not there, and the verification of undeclared parameters
// (verify-capability.ts) uses the same tests to tell an honoured parameter from an ignored one. Pure.

/** A search parameter's values as sent (a date range sends `start` twice). */
export type ParamTest = (resource: SearchedResource, values: readonly string[]) => boolean;

export interface SearchedResource {
  resourceType?: string;
  id?: string;
  status?: string;
  start?: string;
  birthDate?: string;
  schedule?: { reference?: string };
  slot?: Array<{ reference?: string }>;
  participant?: Array<{ actor?: { reference?: string } }>;
  identifier?: Array<{ system?: string; value?: string }>;
  name?: Array<{ family?: string; given?: string[]; text?: string }>;
}

/** `Schedule/1` matches `Schedule/1`, `https://ehr/fhir/Schedule/1` and a bare `1`. */
export function sameReference(actual: string | undefined, wanted: string): boolean {
  if (!actual) return false;
  if (actual === wanted) return true;
  const tail = (ref: string) => ref.split('/').slice(-2).join('/');
  return wanted.includes('/') ? tail(actual) === tail(wanted) : actual.split('/').pop() === wanted;
}

/** A token search value (`system|value`, `|value`, `system|`, or `value`) against a resource's identifiers. */
export function hasIdentifier(identifiers: SearchedResource['identifier'], token: string): boolean {
  const bar = token.indexOf('|');
  const system = bar < 0 ? undefined : token.slice(0, bar);
  const value = bar < 0 ? token : token.slice(bar + 1);
  return (identifiers ?? []).some((i) => (system === undefined || system === '' ? true : i.system === system) && (value === '' || i.value === value));
}

const DAY_MS = 86_400_000;

/**
 * A FHIR date search value (`ge2026-03-01T10:00:00Z`, `2026-03-01`) against an instant. `slackMs` widens the range
 * for searches whose day the server may read in its own time zone.
 */
export function dateMatches(value: string | undefined, search: string, slackMs = 0): boolean {
  const at = value === undefined ? Number.NaN : Date.parse(value);
  const m = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(.+)$/.exec(search.trim());
  if (!Number.isFinite(at) || !m) return false;
  const prefix = m[1] ?? 'eq';
  const from = Date.parse(m[2]!.length === 10 ? `${m[2]}T00:00:00Z` : m[2]!);
  if (!Number.isFinite(from)) return false;
  const to = from + (m[2]!.length === 10 ? DAY_MS : 1000);
  switch (prefix) {
    case 'ge':
      return at >= from - slackMs;
    case 'gt':
    case 'sa':
      return at >= to - slackMs;
    case 'le':
      return at < to + slackMs;
    case 'lt':
    case 'eb':
      return at < from + slackMs;
    case 'ne':
      return at < from || at >= to;
    default:
      return at >= from - slackMs && at < to + slackMs;
  }
}

const lower = (s: string | undefined) => (s ?? '').toLowerCase();
const every = (values: readonly string[], test: (value: string) => boolean) => values.every((v) => v.split(',').some(test));

/** The parameters ehr-check searches by, per type, as tests a returned resource must pass. */
export const PARAM_TESTS: Record<string, Record<string, ParamTest>> = {
  Slot: {
    schedule: (r, values) => every(values, (v) => sameReference(r.schedule?.reference, v)),
    status: (r, values) => every(values, (v) => r.status === v),
    start: (r, values) => values.every((v) => dateMatches(r.start, v)),
  },
  Appointment: {
    identifier: (r, values) => every(values, (v) => hasIdentifier(r.identifier, v)),
    patient: (r, values) => every(values, (v) => (r.participant ?? []).some((p) => sameReference(p.actor?.reference, v.includes('/') ? v : `Patient/${v}`))),
    slot: (r, values) => every(values, (v) => (r.slot ?? []).some((s) => sameReference(s.reference, v))),
    // The server may read a bare day in its own time zone: a day either side still tells "ignored" from "used".
    date: (r, values) => values.every((v) => dateMatches(r.start, v, DAY_MS)),
  },
  Patient: {
    identifier: (r, values) => every(values, (v) => hasIdentifier(r.identifier, v)),
    family: (r, values) => every(values, (v) => (r.name ?? []).some((n) => lower(n.family).startsWith(lower(v)))),
    name: (r, values) =>
      every(values, (v) => (r.name ?? []).some((n) => [n.family, n.text, ...(n.given ?? [])].some((part) => lower(part).includes(lower(v))))),
    birthdate: (r, values) => values.every((v) => dateMatches(r.birthDate, v)),
  },
};

/** Whether `resource` passes every test of `query` that ehr-check knows how to apply (others are left to the server). */
export function matchesQuery(type: string, resource: SearchedResource, query: Record<string, string | string[] | undefined>): boolean {
  const tests = PARAM_TESTS[type] ?? {};
  return Object.entries(query).every(([name, value]) => {
    const test = tests[name];
    if (!test || value === undefined) return true;
    return test(resource, Array.isArray(value) ? value : [value]);
  });
}

/** The results that match the query: what the server returned beyond it is not there. */
export function keepMatching<T extends SearchedResource>(type: string, found: readonly T[], query: Record<string, string | string[] | undefined>): T[] {
  return found.filter((r) => (r.resourceType === undefined || r.resourceType === type) && matchesQuery(type, r, query));
}
