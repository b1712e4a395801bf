// Evidence for `connection-live`: do the EHR and the vendor answer, authenticate and speak FHIR R4?
// Each part records why it failed as a cause a buyer can act on; the check decides what the cause means.
import { readCapabilityStatement, readSmartConfiguration, type CapabilitySummary } from '../capability/reader.js';
import { searchsetProblem } from '../http/searchset.js';
import type { AuthConfig } from '../model/plan.js';
import type { RequestRecord } from '../model/report.js';
import type { ConnectionContext } from '../context.js';
import { describeError } from '../evidence.js';

/**
 * Why a part failed. `dns`, `connect`, `tls`, `timeout`: no answer could be had. `auth`: credentials refused
 * (401/403, or no token). `not-fhir`: an answer, but not FHIR (an HTML login page, plain JSON). `wrong-version`:
 * FHIR, but not R4. `smart-config`: the SMART configuration the auth needs is missing or unusable.
 * `not-searchset`: a search answered 2xx with something other than a searchset Bundle (no working API there).
 * `cross-origin`: the answer came from another origin after a redirect (the credentials never went there).
 * Other client error kinds (`http`, `too-large`, `redirect`, `rate-limited`, `config`) pass through as they are.
 */
export type LiveCause =
  | 'dns'
  | 'connect'
  | 'tls'
  | 'timeout'
  | 'auth'
  | 'not-fhir'
  | 'wrong-version'
  | 'smart-config'
  | 'not-searchset'
  | 'cross-origin'
  | (string & {});

export interface EndpointCheck {
  ok: boolean;
  cause?: LiveCause;
  message?: string;
  status?: number;
  /** The client's own error kind, when it was folded into a broader cause (`login-page` → `not-fhir`). */
  kind?: string;
  /** Not tried, because an earlier part already showed the server cannot be reached. */
  skipped?: boolean;
  /** What the vendor's reading found (a feed's conformance: counts, extensions, references). */
  detail?: Record<string, unknown>;
  /** Flaws a client can work around: the part is live, and the finding warns. */
  warnings?: string[];
}

/** The EHR's `/.well-known/smart-configuration`, read when the connection's auth discovers its token endpoint there. */
export interface SmartCheck extends EndpointCheck {
  neededBy: 'backend-services' | 'client-credentials';
  tokenEndpoint?: string;
  grantTypes: string[];
  tokenAuthMethods: string[];
  signingAlgs: string[];
  quirks: string[];
}

export interface LiveEvidence {
  live: boolean;
  ehrMetadata: EndpointCheck & { fhirVersion?: string; software?: string };
  /** Present only when the EHR auth needs SMART discovery (backend-services or client-credentials without tokenUrl). */
  smartConfiguration?: SmartCheck;
  ehrAuth: EndpointCheck;
  vendorSearch: EndpointCheck;
  /** What the EHR declares it supports: decides which probes can run and how. */
  capability?: CapabilitySummary;
  /** Whether the EHR lets the probes write (Appointment create or Slot update); read-only otherwise. */
  ehrWritable: boolean;
  requests: RequestRecord[];
}

/** Causes that mean no answer came back at all: later parts against the same server are not tried. */
const NO_ANSWER = new Set(['dns', 'connect', 'tls', 'timeout']);
/** Client error kinds that are all "this is not a FHIR server answering". */
const NOT_FHIR_KINDS = new Set(['login-page', 'not-json', 'not-fhir']);

async function attempt<T extends EndpointCheck>(run: () => Promise<T>): Promise<T | EndpointCheck> {
  try {
    return await run();
  } catch (error) {
    const e = describeError(error);
    if (NOT_FHIR_KINDS.has(e.kind)) return { ok: false, cause: 'not-fhir', kind: e.kind, message: e.message };
    return { ok: false, cause: e.kind, message: e.message };
  }
}

const notTried = (what: string, after: EndpointCheck): EndpointCheck => ({
  ok: false,
  skipped: true,
  cause: after.cause,
  message: `not tried: ${what} could not be reached`,
});

export async function gatherConnectionLive(ctx: ConnectionContext): Promise<LiveEvidence> {
  const ehrMark = ctx.ehr.log.records.length;
  const vendorMark = ctx.vendor.log.records.length;
  let capability: CapabilitySummary | undefined;
  const ehrMetadata = await attempt(async () => {
    capability = readCapabilityStatement(await readMetadata(ctx));
    if (!capability.ok) {
      const fhirShaped = capability.resourceType === 'CapabilityStatement' || capability.resourceType === 'Conformance';
      return { ok: false, cause: fhirShaped ? 'wrong-version' : 'not-fhir', message: capability.problem };
    }
    return { ok: true, fhirVersion: capability.fhirVersion, software: capability.software?.name };
  });
  const ehrUnreachable = NO_ANSWER.has(ehrMetadata.cause ?? '');

  const neededBy = smartNeededBy(ctx.connection.ehr.auth);
  let smartConfiguration: SmartCheck | undefined;
  if (neededBy) {
    smartConfiguration = ehrUnreachable
      ? { ...notTried('the EHR', ehrMetadata), ...emptySmart(neededBy) }
      : await readSmart(ctx, ctx.connection.ehr.auth, neededBy);
  }

  // Authentication is proven by an authorised read, not by the metadata call (which is usually open).
  // Any search the EHR declares will do; only 401/403 (or no token) says the credentials do not work.
  const searchable = (['Slot', 'Schedule', 'Appointment', 'Patient'] as const).find((t) =>
    (capability as CapabilitySummary | undefined)?.resources[t]?.interactions.includes('search-type'),
  );
  const ehrAuth = ehrUnreachable
    ? notTried('the EHR', ehrMetadata)
    : await attempt(async () => {
        const res = await ctx.ehr.request({ path: searchable ?? 'Patient', query: { _count: '1' } });
        if (res.status === 401 || res.status === 403) return { ok: false, cause: 'auth', status: res.status, message: `the EHR refused the credentials (HTTP ${res.status})` };
        if (res.status >= 500) return { ok: false, cause: 'http', status: res.status, message: `the EHR answered HTTP ${res.status}` };
        // A refusal for want of parameters (4xx) still shows the credentials were taken; a 2xx must be a searchset.
        const problem = res.status < 300 ? searchsetProblem(res.body) : undefined;
        if (problem) return { ok: false, cause: 'not-searchset', status: res.status, message: `the EHR's ${searchable ?? 'Patient'} search answered ${problem}` };
        return { ok: true, status: res.status };
      });

  const vendorSearch = await attempt(() => ctx.vendor.liveness(ctx.schedule));

  const cap = capability as CapabilitySummary | undefined;
  const ehrWritable = Boolean(cap?.ok && (cap.resources.Appointment?.interactions.includes('create') || cap.resources.Slot?.interactions.includes('update')));
  const requests = [...ctx.ehr.log.since(ehrMark), ...(ctx.vendor.log === ctx.ehr.log ? [] : ctx.vendor.log.since(vendorMark))];
  const live = ehrMetadata.ok && (smartConfiguration?.ok ?? true) && ehrAuth.ok && vendorSearch.ok;
  return {
    live,
    ehrMetadata,
    ...(smartConfiguration && { smartConfiguration }),
    ehrAuth,
    vendorSearch,
    capability: cap,
    ehrWritable,
    requests,
  };
}

/**
 * `/metadata` is open on FHIR servers: read it without credentials, so "does it speak R4" is not muddled with
 * "does the token work". A server that refuses an anonymous read (401, or a sign-in page) gets the credentials.
 */
async function readMetadata(ctx: ConnectionContext): Promise<unknown> {
  if (ctx.connection.ehr.auth.type === 'none') return ctx.ehr.capabilities();
  try {
    const res = await ctx.ehr.request({ path: 'metadata', headers: { authorization: '' } });
    if (res.status >= 200 && res.status < 300 && res.body !== undefined) return res.body;
  } catch (error) {
    // No answer at all is the answer: asking again with a token would only wait as long again (or be sent away again).
    const kind = describeError(error).kind;
    if (NO_ANSWER.has(kind) || kind === 'cross-origin') throw error;
  }
  return ctx.ehr.capabilities();
}

/** The auth schemes that find their token endpoint through SMART discovery, when the plan gives no tokenUrl. */
export function smartNeededBy(auth: AuthConfig): SmartCheck['neededBy'] | undefined {
  if ((auth.type === 'backend-services' || auth.type === 'client-credentials') && !auth.tokenUrl) return auth.type;
  return undefined;
}

function emptySmart(neededBy: SmartCheck['neededBy']) {
  return { neededBy, grantTypes: [], tokenAuthMethods: [], signingAlgs: [], quirks: [] };
}

async function readSmart(ctx: ConnectionContext, auth: AuthConfig, neededBy: SmartCheck['neededBy']): Promise<SmartCheck> {
  const empty = emptySmart(neededBy);
  const broken = (message: string, status?: number): SmartCheck => ({ ok: false, cause: 'smart-config', message, ...(status !== undefined && { status }), ...empty });
  try {
    // The configuration is public: an empty Authorization keeps the client from fetching a token first.
    const res = await ctx.ehr.request({ path: '.well-known/smart-configuration', expectJson: false, headers: { authorization: '' } });
    if (res.status < 200 || res.status >= 300) return broken(`no SMART configuration at .well-known/smart-configuration (HTTP ${res.status})`, res.status);
    if (res.body === null || typeof res.body !== 'object' || Array.isArray(res.body)) return broken('the SMART configuration is not a JSON object', res.status);
    const summary = readSmartConfiguration(res.body);
    const signingAlgs = stringsOf((res.body as Record<string, unknown>).token_endpoint_auth_signing_alg_values_supported);
    const facts = {
      neededBy,
      ...(summary.tokenEndpoint !== undefined && { tokenEndpoint: summary.tokenEndpoint }),
      grantTypes: summary.grantTypes,
      tokenAuthMethods: summary.tokenAuthMethods,
      signingAlgs,
      quirks: summary.quirks,
    };
    const problem = summary.ok ? smartProblem(facts, auth) : summary.problem;
    return problem === undefined ? { ok: true, status: res.status, ...facts } : { ok: false, cause: 'smart-config', status: res.status, message: problem, ...facts };
  } catch (error) {
    const e = describeError(error);
    return { ok: false, cause: NOT_FHIR_KINDS.has(e.kind) ? 'smart-config' : e.kind, message: e.message, ...empty };
  }
}

/** What in a readable SMART configuration rules out the plan's auth; lists a server leaves out are not held against it. */
export function smartProblem(smart: Pick<SmartCheck, 'grantTypes' | 'tokenAuthMethods' | 'signingAlgs'>, auth: AuthConfig): string | undefined {
  const listed = (values: string[]) => values.map((v) => v.toLowerCase());
  const grants = listed(smart.grantTypes);
  const methods = listed(smart.tokenAuthMethods);
  if (grants.length > 0 && !grants.includes('client_credentials')) {
    return `grant_types_supported does not include client_credentials (it lists ${smart.grantTypes.join(', ')})`;
  }
  if (auth.type === 'backend-services') {
    if (methods.length > 0 && !methods.includes('private_key_jwt')) {
      return `the token endpoint does not accept private_key_jwt client authentication (it lists ${smart.tokenAuthMethods.join(', ')})`;
    }
    const algs = listed(smart.signingAlgs);
    if (algs.length > 0 && !algs.includes(auth.alg.toLowerCase())) {
      return `the token endpoint does not accept ${auth.alg} client assertions (it lists ${smart.signingAlgs.join(', ')})`;
    }
  }
  if (auth.type === 'client-credentials' && methods.length > 0 && !methods.some((m) => m === 'client_secret_basic' || m === 'client_secret_post')) {
    return `the token endpoint accepts no client secret (it lists ${smart.tokenAuthMethods.join(', ')})`;
  }
  return undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? [...new Set(value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))] : [];
}
