// A feed's files checked as a consumer would use them: each NDJSON line parses and is the type its output names,
// Slot.schedule resolves to a Schedule of the feed and Schedule.actor to a Location, the booking extensions are
// counted. Pure. `problems` make the feed unusable (nothing trustworthy can be read from it); `warnings` are flaws
// a consumer can work around (it skips a bad line, a slot it cannot place, a file the publisher said it failed).
import type { FeedType } from './manifest.js';

export const BOOKING_DEEP_LINK = 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link';
export const BOOKING_PHONE = 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-phone';

type Resource = Record<string, unknown> & { resourceType: string; id: string };

export interface FeedResources {
  locations: Map<string, Resource>;
  schedules: Map<string, Resource>;
  slots: Resource[];
}

/** One output file as read: its text, or why it could not be had. */
export interface OutputRead {
  type: FeedType;
  url: string;
  status?: number;
  text?: string;
  /** Why the file could not be read (unreachable, HTTP status, too large). */
  failure?: string;
}

export interface FileSummary {
  type: FeedType;
  url: string;
  status?: number;
  lines: number;
  resources: number;
  badLines: number;
  wrongType: number;
}

export interface FeedConformance {
  files: FileSummary[];
  counts: { Location: number; Schedule: number; Slot: number; freeSlots: number };
  extensions: { bookingDeepLink: number; bookingPhone: number; freeWithoutBookingRoute: number; other: Record<string, number> };
  references: {
    slotSchedule: { resolved: number; dangling: number; examples: string[] };
    scheduleActor: { resolved: number; dangling: number; examples: string[] };
  };
  problems: string[];
  warnings: string[];
}

const MAX_EXAMPLES = 3;

/** The feed's resources, and what a consumer would find wrong with them. */
export function checkFeed(outputs: OutputRead[]): { resources: FeedResources; conformance: FeedConformance } {
  const resources: FeedResources = { locations: new Map(), schedules: new Map(), slots: [] };
  const problems: string[] = [];
  const warnings: string[] = [];
  const files = outputs.map((out) => readFile(out, resources, problems, warnings));

  const references = { slotSchedule: tally(), scheduleActor: tally() };
  for (const schedule of resources.schedules.values()) {
    const actors = Array.isArray(schedule.actor) ? (schedule.actor as Array<{ reference?: unknown }>) : [];
    const locations = actors.map((a) => localId(a?.reference, 'Location')).filter((id): id is string => id !== undefined);
    note(references.scheduleActor, locations.some((id) => resources.locations.has(id)), `Schedule/${schedule.id}`);
  }
  for (const slot of resources.slots) {
    const scheduleId = localId((slot.schedule as { reference?: unknown } | undefined)?.reference, 'Schedule');
    note(references.slotSchedule, scheduleId !== undefined && resources.schedules.has(scheduleId), `Slot/${slot.id}`);
  }
  const { slotSchedule, scheduleActor } = references;
  if (slotSchedule.dangling > 0) warnings.push(`${slotSchedule.dangling} Slot(s) name no Schedule of the feed (e.g. ${slotSchedule.examples.join(', ')}): a consumer cannot place them`);
  if (scheduleActor.dangling > 0) warnings.push(`${scheduleActor.dangling} Schedule(s) name no Location of the feed as actor (e.g. ${scheduleActor.examples.join(', ')})`);

  const STATUSES = new Set(['free', 'busy', 'busy-unavailable', 'busy-tentative', 'entered-in-error']);
  const unusable = resources.slots.filter((s) => !STATUSES.has(String(s.status)) || !instant(s.start) || !instant(s.end));
  if (unusable.length > 0) warnings.push(`${unusable.length} Slot(s) lack a valid status, start or end (e.g. Slot/${unusable[0]!.id}): a consumer cannot offer them`);
  const extensions = countExtensions(resources.slots);
  if (extensions.freeWithoutBookingRoute > 0) warnings.push(`${extensions.freeWithoutBookingRoute} free Slot(s) carry neither a booking-deep-link nor a booking-phone`);
  const freeSlots = resources.slots.filter((s) => s.status === 'free').length;
  if (resources.slots.length === 0 && problems.length === 0) warnings.push('the feed lists no Slot');
  return {
    resources,
    conformance: {
      files,
      counts: { Location: resources.locations.size, Schedule: resources.schedules.size, Slot: resources.slots.length, freeSlots },
      extensions,
      references,
      problems,
      warnings,
    },
  };
}

function readFile(out: OutputRead, into: FeedResources, problems: string[], warnings: string[]): FileSummary {
  const summary: FileSummary = { type: out.type, url: out.url, ...(out.status !== undefined && { status: out.status }), lines: 0, resources: 0, badLines: 0, wrongType: 0 };
  if (out.failure !== undefined || out.text === undefined) {
    problems.push(`the ${out.type} file ${out.url} could not be read: ${out.failure ?? 'no body'}`);
    return summary;
  }
  let firstBad: string | undefined;
  for (const [i, raw] of out.text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    summary.lines += 1;
    const resource = parseLine(line);
    if (typeof resource === 'string') {
      summary.badLines += 1;
      firstBad ??= `line ${i + 1}: ${resource}`;
      continue;
    }
    if (resource.resourceType !== out.type) {
      summary.wrongType += 1;
      firstBad ??= `line ${i + 1} is a ${resource.resourceType}, not a ${out.type}`;
      continue;
    }
    summary.resources += 1;
    if (out.type === 'Slot') into.slots.push(resource);
    else (out.type === 'Location' ? into.locations : into.schedules).set(resource.id, resource);
  }
  const skipped = summary.badLines + summary.wrongType;
  if (summary.lines > 0 && summary.resources === 0) problems.push(`the ${out.type} file ${out.url} holds no usable ${out.type} (${firstBad})`);
  else if (skipped > 0) warnings.push(`the ${out.type} file ${out.url} has ${skipped} line(s) a consumer must skip (${firstBad})`);
  return summary;
}

/** A resource with a type and an id, or what is wrong with the line. */
function parseLine(line: string): Resource | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const { resourceType, id } = value as { resourceType?: unknown; id?: unknown };
  if (typeof resourceType !== 'string') return 'no resourceType';
  if (typeof id !== 'string' || !id) return `a ${resourceType} without an id`;
  return value as Resource;
}

function countExtensions(slots: Resource[]): FeedConformance['extensions'] {
  const counts: FeedConformance['extensions'] = { bookingDeepLink: 0, bookingPhone: 0, freeWithoutBookingRoute: 0, other: {} };
  for (const slot of slots) {
    const extensions = Array.isArray(slot.extension) ? (slot.extension as Array<Record<string, unknown>>) : [];
    const link = extensions.some((e) => e?.url === BOOKING_DEEP_LINK && typeof e.valueUrl === 'string' && URL.canParse(e.valueUrl));
    const phone = extensions.some((e) => e?.url === BOOKING_PHONE && typeof e.valueString === 'string' && e.valueString.trim() !== '');
    if (link) counts.bookingDeepLink += 1;
    if (phone) counts.bookingPhone += 1;
    if (slot.status === 'free' && !link && !phone) counts.freeWithoutBookingRoute += 1;
    for (const e of extensions) {
      if (typeof e?.url !== 'string' || e.url === BOOKING_DEEP_LINK || e.url === BOOKING_PHONE) continue;
      counts.other[e.url] = (counts.other[e.url] ?? 0) + 1;
    }
  }
  return counts;
}

/** `Schedule/10` (or an absolute URL ending so) → `10`; undefined for another type or no reference. */
export function localId(reference: unknown, type: string): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const parts = reference.trim().split('/');
  const at = parts.lastIndexOf(type);
  return at !== -1 && at + 1 < parts.length && parts[at + 1] ? parts[at + 1] : undefined;
}

/** A FHIR instant with its zone: a time a consumer can place. */
function instant(value: unknown): boolean {
  return typeof value === 'string' && /T.*(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

function tally() {
  return { resolved: 0, dangling: 0, examples: [] as string[] };
}

function note(count: ReturnType<typeof tally>, resolved: boolean, what: string): void {
  if (resolved) count.resolved += 1;
  else {
    count.dangling += 1;
    if (count.examples.length < MAX_EXAMPLES) count.examples.push(what);
  }
}
