// Evidence for `connection-live`: do the EHR and the vendor answer, authenticate and speak FHIR R4?
import { readCapabilityStatement, type CapabilitySummary } from '../capability/reader.js';
import type { RequestRecord } from '../model/report.js';
import type { ConnectionContext } from './context.js';
import { describeError } from './outcome.js';

export interface EndpointCheck {
  ok: boolean;
  /** What failed, as a cause a buyer can act on: connect, dns, tls, timeout, auth, not-fhir, wrong-version… */
  cause?: string;
  message?: string;
  status?: number;
}

export interface LiveEvidence {
  live: boolean;
  ehrMetadata: EndpointCheck & { fhirVersion?: string; software?: string };
  ehrAuth: EndpointCheck;
  vendorSearch: EndpointCheck;
  /** What the EHR declares it supports: decides which probes can run and how. */
  capability?: CapabilitySummary;
  /** Whether the EHR lets the probes write (Appointment create or Slot update); read-only otherwise. */
  ehrWritable: boolean;
  requests: RequestRecord[];
}

async function attempt(run: () => Promise<EndpointCheck>): Promise<EndpointCheck> {
  try {
    return await run();
  } catch (error) {
    const e = describeError(error);
    return { ok: false, cause: e.kind, message: e.message };
  }
}

export async function gatherConnectionLive(ctx: ConnectionContext): Promise<LiveEvidence> {
  const ehrMark = ctx.ehr.log.records.length;
  const vendorMark = ctx.vendor.log.records.length;
  let capability: CapabilitySummary | undefined;
  const ehrMetadata = await attempt(async () => {
    capability = readCapabilityStatement(await ctx.ehr.capabilities());
    if (!capability.ok) return { ok: false, cause: capability.release === 'unknown' ? 'not-fhir' : 'wrong-version', message: capability.problem };
    return { ok: true, fhirVersion: capability.fhirVersion, software: capability.software?.name };
  });
  // Authentication is proven by an authorised read, not by the metadata call (which is usually open).
  // Any search the EHR declares will do; only 401/403 (or no answer) says the credentials do not work.
  const searchable = (['Slot', 'Schedule', 'Appointment', 'Patient'] as const).find((t) =>
    (capability as CapabilitySummary | undefined)?.resources[t]?.interactions.includes('search-type'),
  );
  const ehrAuth = await attempt(async () => {
    const res = await ctx.ehr.request({ path: searchable ?? 'Patient', query: { _count: '1' } });
    if (res.status === 401 || res.status === 403) return { ok: false, cause: 'auth', status: res.status, message: `the EHR refused the credentials (HTTP ${res.status})` };
    if (res.status >= 500) return { ok: false, cause: 'http', status: res.status, message: `the EHR answered HTTP ${res.status}` };
    return { ok: true, status: res.status };
  });
  const vendorSearch = await attempt(async () => {
    const query: Record<string, string> = { status: 'free', _count: '1' };
    if (ctx.schedule) query.schedule = ctx.schedule;
    const res = await ctx.vendor.request({ path: 'Slot', query });
    if (res.status === 401 || res.status === 403) return { ok: false, cause: 'auth', status: res.status, message: `the vendor refused the credentials (HTTP ${res.status})` };
    if (res.status >= 300) return { ok: false, cause: 'http', status: res.status, message: `the vendor's Slot search answered HTTP ${res.status}` };
    if (res.body?.resourceType !== 'Bundle') return { ok: false, cause: 'not-fhir', status: res.status, message: 'the vendor\'s Slot search did not answer a FHIR Bundle' };
    return { ok: true, status: res.status };
  });
  const cap = capability as CapabilitySummary | undefined;
  const ehrWritable = Boolean(cap?.ok && (cap.resources.Appointment?.interactions.includes('create') || cap.resources.Slot?.interactions.includes('update')));
  const requests = [...ctx.ehr.log.since(ehrMark), ...(ctx.vendor.log === ctx.ehr.log ? [] : ctx.vendor.log.since(vendorMark))];
  return { live: ehrMetadata.ok && ehrAuth.ok && vendorSearch.ok, ehrMetadata, ehrAuth, vendorSearch, capability: cap, ehrWritable, requests };
}
