// `ehr-check inspect URL`: what can be verified on this EHR. Reads `/metadata` and the SMART configuration,
// plans how each finding can be judged, prints a table or JSON. Exit 3 when the server cannot be read as a
// FHIR server at all; a server that is not R4 is still a result (everything impossible), exit 0.
import { dirname } from 'node:path';
import { wantsColor, type Io } from '../cli/io.js';
import { renderInspection, inspectionJson, type Inspection, type SmartLookup, type VendorSide } from '../capability/inspection.js';
import { planFindingMethods, type FindingMethod } from '../capability/methods.js';
import { readCapabilityStatement, readSmartConfiguration } from '../capability/reader.js';
import { verifiedCapability } from '../capability/verified.js';
import { loadPlan } from '../contracts/load.js';
import { CannotEvaluateError, EXIT, UsageError } from '../errors.js';
import { FhirClient } from '../http/fhir-client.js';
import { redactUrl } from '../http/redact.js';
import { ProbeError } from '../http/types.js';
import type { AuthConfig, VendorEndpoint } from '../model/plan.js';
import { ALL_FINDING_IDS, type FindingId } from '../model/report.js';
import { vendorAddress } from '../vendor/endpoint.js';
import { vendorAbilities } from '../vendor/index.js';
import { bothSides, vendorFindingMethods } from '../vendor/methods.js';
import { verifyUndeclared } from '../ehr/verify-capability.js';
import { connectionKeys } from '../run/connections.js';

export interface InspectOptions {
  url?: string;
  plan?: string;
  connection?: string;
  tokenEnv?: string;
  json?: boolean;
  color?: boolean;
  /** Read the statement only: try no undeclared search. */
  statementOnly?: boolean;
}

interface Target {
  baseUrl: string;
  auth: AuthConfig;
  baseDir: string;
  /** The plan connection's schedule, when the EHR came from a plan. */
  schedule?: string;
  /** The plan connection's key and vendor, when the EHR came from a plan. */
  connection?: { key: string; vendor: VendorEndpoint };
}

export default async function inspectCommand(opts: InspectOptions, io: Io): Promise<number> {
  const target = await resolveTarget(opts, io);
  const client = new FhirClient({ name: 'EHR', baseUrl: target.baseUrl, auth: target.auth, env: io.env, baseDir: target.baseDir });
  const shownUrl = redactUrl(client.baseUrl);
  try {
    const capability = readCapabilityStatement(await readMetadata(client, shownUrl));
    if (capability.resourceType !== 'CapabilityStatement' && capability.resourceType !== 'Conformance') {
      throw new CannotEvaluateError(`${shownUrl}/metadata answered, but not with a CapabilityStatement (${capability.problem})`);
    }
    // Behaviour decides, the statement hints: the undeclared searches a run would need are tried, read-only.
    const verification = capability.ok && !opts.statementOnly ? await verifyUndeclared(client, capability, { schedule: target.schedule ?? (await firstSchedule(client)) }) : undefined;
    const findings = planFindingMethods(verifiedCapability(capability, verification), verification);
    const inspection: Inspection = {
      url: shownUrl,
      capability,
      smart: await readSmart(client),
      findings,
      ...(verification && { verification }),
      ...(target.connection && { vendor: vendorSide(target.connection.key, target.connection.vendor, findings) }),
    };
    if (opts.json) io.out(`${JSON.stringify(inspectionJson(inspection), null, 2)}\n`);
    else io.out(renderInspection(inspection, wantsColor(io, opts.color), terminalWidth(io)));
    return EXIT.ok;
  } finally {
    await client.close();
  }
}

/** The EHR and its auth: from the URL and --token-env, or from a connection of the plan. */
async function resolveTarget(opts: InspectOptions, io: Io): Promise<Target> {
  if (opts.tokenEnv !== undefined && !io.env[opts.tokenEnv]) {
    throw new UsageError(`--token-env ${opts.tokenEnv}: that environment variable is not set`);
  }
  const bearer: AuthConfig | undefined = opts.tokenEnv !== undefined ? { type: 'bearer', tokenEnv: opts.tokenEnv } : undefined;
  if (opts.plan === undefined) {
    if (opts.connection !== undefined) throw new UsageError('--connection needs --plan');
    if (opts.url === undefined) throw new UsageError('inspect needs the FHIR base URL of the EHR, or --plan FILE');
    return { baseUrl: checkedUrl(opts.url), auth: bearer ?? { type: 'none' }, baseDir: io.cwd };
  }
  const loaded = await loadPlan(opts.plan, { cwd: io.cwd });
  const connections = loaded.plan.connections;
  const keys = connectionKeys(connections);
  let index: number;
  if (opts.connection !== undefined) {
    index = keys.indexOf(opts.connection);
    if (index < 0) throw new UsageError(`--connection ${opts.connection}: the plan's connections are ${keys.join(', ')}`);
  } else if (opts.url !== undefined) {
    const wanted = sameUrl(opts.url);
    index = connections.findIndex((c) => sameUrl(c.ehr.fhirBaseUrl) === wanted);
  } else if (connections.length === 1) {
    index = 0;
  } else {
    throw new UsageError(`the plan has ${connections.length} connections: choose one with --connection (${keys.join(', ')})`);
  }
  const connection = connections[index];
  const baseUrl = checkedUrl(opts.url ?? connection!.ehr.fhirBaseUrl);
  // A URL that is none of the plan's EHRs gets no credentials from the plan.
  return {
    baseUrl,
    auth: bearer ?? connection?.ehr.auth ?? { type: 'none' },
    baseDir: dirname(loaded.file),
    ...(connection?.schedule && { schedule: connection.schedule }),
    ...(connection && { connection: { key: keys[index]!, vendor: connection.vendor } }),
  };
}

/** The vendor's side of every finding, from what its kind's channel can do, and both sides together. */
function vendorSide(key: string, vendor: VendorEndpoint, ehr: Record<FindingId, FindingMethod>): VendorSide {
  const findings = vendorFindingMethods(vendorAbilities(vendor), vendor.kind);
  const combined = Object.fromEntries(ALL_FINDING_IDS.map((id) => [id, bothSides(ehr[id], findings[id])!])) as Record<FindingId, FindingMethod>;
  return { connection: key, kind: vendor.kind, address: vendor.kind === 'person' ? vendorAddress(vendor) : redactUrl(vendorAddress(vendor)), findings, combined };
}

function checkedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`"${raw}" is not a URL: give the EHR's FHIR base URL, e.g. https://ehr.example.org/fhir/R4`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`the FHIR base URL must be http(s), not ${url.protocol}`);
  return raw;
}

const sameUrl = (raw: string) => raw.trim().replace(/\/+$/, '').toLowerCase();

async function readMetadata(client: FhirClient, shownUrl: string): Promise<unknown> {
  try {
    return await client.capabilities();
  } catch (error) {
    if (error instanceof ProbeError) throw new CannotEvaluateError(`cannot read ${shownUrl}/metadata: ${error.message}`);
    throw error;
  }
}

/** A schedule to try Slot searches on: the first one the EHR lists, if it lists any. */
async function firstSchedule(client: FhirClient): Promise<string | undefined> {
  const res = await client.request({ path: 'Schedule', query: { _count: '1' } }).catch(() => undefined);
  const id = res && res.status === 200 ? res.body?.entry?.[0]?.resource?.id : undefined;
  return typeof id === 'string' ? `Schedule/${id}` : undefined;
}

/** The SMART configuration is optional: its absence is shown, not fatal. */
async function readSmart(client: FhirClient): Promise<SmartLookup> {
  const missing = (problem: string): SmartLookup => ({ ...readSmartConfiguration(undefined), problem, found: false });
  try {
    const res = await client.request({ path: '.well-known/smart-configuration', expectJson: false });
    if (res.status < 200 || res.status >= 300) return missing(`no SMART configuration (HTTP ${res.status})`);
    if (res.body === undefined || typeof res.body !== 'object') return missing('the SMART configuration is not JSON');
    return { ...readSmartConfiguration(res.body), found: true };
  } catch (error) {
    if (error instanceof ProbeError) return missing(`SMART configuration unreadable: ${error.message}`);
    throw error;
  }
}

function terminalWidth(io: Io): number {
  const columns = Number(io.env.COLUMNS) || (io.stdoutIsTTY ? process.stdout.columns : 0) || 110;
  return Math.max(80, Math.min(columns, 160));
}
