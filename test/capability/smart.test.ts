import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSmartConfiguration, type SmartSummary } from '../../src/capability/reader.js';
import { REAL_WORLD } from '../helpers/paths.js';
import { loadSmart, SMART_FILES } from './real-world.js';

const read = (file: string): SmartSummary => readSmartConfiguration(loadSmart(file));

describe('readSmartConfiguration on every real SMART configuration', () => {
  it('knows every file and reads each as usable', () => {
    expect([...readdirSync(join(REAL_WORLD, 'smart'))].sort()).toEqual([...SMART_FILES].sort());
    for (const f of SMART_FILES) expect(read(f), f).toMatchObject({ ok: true });
  });

  it.each([
    ['epic.json', 'https://fhir.jefferson.edu/FHIRProxy/oauth2/token'],
    ['athenahealth.json', 'https://api.platform.athenahealth.com/oauth2/v1/token'],
    ['eclinicalworks.json', 'https://oauthserver.eclinicalworks.com/oauth/oauth2/token'],
    ['meditech.json', 'https://greenfield-prod-apis.meditech.com/oauth/token'],
    ['nextgen-enterprise.json', 'https://fhir.nextgen.com/nge/prod/patient-oauth/token'],
    [
      'oracle-health.json',
      'https://authorization.cerner.com/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d/hosts/fhir-ehr-code.cerner.com/protocols/oauth2/profiles/smart-v1/token',
    ],
    ['veradigm.json', 'https://fhir.fhirpoint.open.allscripts.com/fhirroute/authorizationV2/CP00101/connect/token'],
  ])('%s: token endpoint %s', (file, token) => {
    expect(read(file).tokenEndpoint).toBe(token);
  });

  it('Veradigm: auth methods only under the non-standard key, repeated values collapsed', () => {
    const smart = read('veradigm.json');
    expect(smart.tokenAuthMethods).toEqual(['client_secret_basic', 'client_secret_post', 'tls_client_auth', 'self_signed_tls_client_auth']);
    expect(smart.quirks).toContain('token auth methods only under the non-standard key token_endpoint_auth_methods');
    expect(smart.scopes).toHaveLength(237);
    expect(smart.scopes).toContain('system/Location.rs');
  });

  it('athenahealth: both keys, an Okta issuer, no scopes_supported', () => {
    const smart = read('athenahealth.json');
    expect(smart.issuer).toBe('https://athena.okta.com/oauth2/aus2hff5eqFb7Wqfh297');
    expect(smart.tokenAuthMethods).toContain('private_key_jwt');
    expect(smart.scopes).toEqual([]);
    expect(smart.quirks).toEqual([
      'non-standard token_endpoint_auth_methods alongside token_endpoint_auth_methods_supported',
      'no scopes_supported',
    ]);
    expect(smart.backendServices).toBe(true);
  });

  it('cerner-legacy: issuer holding an openid-configuration URL is read as the issuer itself', () => {
    const smart = read('cerner-legacy.json');
    expect(smart.issuer).toBe(
      'https://authorization.cerner.com/tenants/ec2458f2-1e24-41c8-b71b-0e701af7583d/oidc/idsps/ec2458f2-1e24-41c8-b71b-0e701af7583d',
    );
    expect(smart.quirks[0]).toMatch(/^issuer holds an OpenID configuration URL/);
    expect(smart.quirks).toContain('no grant_types_supported');
    expect(smart.tokenAuthMethods).toEqual(['client_secret_basic']);
    expect(smart.backendServices).toBe(false); // no client_credentials grant declared, no asymmetric client
    expect(smart.scopes).toHaveLength(117);
  });

  it('Epic: five scopes, backend services through private_key_jwt', () => {
    const smart = read('epic.json');
    expect(smart.scopes).toEqual(['epic.scanning.dmsusername', 'fhirUser', 'launch', 'openid', 'profile']);
    expect(smart.grantTypes).toContain('client_credentials');
    expect(smart.backendServices).toBe(true);
    expect(smart.quirks).toEqual([]);
  });

  it('Oracle Health: provider and patient personas differ in scopes and token host', () => {
    const provider = read('oracle-health.json');
    const patient = read('oracle-health-patient.json');
    expect(provider.scopes).toHaveLength(303);
    expect(patient.scopes).toHaveLength(145);
    expect(provider.scopes).toContain('system/Slot.rus');
    expect(patient.tokenEndpoint).toContain('fhir-myrecord.cerner.com');
    expect(provider.capabilities).toContain('client-confidential-asymmetric');
  });

  it('MEDITECH and eClinicalWorks: large scope lists, no quirks', () => {
    expect(read('meditech.json')).toMatchObject({ quirks: [], backendServices: true });
    expect(read('meditech.json').scopes).toHaveLength(581);
    expect(read('eclinicalworks.json').capabilities).toHaveLength(20);
    expect(read('eclinicalworks.json').quirks).toEqual([]);
  });

  it('NextGen Office: Keycloak endpoints, no scopes_supported', () => {
    const smart = read('nextgen-office.json');
    expect(smart.authorizationEndpoint).toMatch(/openid-connect\/auth$/);
    expect(smart.quirks).toEqual(['no scopes_supported']);
  });
});

describe('readSmartConfiguration on broken documents', () => {
  it.each([
    [null, 'not a SMART configuration: expected a JSON object'],
    ['<html/>', 'not a SMART configuration: expected a JSON object'],
    [{ issuer: 'https://x' }, 'no token_endpoint'],
    [{ token_endpoint: 'javascript:alert(1)' }, 'token_endpoint is not an http(s) URL: javascript:alert(1)'],
  ])('%j → %s', (doc, problem) => {
    const smart = readSmartConfiguration(doc);
    expect(smart).toMatchObject({ ok: false, problem, backendServices: false });
  });
});
