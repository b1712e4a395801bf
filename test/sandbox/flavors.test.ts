// Each flavor's /metadata is an R4 CapabilityStatement that tells the truth: what it lists works, and
// what it leaves out is refused (405 for an interaction, 404 for a resource type) with an OperationOutcome.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAVORS, startSandbox, type Flavor, type RunningSandbox } from '../../fixtures/sandbox/index.js';
import { REAL_WORLD } from '../helpers/paths.js';
import { booking, call } from './client.js';

const sandboxes = {} as Record<Flavor, RunningSandbox>;
beforeAll(async () => {
  for (const flavor of FLAVORS) sandboxes[flavor] = await startSandbox({ flavor, seed: 11 });
});
afterAll(() => Promise.all(Object.values(sandboxes).map((s) => s.close())));

const metadata = async (flavor: Flavor) => (await call(`${sandboxes[flavor].fhirBaseUrl}/metadata`)).body;
const interactions = (statement: any, type: string): string[] =>
  statement.rest[0].resource.find((r: any) => r.type === type)?.interaction.map((i: any) => i.code) ?? [];
const realStatement = (file: string) => JSON.parse(readFileSync(join(REAL_WORLD, 'capability', file), 'utf8'));

describe.each(FLAVORS)('%s flavor /metadata', (flavor) => {
  it('is an R4 CapabilityStatement naming the flavor, with a token endpoint that is really on this server', async () => {
    const statement = await metadata(flavor);
    expect(statement.resourceType).toBe('CapabilityStatement');
    expect(statement.fhirVersion).toBe('4.0.1');
    expect(statement.kind).toBe('instance');
    expect(statement.software.name).toBe(`ehr-check sandbox — ${flavor} flavor`);
    expect(statement.implementation.url).toBe(sandboxes[flavor].fhirBaseUrl);
    expect(statement.instantiates.some((c: string) => c.startsWith('http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server'))).toBe(true);
    const oauth = statement.rest[0].security.extension.find((e: any) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(oauth.extension.find((e: any) => e.url === 'token').valueUri).toBe(sandboxes[flavor].tokenUrl);
  });

  it('answers every read and search it lists, and refuses every interaction it leaves out', async () => {
    const statement = await metadata(flavor);
    const base = sandboxes[flavor].fhirBaseUrl;
    for (const resource of statement.rest[0].resource) {
      const listed = resource.interaction.map((i: any) => i.code);
      const search = await call(`${base}/${resource.type}?_count=1`);
      if (listed.includes('search-type') && !(flavor === 'oracle' && resource.type === 'Slot')) expect(search.status, `${resource.type} search`).toBe(200);
      if (!listed.includes('search-type')) expect(search.status, `${resource.type} search`).toBe(405);
      if (!listed.includes('create')) {
        const create = await call(`${base}/${resource.type}`, { method: 'POST', body: { resourceType: resource.type } });
        expect(create.status, `${resource.type} create`).toBe(405);
        expect(create.body.resourceType).toBe('OperationOutcome');
      }
      if (!listed.includes('delete')) expect((await call(`${base}/${resource.type}/x`, { method: 'DELETE' })).status).toBe(405);
      for (const param of resource.searchParam ?? []) expect(typeof param.type, `${resource.type}.${param.name}`).toBe('string');
    }
    const listedTypes = statement.rest[0].resource.map((r: any) => r.type);
    for (const type of ['Slot', 'Schedule', 'Appointment', 'Subscription', 'Observation'].filter((t) => !listedTypes.includes(t))) {
      const answer = await call(`${base}/${type}?_count=1`);
      expect(answer.status, type).toBe(404);
      expect(answer.body.resourceType).toBe('OperationOutcome');
    }
  });

  it('publishes a SMART configuration whose token endpoint is this server', async () => {
    const config = (await call(`${sandboxes[flavor].fhirBaseUrl}/.well-known/smart-configuration`)).body;
    expect(config.token_endpoint).toBe(sandboxes[flavor].tokenUrl);
    expect(config.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(config.grant_types_supported).toContain('client_credentials');
  });
});

describe('flavor quirks, modelled on the real statements', () => {
  it('epic: Appointment is read/search only, as in Epic’s R4 statement; booking goes through the staff console', async () => {
    const real = realStatement('epic-jefferson-health-r4.json');
    expect(interactions(real, 'Appointment').sort()).toEqual(interactions(await metadata('epic'), 'Appointment').sort());
    expect(interactions(await metadata('epic'), 'Slot')).toEqual([]);
    const epic = sandboxes.epic;
    const post = await call(`${epic.fhirBaseUrl}/Appointment`, { method: 'POST', body: booking({ id: 'x' }, epic.seeded.patientIds[0]) });
    expect(post.status).toBe(405);
    expect((await call(`${epic.fhirBaseUrl}/Slot?schedule=Schedule/dr-lee`)).status).toBe(404);
    const free = (await call(`${epic.staffUrl}/slots?schedule=Schedule/${epic.seeded.scheduleIds[0]}&status=free`)).body;
    const made = await call(`${epic.staffUrl}/appointments`, { method: 'POST', body: { slot: `Slot/${free[0].id}`, patient: `Patient/${epic.seeded.patientIds[0]}` } });
    expect(made.status).toBe(201);
    const seen = await call(`${epic.fhirBaseUrl}/Appointment?slot=Slot/${free[0].id}`);
    expect(seen.body.total).toBe(1);
  });

  it('oracle: a Slot search without a start range is refused with 400 and an OperationOutcome', async () => {
    const base = sandboxes.oracle.fhirBaseUrl;
    const bare = await call(`${base}/Slot?schedule=Schedule/dr-lee`);
    expect(bare.status).toBe(400);
    expect(bare.body.resourceType).toBe('OperationOutcome');
    const from = new Date().toISOString().slice(0, 10);
    const to = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const ranged = await call(`${base}/Slot?schedule=Schedule/dr-lee&start=ge${from}&start=lt${to}`);
    expect(ranged.status).toBe(200);
    expect(ranged.body.total).toBeGreaterThan(0);
    const statement = await metadata('oracle');
    expect(interactions(statement, 'Appointment')).toEqual(expect.arrayContaining(['create', 'update', 'search-type']));
    expect(interactions(statement, 'Slot')).not.toContain('update');
  });

  it('athena: no Slot, as in athenahealth’s statement, and the non-standard SMART key alongside the standard one', async () => {
    const real = realStatement('athenahealth-athenaone-r4.json');
    const types = (s: any) => s.rest[0].resource.map((r: any) => r.type);
    expect(types(real)).not.toContain('Slot');
    expect(types(await metadata('athena'))).not.toContain('Slot');
    expect(interactions(await metadata('athena'), 'Appointment').sort()).toEqual(interactions(real, 'Appointment').sort());
    const config = (await call(`${sandboxes.athena.fhirBaseUrl}/.well-known/smart-configuration`)).body;
    expect(config.token_endpoint_auth_methods).toEqual(config.token_endpoint_auth_methods_supported);
  });

  it('ecw: no Appointment at all', async () => {
    expect(interactions(await metadata('ecw'), 'Appointment')).toEqual([]);
    expect((await call(`${sandboxes.ecw.fhirBaseUrl}/Appointment?patient=Patient/x`)).status).toBe(404);
    expect((await call(`${sandboxes.ecw.fhirBaseUrl}/Patient?identifier=urn:ehr-check:sandbox-mrn|MRN-11-1001`)).body.total).toBe(1);
  });

  it('refuses search parameters it does not list instead of ignoring them', async () => {
    const base = sandboxes.generic.fhirBaseUrl;
    expect((await call(`${base}/Appointment?_include=Appointment:patient`)).status).toBe(400);
    expect((await call(`${base}/Slot?schedule.actor=Practitioner/dr-lee`)).status).toBe(400);
    expect((await call(`${base}/Slot?colour=blue`)).status).toBe(400);
  });
});
