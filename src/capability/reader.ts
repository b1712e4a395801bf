// Reads an EHR's CapabilityStatement into the few facts the probes and the method planner need.
// Pure: the caller fetches `/metadata`. Real statements are messy (DSTU2 `Conformance`, STU3, odd extension
// URLs, 400 KB documents), so every field is read defensively and a wrong shape is "absent", never a throw.
import { asObject, asObjects, asString, asStrings, unique, type JsonObject } from './json.js';
import { readSecurity, readSubscriptions, readUsCore } from './statement-parts.js';

export { readSmartConfiguration, type SmartSummary } from './smart.js';

export type FhirRelease = 'R4' | 'R4B' | 'R5' | 'STU3' | 'DSTU2' | 'unknown';

export interface ResourceCapability {
  interactions: string[];
  /** Names of the search parameters, including the server-wide ones of `rest.searchParam`. */
  searchParams: string[];
  conditionalCreate: boolean;
  conditionalUpdate: boolean;
  conditionalDelete: string | undefined;
  operations: string[];
}

export interface CapabilitySummary {
  /** A FHIR R4 (4.0.x) CapabilityStatement usable by the probes. */
  ok: boolean;
  problem?: string;
  resourceType?: string;
  fhirVersion?: string;
  release: FhirRelease;
  software?: { name?: string; version?: string; releaseDate?: string };
  implementation?: { description?: string; url?: string };
  publisher?: string;
  /** Highest US Core version declared in `instantiates` / `implementationGuide` (e.g. "6.1.0"). */
  usCoreVersion?: string;
  /** US Core is named there, with or without a version. */
  usCoreDeclared: boolean;
  formats: string[];
  resources: Record<string, ResourceCapability>;
  security: {
    smartOnFhir: boolean;
    services: string[];
    oauth: { authorize?: string; token?: string; register?: string; manage?: string };
  };
  /** R4 Subscription resource, and Subscriptions R5 Backport topics. */
  subscriptions: { resource: boolean; channelTypes: string[]; topicBased: boolean; topics: string[] };
  /** Resource types that allow `_lastUpdated`. */
  lastUpdatedSearch: string[];
  /** Resource types that allow `identifier`. */
  identifierSearch: string[];
  /** Departures from the specification that were read around, in words. */
  quirks: string[];
}

export function readCapabilityStatement(doc: unknown): CapabilitySummary {
  const root = asObject(doc) ?? {};
  const resourceType = asString(root.resourceType);
  const fhirVersion = asString(root.fhirVersion);
  const release = releaseOf(fhirVersion, resourceType);
  const rests = serverRests(root);
  const resources = readResources(rests);
  const security = readSecurity(rests);
  const usCore = readUsCore(root);
  const problem = problemOf(doc, resourceType, release, fhirVersion);
  const software = asObject(root.software);
  const implementation = asObject(root.implementation);
  const types = Object.keys(resources);
  return {
    ok: problem === undefined,
    ...(problem !== undefined && { problem }),
    ...(resourceType !== undefined && { resourceType }),
    ...(fhirVersion !== undefined && { fhirVersion }),
    release,
    ...(software && { software: defined({ name: asString(software.name), version: asString(software.version), releaseDate: asString(software.releaseDate) }) }),
    ...(implementation && { implementation: defined({ description: asString(implementation.description), url: asString(implementation.url) }) }),
    ...(asString(root.publisher) !== undefined && { publisher: asString(root.publisher) }),
    ...(usCore.version !== undefined && { usCoreVersion: usCore.version }),
    usCoreDeclared: usCore.declared,
    formats: asStrings(root.format),
    resources,
    security: security.summary,
    subscriptions: readSubscriptions(root, rests, resources),
    lastUpdatedSearch: types.filter((type) => searchableIn(resources, type, '_lastUpdated')),
    identifierSearch: types.filter((type) => searchableIn(resources, type, 'identifier')),
    quirks: security.quirks,
  };
}

/** Whether `type` declares `interaction` (`search` is read as `search-type`). */
export function supports(cap: CapabilitySummary, type: string, interaction: string): boolean {
  const wanted = interaction === 'search' ? 'search-type' : interaction;
  return cap.resources[type]?.interactions.includes(wanted) ?? false;
}

/** Whether `type` can be searched (type-level search) by `param`. */
export function searchable(cap: CapabilitySummary, type: string, param: string): boolean {
  return searchableIn(cap.resources, type, param);
}

function searchableIn(resources: Record<string, ResourceCapability>, type: string, param: string): boolean {
  const resource = resources[type];
  return resource !== undefined && resource.interactions.includes('search-type') && resource.searchParams.includes(param);
}

/** FHIR release from `fhirVersion`; a DSTU2-era `Conformance` without a version is DSTU2. */
export function releaseOf(fhirVersion: string | undefined, resourceType?: string): FhirRelease {
  if (fhirVersion === undefined) return resourceType === 'Conformance' ? 'DSTU2' : 'unknown';
  if (/^4\.0(\.|$)/.test(fhirVersion)) return 'R4';
  if (/^4\.3(\.|$)/.test(fhirVersion)) return 'R4B';
  if (/^5\.0(\.|$)/.test(fhirVersion)) return 'R5';
  if (/^3\.0(\.|$)/.test(fhirVersion)) return 'STU3';
  if (/^1\.0(\.|$)/.test(fhirVersion)) return 'DSTU2';
  return 'unknown';
}

function problemOf(doc: unknown, resourceType: string | undefined, release: FhirRelease, fhirVersion: string | undefined): string | undefined {
  if (asObject(doc) === undefined) return 'not a FHIR resource: expected a JSON CapabilityStatement';
  if (resourceType === undefined) return 'not a FHIR resource: no resourceType';
  const version = fhirVersion === undefined ? 'no fhirVersion' : `fhirVersion ${fhirVersion}`;
  if (resourceType === 'Conformance') {
    const era = release === 'unknown' || release === 'R4' ? 'pre-R4' : release;
    return `not FHIR R4: ${article(era)} ${era} Conformance (${version})`;
  }
  if (resourceType !== 'CapabilityStatement') return `not a CapabilityStatement: got ${resourceType}`;
  if (release === 'unknown') return `not FHIR R4: ${version}`;
  if (release !== 'R4') return `not FHIR R4: ${article(release)} ${release} CapabilityStatement (${version})`;
  return undefined;
}

const article = (word: string) => (/^[AEFHILMNORSX]/.test(word) ? 'an' : 'a');

/** The server side of the statement: `rest` entries with mode server (or without a mode). */
function serverRests(root: JsonObject): JsonObject[] {
  const rests = asObjects(root.rest);
  const servers = rests.filter((rest) => rest.mode === 'server');
  return servers.length > 0 ? servers : rests.filter((rest) => rest.mode !== 'client');
}

function readResources(rests: JsonObject[]): Record<string, ResourceCapability> {
  const resources: Record<string, ResourceCapability> = {};
  for (const rest of rests) {
    // rest.searchParam applies to every resource type (FHIR R4 CapabilityStatement.rest.searchParam).
    const serverWide = names(rest.searchParam);
    for (const entry of asObjects(rest.resource)) {
      const type = asString(entry.type);
      if (type === undefined) continue;
      const seen = resources[type];
      const read: ResourceCapability = {
        interactions: asObjects(entry.interaction).flatMap((i) => asString(i.code) ?? []),
        searchParams: [...names(entry.searchParam), ...serverWide],
        conditionalCreate: entry.conditionalCreate === true,
        conditionalUpdate: entry.conditionalUpdate === true,
        conditionalDelete: asString(entry.conditionalDelete),
        operations: names(entry.operation),
      };
      resources[type] = seen === undefined ? dedupe(read) : merge(seen, read);
    }
  }
  return resources;
}

const names = (value: unknown) => asObjects(value).flatMap((item) => asString(item.name) ?? []);

function dedupe(r: ResourceCapability): ResourceCapability {
  return { ...r, interactions: unique(r.interactions), searchParams: unique(r.searchParams), operations: unique(r.operations) };
}

function merge(a: ResourceCapability, b: ResourceCapability): ResourceCapability {
  return dedupe({
    interactions: [...a.interactions, ...b.interactions],
    searchParams: [...a.searchParams, ...b.searchParams],
    conditionalCreate: a.conditionalCreate || b.conditionalCreate,
    conditionalUpdate: a.conditionalUpdate || b.conditionalUpdate,
    conditionalDelete: a.conditionalDelete ?? b.conditionalDelete,
    operations: [...a.operations, ...b.operations],
  });
}

/** Drops undefined properties so JSON output and deep equality stay clean. */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
