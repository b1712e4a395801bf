// The parts of a CapabilityStatement beyond its resources: security (SMART, OAuth URIs), the US Core version it
// claims, and how it offers subscriptions. Pure and defensive, like reader.ts.
import { asObject, asObjects, asString, asStrings, unique, type JsonObject } from './json.js';
import type { CapabilitySummary, ResourceCapability } from './reader.js';

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const TOPIC_CANONICAL = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical';
const WEBSOCKET = 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket';

export function readSecurity(rests: JsonObject[]): { summary: CapabilitySummary['security']; quirks: string[] } {
  const services: string[] = [];
  const oauth: CapabilitySummary['security']['oauth'] = {};
  const quirks: string[] = [];
  for (const rest of rests) {
    const security = asObject(rest.security) ?? {};
    for (const service of asObjects(security.service)) {
      const codes = asObjects(service.coding).flatMap((coding) => asString(coding.code) ?? []);
      services.push(...(codes.length > 0 ? codes : asStrings(service.text)));
    }
    for (const extension of asObjects(security.extension)) {
      const url = asString(extension.url) ?? '';
      // Match on the name, not the whole URL: athenahealth serves it as `http://DSTU2/fhir-registry...`.
      if (!url.endsWith('/oauth-uris')) continue;
      if (url !== OAUTH_URIS) quirks.push(`oauth-uris extension under a non-standard URL: ${url}`);
      for (const part of asObjects(extension.extension)) {
        const key = asString(part.url);
        const value = asString(part.valueUri) ?? asString(part.valueUrl);
        if (value !== undefined && (key === 'authorize' || key === 'token' || key === 'register' || key === 'manage')) {
          oauth[key] ??= value;
        }
      }
    }
  }
  const smartOnFhir = services.some((code) => code.toLowerCase() === 'smart-on-fhir') || Object.keys(oauth).length > 0;
  return { summary: { smartOnFhir, services: unique(services), oauth }, quirks: unique(quirks) };
}

export function readUsCore(root: JsonObject): { declared: boolean; version?: string } {
  const canonicals = [...asStrings(root.instantiates), ...asStrings(root.implementationGuide)].filter((c) =>
    /\/us\/core\//i.test(c),
  );
  const versions = canonicals.flatMap((c) => asString(c.split('|')[1]) ?? []);
  const version = versions.sort(compareVersions).at(-1);
  return { declared: canonicals.length > 0, ...(version !== undefined && { version }) };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(/[.-]/).map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function readSubscriptions(
  root: JsonObject,
  rests: JsonObject[],
  resources: Record<string, ResourceCapability>,
): CapabilitySummary['subscriptions'] {
  const topics: string[] = [];
  const channelTypes: string[] = [];
  for (const rest of rests) {
    if (asObjects(rest.extension).some((e) => e.url === WEBSOCKET)) channelTypes.push('websocket');
    for (const entry of asObjects(rest.resource)) {
      for (const extension of asObjects(entry.extension)) {
        const url = asString(extension.url) ?? '';
        if (url === TOPIC_CANONICAL) topics.push(...asStrings(extension.valueCanonical ?? extension.valueUri));
        if (/channel-?type/i.test(url)) {
          const coding = asObject(extension.valueCoding);
          channelTypes.push(...asStrings(extension.valueCode ?? coding?.code ?? extension.valueString));
        }
      }
    }
  }
  const backport = asStrings(root.instantiates).some((c) => c.includes('/subscriptions-backport/'));
  return {
    resource: resources.Subscription !== undefined,
    channelTypes: unique(channelTypes),
    topicBased: backport || topics.length > 0 || resources.SubscriptionTopic !== undefined,
    topics: unique(topics),
  };
}
