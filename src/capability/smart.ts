// Reads `/.well-known/smart-configuration` (SMART App Launch). Pure. Real servers bend the spec in a few
// known ways, read around here and reported as quirks: a non-standard `token_endpoint_auth_methods` key
// (athenahealth, Veradigm), an `issuer` holding an OpenID configuration URL (older Cerner), missing lists.
import { asObject, asString, asStrings, unique } from './json.js';

export interface SmartSummary {
  ok: boolean;
  problem?: string;
  issuer?: string;
  tokenEndpoint?: string;
  authorizationEndpoint?: string;
  tokenAuthMethods: string[];
  grantTypes: string[];
  scopes: string[];
  capabilities: string[];
  /** SMART Backend Services look possible: client_credentials with an asymmetric (JWT) client. */
  backendServices: boolean;
  quirks: string[];
}

const OPENID_SUFFIX = '/.well-known/openid-configuration';

export function readSmartConfiguration(doc: unknown): SmartSummary {
  const root = asObject(doc);
  if (root === undefined) {
    return { ok: false, problem: 'not a SMART configuration: expected a JSON object', ...empty() };
  }
  const quirks: string[] = [];

  let issuer = asString(root.issuer);
  if (issuer?.endsWith(OPENID_SUFFIX)) {
    quirks.push(`issuer holds an OpenID configuration URL; read as ${issuer.slice(0, -OPENID_SUFFIX.length)}`);
    issuer = issuer.slice(0, -OPENID_SUFFIX.length);
  }

  const standard = asStrings(root.token_endpoint_auth_methods_supported);
  const nonStandard = asStrings(root.token_endpoint_auth_methods);
  if (nonStandard.length > 0) {
    quirks.push(
      standard.length > 0
        ? 'non-standard token_endpoint_auth_methods alongside token_endpoint_auth_methods_supported'
        : 'token auth methods only under the non-standard key token_endpoint_auth_methods',
    );
  }
  const tokenAuthMethods = unique([...standard, ...nonStandard]);

  const grantTypes = asStrings(root.grant_types_supported);
  const scopes = asStrings(root.scopes_supported);
  const capabilities = asStrings(root.capabilities);
  if (root.grant_types_supported === undefined) quirks.push('no grant_types_supported');
  if (root.scopes_supported === undefined) quirks.push('no scopes_supported');
  if (root.capabilities === undefined) quirks.push('no capabilities');

  const tokenEndpoint = asString(root.token_endpoint);
  const authorizationEndpoint = asString(root.authorization_endpoint);
  const backendServices =
    grantTypes.includes('client_credentials') &&
    (tokenAuthMethods.includes('private_key_jwt') || capabilities.includes('client-confidential-asymmetric'));

  const problem =
    tokenEndpoint === undefined
      ? 'no token_endpoint'
      : !isHttpUrl(tokenEndpoint)
        ? `token_endpoint is not an http(s) URL: ${tokenEndpoint}`
        : undefined;

  return {
    ok: problem === undefined,
    ...(problem !== undefined && { problem }),
    ...(issuer !== undefined && { issuer }),
    ...(tokenEndpoint !== undefined && { tokenEndpoint }),
    ...(authorizationEndpoint !== undefined && { authorizationEndpoint }),
    tokenAuthMethods,
    grantTypes,
    scopes,
    capabilities,
    backendServices,
    quirks,
  };
}

function empty() {
  return { tokenAuthMethods: [], grantTypes: [], scopes: [], capabilities: [], backendServices: false, quirks: [] };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
