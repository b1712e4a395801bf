import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapabilityStatement, releaseOf, searchable, supports, type CapabilitySummary } from '../../src/capability/reader.js';
import { REAL_WORLD } from '../helpers/paths.js';
import { CAPABILITY_FILES, capabilityText, loadCapability } from './real-world.js';

const read = (file: string): CapabilitySummary => readCapabilityStatement(loadCapability(file));

describe('readCapabilityStatement on every real statement', () => {
  it('knows every file of real-world/capability', () => {
    expect([...readdirSync(join(REAL_WORLD, 'capability'))].sort()).toEqual([...CAPABILITY_FILES].sort());
  });

  it('accepts the ten R4 statements and refuses the DSTU2 and STU3 ones', () => {
    const verdicts = Object.fromEntries(CAPABILITY_FILES.map((f) => [f, read(f).ok]));
    expect(Object.entries(verdicts).filter(([, ok]) => !ok).map(([f]) => f)).toEqual([
      'epic-advantagecare-stu3.json',
      'epic-ardent-dstu2.json',
    ]);
    for (const f of CAPABILITY_FILES) if (verdicts[f]) expect(read(f)).toMatchObject({ release: 'R4', fhirVersion: '4.0.1' });
  });

  it('Epic Jefferson: Appointment read and search only, no Slot, US Core 6.1.0', () => {
    const cap = read('epic-jefferson-health-r4.json');
    expect(cap.software).toEqual({ name: 'Epic', version: 'February 2026', releaseDate: '2026-05-28' });
    expect(cap.usCoreVersion).toBe('6.1.0');
    expect(Object.keys(cap.resources)).toHaveLength(59);
    expect(cap.resources.Appointment?.interactions).toEqual(['read', 'search-type']);
    expect(supports(cap, 'Appointment', 'create')).toBe(false);
    expect(cap.resources.Slot).toBeUndefined();
    expect(cap.resources.Schedule).toBeUndefined();
    for (const p of ['identifier', 'patient', 'date', 'slot']) expect(searchable(cap, 'Appointment', p)).toBe(true);
    expect(supports(cap, 'Patient', 'create')).toBe(true);
    expect(cap.security.oauth).toEqual({
      authorize: 'https://fhir.jefferson.edu/FHIRProxy/oauth2/authorize',
      token: 'https://fhir.jefferson.edu/FHIRProxy/oauth2/token',
    });
    expect(cap.security.services).toEqual(['OAuth', 'SMART-on-FHIR', 'Basic']);
    expect(cap.identifierSearch).toContain('Appointment');
    expect(cap.lastUpdatedSearch).toEqual([]);
  });

  it('Oracle Health Millennium (secure): Slot search and patch, Appointment create, SMART oauth-uris', () => {
    const cap = read('oracle-health-millennium-r4.json');
    expect(cap.publisher).toBe('Oracle Health');
    expect(cap.software).toBeUndefined();
    expect(supports(cap, 'Slot', 'search-type')).toBe(true);
    expect(supports(cap, 'Slot', 'patch')).toBe(true);
    expect(supports(cap, 'Slot', 'update')).toBe(false);
    expect(searchable(cap, 'Slot', 'schedule.actor')).toBe(true);
    expect(searchable(cap, 'Slot', 'start')).toBe(true);
    expect(searchable(cap, 'Slot', 'status')).toBe(false);
    expect(supports(cap, 'Appointment', 'create')).toBe(true);
    expect(searchable(cap, 'Appointment', 'identifier')).toBe(false);
    expect(searchable(cap, 'Appointment', 'patient') && searchable(cap, 'Appointment', 'date')).toBe(true);
    expect(cap.security.smartOnFhir).toBe(true);
    expect(cap.security.oauth.token).toBe(
      'https://authorization.cerner.com/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d/hosts/fhir-ehr-code.cerner.com/protocols/oauth2/profiles/smart-v1/token',
    );
    expect(cap.security.oauth.manage).toMatch(/my-authorizations$/);
    expect(cap.usCoreDeclared).toBe(true);
    expect(cap.usCoreVersion).toBeUndefined();
    expect(cap.lastUpdatedSearch).toContain('Observation');
  });

  it('Oracle Health Millennium (open): no security block, no writes', () => {
    const cap = read('oracle-health-millennium-open-r4.json');
    expect(cap.security).toEqual({ smartOnFhir: false, services: [], oauth: {} });
    expect(supports(cap, 'Slot', 'search-type')).toBe(true);
    expect(supports(cap, 'Slot', 'patch')).toBe(false);
    expect(supports(cap, 'Appointment', 'create')).toBe(false);
    expect(Object.keys(cap.resources)).toHaveLength(42);
  });

  it('athenahealth: reads the oauth-uris extension under its http://DSTU2/ URL, US Core 6.1.0 (highest of two)', () => {
    const cap = read('athenahealth-athenaone-r4.json');
    expect(cap.security.oauth).toEqual({
      authorize: 'https://api.platform.athenahealth.com/oauth2/v1/authorize',
      token: 'https://api.platform.athenahealth.com/oauth2/v1/token',
    });
    expect(cap.quirks.join()).toContain('http://DSTU2/fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    expect(cap.usCoreVersion).toBe('6.1.0');
    expect(cap.resources.Appointment?.interactions).toEqual(['read', 'search-type']);
    // rest.searchParam is server-wide: _security reaches every type.
    expect(cap.resources.Appointment?.searchParams).toContain('_security');
    expect(searchable(cap, 'Appointment', 'identifier')).toBe(false);
    expect(searchable(cap, 'Appointment', 'patient')).toBe(false);
    expect(cap.resources.Slot).toBeUndefined();
    expect(cap.identifierSearch).toEqual(['Patient', 'Practitioner']);
    expect(cap.lastUpdatedSearch).toContain('Patient');
    expect(cap.formats).toContain('application/fhir+json');
  });

  it('eClinicalWorks, NextGen (both), Veradigm, CareEvolution: no Appointment at all', () => {
    for (const f of [
      'eclinicalworks-fhir-facade-r4.json',
      'nextgen-enterprise-r4.json',
      'nextgen-office-r4.json',
      'veradigm-fhir-r4.json',
      'careevolution-hiebus-r4.json',
    ]) {
      const cap = read(f);
      expect(cap.ok, f).toBe(true);
      expect(cap.resources.Appointment, f).toBeUndefined();
      expect(cap.resources.Slot, f).toBeUndefined();
      expect(searchable(cap, 'Patient', 'identifier'), f).toBe(true);
    }
  });

  it('eClinicalWorks: software, unversioned US Core, SMART token endpoint', () => {
    const cap = read('eclinicalworks-fhir-facade-r4.json');
    expect(cap.software).toEqual({ name: 'eCW FHIR Facade', version: '1.6' });
    expect(cap.usCoreDeclared).toBe(true);
    expect(cap.usCoreVersion).toBeUndefined();
    expect(cap.security.oauth.token).toBe('https://oauthserver.eclinicalworks.com/oauth/oauth2/token');
    expect(cap.lastUpdatedSearch).toEqual([]);
  });

  it('Veradigm: US Core 3.1.1 from implementationGuide', () => {
    const cap = read('veradigm-fhir-r4.json');
    expect(cap.usCoreVersion).toBe('3.1.1');
    expect(cap.software).toEqual({ name: 'Veradigm FHIR', version: '4.22.0.1', releaseDate: '2026-05-07' });
    expect(cap.security.oauth.token).toBe(
      'https://fhir.fhirpoint.open.allscripts.com/fhirroute/authorizationV2/CP00101/connect/token',
    );
  });

  it('NextGen: Enterprise allows _lastUpdated on Patient, Office is HAPI with publisher "Not provided"', () => {
    const enterprise = read('nextgen-enterprise-r4.json');
    expect(enterprise.software).toEqual({ name: 'Nextgen FHIR Server', version: '5.0.1.698' });
    expect(enterprise.lastUpdatedSearch).toContain('Patient');
    expect(enterprise.formats).toEqual(['application/fhir+json']);
    const office = read('nextgen-office-r4.json');
    expect(office.software).toEqual({ name: 'HAPI FHIR Server', version: '5.7.0' });
    expect(office.publisher).toBe('Not provided');
    expect(office.security.oauth.token).toMatch(/^https:\/\/idp-prod\.prod\.ngo\.nextgenaws\.net\/.*\/token$/);
  });

  it('MEDITECH: Appointment by patient and date, registration endpoint, US Core named without a version', () => {
    const cap = read('meditech-greenfield-r4.json');
    expect(searchable(cap, 'Appointment', 'patient') && searchable(cap, 'Appointment', 'date')).toBe(true);
    expect(searchable(cap, 'Appointment', 'identifier')).toBe(false);
    expect(cap.security.oauth.register).toBe('https://greenfield-prod-apis.meditech.com/oauth/register');
    expect(cap.usCoreDeclared).toBe(true);
    expect(cap.usCoreVersion).toBeUndefined();
  });

  it('CareEvolution (400 KB): full CRUD, an R4 Subscription resource, no topics', () => {
    expect(capabilityText('careevolution-hiebus-r4.json').length).toBeGreaterThan(400_000);
    const cap = read('careevolution-hiebus-r4.json');
    expect(cap.software).toEqual({ name: 'HIEBus', version: '30.0.0' });
    expect(Object.keys(cap.resources)).toHaveLength(40);
    expect(cap.subscriptions).toEqual({ resource: true, channelTypes: [], topicBased: false, topics: [] });
    for (const i of ['create', 'read', 'update', 'delete', 'search-type']) expect(supports(cap, 'Patient', i)).toBe(true);
    expect(cap.resources.Patient?.conditionalDelete).toBe('not-supported');
    expect(cap.usCoreDeclared).toBe(false);
  });

  it('no real statement advertises topic-based subscriptions', () => {
    for (const f of CAPABILITY_FILES) expect(read(f).subscriptions.topicBased, f).toBe(false);
  });

  it('Epic STU3: not FHIR R4, with what it is', () => {
    const cap = read('epic-advantagecare-stu3.json');
    expect(cap).toMatchObject({ ok: false, release: 'STU3', fhirVersion: '3.0.1', resourceType: 'CapabilityStatement' });
    expect(cap.problem).toBe('not FHIR R4: an STU3 CapabilityStatement (fhirVersion 3.0.1)');
    expect(cap.resources.Slot?.interactions).toEqual(['read']);
  });

  it('Epic DSTU2: a Conformance is not FHIR R4', () => {
    const cap = read('epic-ardent-dstu2.json');
    expect(cap).toMatchObject({ ok: false, release: 'DSTU2', resourceType: 'Conformance' });
    expect(cap.problem).toBe('not FHIR R4: a DSTU2 Conformance (fhirVersion 1.0.2)');
    expect(cap.software?.version).toBe('8.8.0.1');
  });
});

describe('readCapabilityStatement on broken or foreign documents', () => {
  it.each([
    [null, 'not a FHIR resource: expected a JSON CapabilityStatement'],
    ['<html>login</html>', 'not a FHIR resource: expected a JSON CapabilityStatement'],
    [[], 'not a FHIR resource: expected a JSON CapabilityStatement'],
    [{ fhirVersion: '4.0.1' }, 'not a FHIR resource: no resourceType'],
    [{ resourceType: 'OperationOutcome', issue: [] }, 'not a CapabilityStatement: got OperationOutcome'],
    [{ resourceType: 'CapabilityStatement' }, 'not FHIR R4: no fhirVersion'],
    [{ resourceType: 'CapabilityStatement', fhirVersion: '5.0.0' }, 'not FHIR R4: an R5 CapabilityStatement (fhirVersion 5.0.0)'],
    [{ resourceType: 'CapabilityStatement', fhirVersion: '4.3.0' }, 'not FHIR R4: an R4B CapabilityStatement (fhirVersion 4.3.0)'],
    [{ resourceType: 'Conformance' }, 'not FHIR R4: a DSTU2 Conformance (no fhirVersion)'],
  ])('%j → %s', (doc, problem) => {
    const cap = readCapabilityStatement(doc);
    expect(cap.ok).toBe(false);
    expect(cap.problem).toBe(problem);
    expect(cap.resources).toEqual({});
  });

  it('treats wrong shapes as absent instead of throwing', () => {
    const cap = readCapabilityStatement({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      format: 'json',
      rest: [{ mode: 'server', resource: [{ type: 'Slot', interaction: 'read' }, 7, { interaction: [] }], security: 'x' }],
    });
    expect(cap.ok).toBe(true);
    expect(cap.formats).toEqual(['json']);
    expect(cap.resources).toEqual({
      Slot: { interactions: [], searchParams: [], conditionalCreate: false, conditionalUpdate: false, conditionalDelete: undefined, operations: [] },
    });
  });

  it('reads backport topics, the websocket extension and merges repeated resource entries', () => {
    const cap = readCapabilityStatement({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
      instantiates: ['http://hl7.org/fhir/uv/subscriptions-backport/CapabilityStatement/backport-subscription-server-r4'],
      rest: [
        {
          mode: 'server',
          extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket', valueUri: 'ws://x' }],
          resource: [
            {
              type: 'Subscription',
              interaction: [{ code: 'create' }],
              extension: [
                {
                  url: 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical',
                  valueCanonical: 'http://example.org/topic/appointment-booked',
                },
              ],
            },
            { type: 'Slot', interaction: [{ code: 'read' }] },
            { type: 'Slot', interaction: [{ code: 'search-type' }, { code: 'read' }], searchParam: [{ name: '_lastUpdated' }] },
          ],
        },
        { mode: 'client', resource: [{ type: 'Appointment', interaction: [{ code: 'create' }] }] },
      ],
    });
    expect(cap.subscriptions).toEqual({
      resource: true,
      channelTypes: ['websocket'],
      topicBased: true,
      topics: ['http://example.org/topic/appointment-booked'],
    });
    expect(cap.resources.Slot?.interactions).toEqual(['read', 'search-type']);
    expect(cap.lastUpdatedSearch).toEqual(['Slot']);
    expect(cap.resources.Appointment).toBeUndefined(); // client mode is what the server calls, not what it serves
  });

  it('maps versions to releases', () => {
    expect(releaseOf('4.0.1')).toBe('R4');
    expect(releaseOf('4.0')).toBe('R4');
    expect(releaseOf('4.3.0')).toBe('R4B');
    expect(releaseOf('5.0.0')).toBe('R5');
    expect(releaseOf('3.0.2')).toBe('STU3');
    expect(releaseOf('1.0.2')).toBe('DSTU2');
    expect(releaseOf('4.01')).toBe('unknown');
    expect(releaseOf(undefined, 'Conformance')).toBe('DSTU2');
  });
});
