// `ehr-check inspect` end to end: the built CLI against a loopback server that serves each real
// CapabilityStatement (and the SMART configuration published next to it). Needs `npx tsc -p .` first.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_FINDING_IDS } from '../../src/model/report.js';
import { runCli } from '../helpers/cli.js';
import { EXPECTED_MATRIX, methodsOf } from './expected-matrix.js';
import { CAPABILITY_FILES, capabilityText, SMART_FOR, smartText, type CapabilityFile } from './real-world.js';

type Answer = { status: number; type: string; body: string };
const json = (body: unknown, status = 200, type = 'application/fhir+json'): Answer => ({ status, type, body: typeof body === 'string' ? body : JSON.stringify(body) });

// Each server lives under its own path prefix: /<name>/metadata, /<name>/.well-known/smart-configuration.
const routes = new Map<string, Answer>();
for (const file of CAPABILITY_FILES) {
  const name = file.replace(/\.json$/, '');
  routes.set(`/${name}/metadata`, json(capabilityText(file)));
  const smart = SMART_FOR[file];
  if (smart) routes.set(`/${name}/.well-known/smart-configuration`, json(smartText(smart), 200, 'application/json'));
}
routes.set('/login/metadata', { status: 200, type: 'text/html', body: '<!DOCTYPE html><html><body>Sign in</body></html>' });
routes.set('/broken/metadata', json({ resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'database down' }] }, 500));
routes.set('/outcome/metadata', json({ resourceType: 'OperationOutcome', issue: [] }));
routes.set('/hostile/metadata', json({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', software: { name: 'Evil\u001b[2J\u001b[31mEHR' } }));

const TOKEN = 'inspect-test-token-5d1e07';
let server: Server;
let origin: string;
const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    seen.push({ url: path, headers: req.headers });
    if (path.startsWith('/secure/')) {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }));
        return;
      }
    }
    const answer = routes.get(path.replace(/^\/secure/, '')) ?? json({ resourceType: 'OperationOutcome', issue: [] }, 404);
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const baseOf = (file: CapabilityFile) => `${origin}/${file.replace(/\.json$/, '')}`;

describe('ehr-check inspect --json on every real CapabilityStatement', () => {
  it.each(CAPABILITY_FILES.map((f) => [f]))('%s', async (file) => {
    const { code, stdout, stderr } = await runCli(['inspect', baseOf(file), '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(Object.keys(out.findings)).toEqual([...ALL_FINDING_IDS]);
    expect(methodsOf(out.findings)).toEqual(EXPECTED_MATRIX[file]);
    for (const id of ALL_FINDING_IDS) expect(out.findings[id]).toEqual({ method: expect.any(String), reason: expect.any(String), via: expect.any(Array) });
    expect(out.smart.found).toBe(SMART_FOR[file] !== undefined);
    expect(out.url).toBe(baseOf(file));
  }, 30_000);

  it('reports the facts: FHIR version, software, US Core, SMART token endpoint', async () => {
    const epic = JSON.parse((await runCli(['inspect', baseOf('epic-jefferson-health-r4.json'), '--json'])).stdout);
    expect(epic).toMatchObject({
      fhirVersion: '4.0.1',
      release: 'R4',
      r4: true,
      software: { name: 'Epic', version: 'February 2026', releaseDate: '2026-05-28' },
      usCoreVersion: '6.1.0',
      subscriptions: { resource: false, channelTypes: [], topicBased: false, topics: [] },
      smart: { ok: true, found: true, tokenEndpoint: 'https://fhir.jefferson.edu/FHIRProxy/oauth2/token', backendServices: true },
    });
    expect(epic.identifierSearch).toContain('Appointment');

    const veradigm = JSON.parse((await runCli(['inspect', baseOf('veradigm-fhir-r4.json'), '--json'])).stdout);
    expect(veradigm.usCoreVersion).toBe('3.1.1');
    expect(veradigm.smart.quirks).toContain('token auth methods only under the non-standard key token_endpoint_auth_methods');

    const dstu2 = JSON.parse((await runCli(['inspect', baseOf('epic-ardent-dstu2.json'), '--json'])).stdout);
    expect(dstu2).toMatchObject({ fhirVersion: '1.0.2', release: 'DSTU2', r4: false, problem: 'not FHIR R4: a DSTU2 Conformance (fhirVersion 1.0.2)' });
    expect(dstu2.smart).toMatchObject({ found: false, problem: 'no SMART configuration (HTTP 404)' });
  }, 30_000);

  it('prints the table: facts, one row per finding with its method, and a count', async () => {
    const { code, stdout } = await runCli(['inspect', baseOf('meditech-greenfield-r4.json')], { env: { COLUMNS: '120' } });
    expect(code).toBe(0);
    expect(stdout).toContain('What can be verified here');
    expect(stdout).toMatch(/FHIR version\s+│ 4\.0\.1 \(R4\)/);
    expect(stdout).toContain('Interoperability Services: US Core STU6 FHIR R4 2.0.0');
    for (const id of ALL_FINDING_IDS) expect(stdout).toMatch(new RegExp(`│ ${id}\\s+│`));
    expect(stdout).toMatch(/│ double-booking-race\s+│ freshness\s+│ impossible/);
    expect(stdout).toContain('13 findings: 8 by API, 3 with an operator, 2 impossible');
    expect(stdout).not.toContain('\u001b['); // NO_COLOR from runCli
  }, 30_000);

  it('shows escape sequences from a hostile server as text', async () => {
    const { code, stdout } = await runCli(['inspect', `${origin}/hostile`]);
    expect(code).toBe(0);
    expect(stdout).toContain('Evil\\x1b[2J\\x1b[31mEHR');
    expect(stdout).not.toContain('\u001b[2J');
  }, 30_000);
});

describe('ehr-check inspect: auth and failures', () => {
  it('sends the bearer token from --token-env and never prints it', async () => {
    const base = `${origin}/secure/oracle-health-millennium-r4`;
    const refused = await runCli(['inspect', base, '--json']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/cannot read .*\/metadata: .*401/);

    const { code, stdout, stderr } = await runCli(['inspect', base, '--json', '--token-env', 'EHR_TOKEN'], { env: { EHR_TOKEN: TOKEN } });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).findings['double-booking-race'].method).toBe('api');
    expect(stdout + stderr).not.toContain(TOKEN);
    expect(seen.some((r) => r.url.startsWith('/secure/') && r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  }, 30_000);

  it('takes the EHR and its auth from a plan connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inspect-plan-'));
    const plan = {
      version: 1,
      buyer: { name: 'Test Buyer', sites: [{ name: 'Main', system: 'oracle-health' }, { name: 'East', system: 'epic' }] },
      vendor: { name: 'Test Vendor' },
      connections: [
        {
          system: 'epic',
          ehr: { fhirBaseUrl: baseOf('epic-jefferson-health-r4.json'), auth: { type: 'none' } },
          vendor: { kind: 'person', channel: { type: 'phone', address: '+1 555 0100' } },
        },
        {
          system: 'oracle-health',
          ehr: { fhirBaseUrl: `${origin}/secure/oracle-health-millennium-r4`, auth: { type: 'bearer', tokenEnv: 'ORACLE_TOKEN' } },
          vendor: { kind: 'fhir', baseUrl: 'http://127.0.0.1:9/fhir', auth: { type: 'none' } },
        },
      ],
    };
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan));
    const oracle = await runCli(['inspect', '--plan', 'plan.json', '--connection', 'oracle-health', '--json'], { cwd: dir, env: { ORACLE_TOKEN: TOKEN } });
    expect(oracle.stderr).toBe('');
    expect(methodsOf(JSON.parse(oracle.stdout).findings)).toEqual(EXPECTED_MATRIX['oracle-health-millennium-r4.json']);
    expect(oracle.stdout).not.toContain(TOKEN);

    const ambiguous = await runCli(['inspect', '--plan', 'plan.json'], { cwd: dir });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('choose one with --connection (epic, oracle-health)');

    const byUrl = await runCli(['inspect', baseOf('epic-jefferson-health-r4.json'), '--plan', 'plan.json', '--json'], { cwd: dir });
    expect(byUrl.code).toBe(0);
    expect(JSON.parse(byUrl.stdout).software.name).toBe('Epic');

    // Per connection, both sides: the FHIR facade changes nothing; a person at a voice line can book (operator)
    // but cannot race the EHR or be polled for a change's arrival.
    const fhirSide = JSON.parse(oracle.stdout);
    expect(fhirSide.vendor.kind).toBe('fhir');
    expect(methodsOf(fhirSide.combined)).toEqual(methodsOf(fhirSide.findings));
    const person = JSON.parse((await runCli(['inspect', '--plan', 'plan.json', '--connection', 'epic', '--json'], { cwd: dir })).stdout);
    expect(person).toMatchObject({ connection: 'epic', vendor: { kind: 'person', address: '+1 555 0100' } });
    expect(person.combined['double-booking-race'].method).toBe('impossible');
    expect(person.combined['ehr-to-vendor-lag'].method).toBe('impossible');
    expect(person.combined['ehr-to-vendor-lag'].reason).toMatch(/through a person/);
    expect(person.vendor.findings['write-lands'].method).toBe('operator');
    expect(person.combined['write-lands'].method).not.toBe('api');
    expect(person.combined['capability-statement']).toEqual(person.findings['capability-statement']);
    const text = await runCli(['inspect', '--plan', 'plan.json', '--connection', 'epic'], { cwd: dir, env: { COLUMNS: '120' } });
    expect(text.stdout).toContain('Vendor on epic: person at +1 555 0100');
    expect(text.stdout).toMatch(/double-booking-race[\s\S]*impossible[\s\S]*vendor impossible/);
  }, 60_000);

  it.each([
    ['an unreachable server', () => 'http://127.0.0.1:9/fhir', /cannot read http:\/\/127\.0\.0\.1:9\/fhir\/metadata: .*could not be reached/],
    ['a sign-in page', () => `${origin}/login`, /cannot read .*\/login\/metadata: .*HTML page/],
    ['a 500 with an OperationOutcome', () => `${origin}/broken`, /cannot read .*\/broken\/metadata: .*500.*database down/],
    ['an OperationOutcome instead of a statement', () => `${origin}/outcome`, /not with a CapabilityStatement \(not a CapabilityStatement: got OperationOutcome\)/],
  ])('%s: clear message, exit 3', async (_label, url, message) => {
    const { code, stdout, stderr } = await runCli(['inspect', url(), '--json']);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
  }, 30_000);

  it.each([
    [['inspect'], /needs the FHIR base URL/],
    [['inspect', 'not a url'], /is not a URL/],
    [['inspect', 'ftp://127.0.0.1/fhir'], /must be http\(s\)/],
    [['inspect', 'http://127.0.0.1:9/fhir', '--token-env', 'EHR_CHECK_UNSET_VAR'], /EHR_CHECK_UNSET_VAR: that environment variable is not set/],
    [['inspect', 'http://127.0.0.1:9/fhir', '--connection', 'epic'], /--connection needs --plan/],
  ])('bad usage %j: exit 2', async (args, message) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  }, 30_000);
});
