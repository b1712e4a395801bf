// Loopback EHRs and vendor facades for the coverage tests, and the probe context ehr-check builds for them
// (through the runner's own buildContexts, via test/helpers/run.ts, with real FhirClients and a MemoryLedger).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { coverage } from '../../checks/coverage.js';
import type { ClientOptions } from '../../src/http/types.js';
import type { AuthConfig, Connection, LoadedPlan, Plan } from '../../src/model/plan.js';
import type { Finding } from '../../src/model/report.js';
import { gatherConnectionLive, type LiveEvidence } from '../../src/probes/connection-live.js';
import type { ConnectionContext } from '../../src/context.js';
import { loopback } from '../helpers/loopback.js';
import { contextsFor, testPlan } from '../helpers/run.js';

export const FHIR_PATH = '/fhir/R4';

/** The smallest R4 CapabilityStatement a loopback EHR answers `/metadata` with: Slot read and search. */
export const R4_MINIMAL = {
  resourceType: 'CapabilityStatement',
  status: 'active',
  kind: 'instance',
  fhirVersion: '4.0.1',
  format: ['json'],
  software: { name: 'Loopback EHR' },
  rest: [{ mode: 'server', resource: [{ type: 'Slot', interaction: [{ code: 'read' }, { code: 'search-type' }] }] }],
};

export interface TestServer {
  origin: string;
  /** Request lines as they arrived (`GET /fhir/R4/metadata`), with the Authorization header if any. */
  readonly seen: Array<{ line: string; authorization?: string }>;
  close(): Promise<void>;
}

/** A loopback server (test/helpers/loopback.ts); `handle` returning nothing leaves the request hanging. */
export async function serve(handle: (req: IncomingMessage, res: ServerResponse, url: URL) => void): Promise<TestServer> {
  const box = await loopback((req, res) => handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')));
  return {
    origin: box.origin,
    get seen() {
      return box.seen.map(({ method, url, headers }) => {
        const parsed = new URL(url || '/', 'http://127.0.0.1');
        return { line: `${method} ${parsed.pathname}${parsed.search}`, ...(headers.authorization && { authorization: headers.authorization }) };
      });
    },
    close: () => box.close(),
  };
}

export { closeAll as closeServers } from '../helpers/loopback.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, type = 'application/fhir+json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export const searchset = (resources: unknown[] = []) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
});

export const FREE_SLOT = {
  resourceType: 'Slot',
  id: 'slot-1',
  schedule: { reference: 'Schedule/dr-lee' },
  status: 'free',
  start: '2030-01-07T09:00:00Z',
  end: '2030-01-07T09:20:00Z',
};

export interface EhrOptions {
  /** The /metadata document (sent as JSON), or a raw string body. */
  metadata: unknown;
  /** The /.well-known/smart-configuration document; 404 when absent. */
  smart?: unknown;
  /** Searches need `Authorization: Bearer {token}`; 401 otherwise. */
  bearer?: string;
  /** Every request is answered with this status (and an OperationOutcome). */
  status?: number;
  /** Every request is answered with an HTML sign-in page (200). */
  loginPage?: boolean;
  /** Never answer. */
  hang?: boolean;
  /** Without the bearer token, /metadata answers a sign-in page (200 HTML), as some portals do. */
  metadataBehindLogin?: boolean;
  /** `POST /token` issues this access token to anyone (stands in for the EHR's authorization server). */
  issueToken?: string;
  /** Every request under the FHIR base is answered with a 302 to the same path under this base URL (another origin). */
  redirectTo?: string;
  /** Every request under the FHIR base is answered with a 301 to the same path under this path, on the same origin. */
  movedTo?: string;
  /** Searches are answered 200 with this body instead of a searchset Bundle. */
  searchAnswer?: unknown;
}

export const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/login">Sign in to continue</form></body></html>';

/** An EHR: its CapabilityStatement at /metadata, SMART configuration, and searches answering an empty searchset. */
export function serveEhr(options: EhrOptions): Promise<TestServer> {
  return serve((req, res, url) => {
    if (options.hang) return;
    if (options.loginPage) return sendJson(res, 200, LOGIN_PAGE, 'text/html; charset=utf-8');
    if (options.status) return sendJson(res, options.status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'security', diagnostics: 'refused' }] });
    if (options.issueToken && req.method === 'POST' && url.pathname === '/token') {
      return sendJson(res, 200, { access_token: options.issueToken, token_type: 'Bearer', expires_in: 300 }, 'application/json');
    }
    if (options.redirectTo && url.pathname.startsWith(FHIR_PATH)) return redirect(res, 302, `${options.redirectTo}${url.pathname.slice(FHIR_PATH.length)}${url.search}`);
    const moved = options.movedTo !== undefined && url.pathname.startsWith(options.movedTo);
    if (options.movedTo && !moved) return redirect(res, 301, `${options.movedTo}${url.pathname.slice(FHIR_PATH.length)}${url.search}`);
    const path = url.pathname.slice((moved ? options.movedTo! : FHIR_PATH).length);
    if (path === '/metadata' && options.metadataBehindLogin && req.headers.authorization !== `Bearer ${options.bearer}`) {
      return sendJson(res, 200, LOGIN_PAGE, 'text/html');
    }
    if (path === '/metadata') return sendJson(res, 200, typeof options.metadata === 'string' ? options.metadata : JSON.stringify(options.metadata));
    if (path === '/.well-known/smart-configuration') {
      return options.smart === undefined ? sendJson(res, 404, { error: 'not found' }, 'application/json') : sendJson(res, 200, options.smart, 'application/json');
    }
    if (options.bearer && req.headers.authorization !== `Bearer ${options.bearer}`) {
      return sendJson(res, 401, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'token required' }] });
    }
    sendJson(res, 200, options.searchAnswer ?? searchset());
  });
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location });
  res.end();
}

export interface VendorOptions {
  status?: number;
  loginPage?: boolean;
  hang?: boolean;
  /** Every request is answered with a 302 to the same path under this base URL (another origin). */
  redirectTo?: string;
  /** The Slot search is answered 200 with this body instead of a searchset Bundle. */
  searchAnswer?: unknown;
}

/** The vendor's FHIR facade (DESIGN §5), reduced to what connection-live asks: a Slot search. */
export function serveVendor(options: VendorOptions = {}): Promise<TestServer> {
  return serve((req, res, url) => {
    if (options.hang) return;
    if (options.loginPage) return sendJson(res, 200, LOGIN_PAGE, 'text/html');
    if (options.status) return sendJson(res, options.status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'security', diagnostics: 'refused' }] });
    if (options.redirectTo) return redirect(res, 302, `${options.redirectTo}${url.pathname.slice(FHIR_PATH.length)}${url.search}`);
    if (req.method === 'GET' && url.pathname === `${FHIR_PATH}/Slot`) return sendJson(res, 200, options.searchAnswer ?? searchset([FREE_SLOT]));
    sendJson(res, 404, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: 'unknown path' }] });
  });
}

export const QUICK_CLIENT: Partial<ClientOptions> = { connectTimeoutMs: 1_000, totalTimeoutMs: 1_500, retry: { maxRetries: 0 } };

/** A hand-made plan around these connections, loaded as if from `dir/plan.yaml`. */
export function loadedPlan(connections: Connection[], extra: Partial<Plan> = {}, dir = '/tmp/ehr-check-coverage'): LoadedPlan {
  return testPlan(connections, {
    buyer: { name: 'Coverage test buyer', sites: [] },
    vendorName: 'Coverage test vendor',
    freshness: { trials: 1, timeoutSeconds: 5, realTimeSeconds: 1, nearRealTimeSeconds: 3 },
    file: `${dir}/plan.yaml`,
    extra,
  });
}

export function connection(system: string, ehrBaseUrl: string, vendorBaseUrl: string, ehrAuth: AuthConfig = { type: 'none' }): Connection {
  return {
    system,
    ehr: { fhirBaseUrl: ehrBaseUrl, sandbox: true, auth: ehrAuth },
    vendor: { kind: 'fhir', baseUrl: vendorBaseUrl, auth: { type: 'none' } },
    schedule: 'Schedule/dr-lee',
  };
}

export interface LiveRun {
  live: LiveEvidence;
  finding: Finding;
  ctx: ConnectionContext;
}

/** connection-live for one connection, as the runner gathers and judges it. */
export async function probeOne(conn: Connection, options: { client?: Partial<ClientOptions>; env?: NodeJS.ProcessEnv; dir?: string } = {}): Promise<LiveRun> {
  const { ctx, close } = contextsFor(loadedPlan([conn], {}, options.dir), {
    runId: 'coverage-test',
    allowWrites: false,
    env: options.env ?? {},
    client: options.client ?? QUICK_CLIENT,
  });
  try {
    const live = await gatherConnectionLive(ctx);
    const findings = coverage.judge({
      sites: [],
      connections: [{ key: ctx.key, system: conn.system, live }],
      claimedSystems: [],
      claimedSystemCount: null,
      unknownClaimedNames: [],
      certified: {},
      displayName: (id) => id,
    });
    return { live, finding: findings.find((f) => f.id === 'connection-live')!, ctx };
  } finally {
    await close();
  }
}
