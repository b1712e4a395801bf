// SMART discovery: where the token endpoint is and what it accepts. Real servers differ
// (see the captured configurations in tests): a non-standard `token_endpoint_auth_methods` key,
// repeated values, no list at all, or only a CapabilityStatement oauth-uris extension.
import { ProbeError } from '../types.js';
import { redactUrl } from '../redact.js';
import type { AuthHttp } from './credentials.js';

export interface TokenEndpointInfo {
  tokenUrl: string;
  /** Client authentication methods the server lists; undefined when it lists none. */
  authMethods?: string[];
  /** Signing algorithms the server lists for client assertions; undefined when it lists none. */
  signingAlgs?: string[];
  source: 'smart-configuration' | 'capability-statement';
}

export async function discoverTokenEndpoint(http: AuthHttp, baseUrl: string): Promise<TokenEndpointInfo> {
  const smartUrl = `${baseUrl}/.well-known/smart-configuration`;
  const smart = await http.getJson(smartUrl);
  const config = asObject(smart.body);
  if (smart.status >= 200 && smart.status < 300 && config && typeof config.token_endpoint === 'string') {
    return {
      tokenUrl: httpUrl(config.token_endpoint, smart.url, smartUrl),
      authMethods: stringList(config.token_endpoint_auth_methods_supported ?? config.token_endpoint_auth_methods),
      signingAlgs: stringList(config.token_endpoint_auth_signing_alg_values_supported),
      source: 'smart-configuration',
    };
  }
  // Older servers announce OAuth endpoints only in the CapabilityStatement.
  const metadataUrl = `${baseUrl}/metadata`;
  const metadata = await http.getJson(metadataUrl);
  const token = metadata.status >= 200 && metadata.status < 300 ? oauthUri(metadata.body, 'token') : undefined;
  if (token) return { tokenUrl: httpUrl(token, metadata.url, metadataUrl), source: 'capability-statement' };
  throw new ProbeError(
    'auth',
    `no token endpoint found: neither ${redactUrl(smartUrl)} (${smart.status}) nor the CapabilityStatement names one; set tokenUrl in the plan`,
    { url: redactUrl(smartUrl), status: smart.status },
  );
}

/** Lower-cased, trimmed, de-duplicated; a space- or comma-separated string is read as a list. */
export function stringList(value: unknown): string[] | undefined {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : Array.isArray(value) ? value : undefined;
  if (!items) return undefined;
  const list = [...new Set(items.filter((v): v is string => typeof v === 'string').map((v) => v.trim().toLowerCase()).filter(Boolean))];
  return list.length > 0 ? list : undefined;
}

/** Backend Services needs private_key_jwt and the plan's algorithm, when the server lists what it accepts. */
export function checkBackendServicesSupport(info: TokenEndpointInfo, alg: string): void {
  if (info.authMethods && !info.authMethods.includes('private_key_jwt')) {
    throw new ProbeError(
      'auth',
      `the token endpoint ${redactUrl(info.tokenUrl)} does not accept private_key_jwt client authentication (it lists ${info.authMethods.join(', ')})`,
      { url: redactUrl(info.tokenUrl) },
    );
  }
  if (info.signingAlgs && !info.signingAlgs.includes(alg.toLowerCase())) {
    throw new ProbeError(
      'auth',
      `the token endpoint ${redactUrl(info.tokenUrl)} does not accept ${alg} client assertions (it lists ${info.signingAlgs.map((a) => a.toUpperCase()).join(', ')})`,
      { url: redactUrl(info.tokenUrl) },
    );
  }
}

function oauthUri(capabilityStatement: unknown, name: string): string | undefined {
  const rest = asObject(capabilityStatement)?.rest;
  for (const entry of Array.isArray(rest) ? rest : []) {
    const extensions = asObject(asObject(entry)?.security)?.extension;
    for (const ext of Array.isArray(extensions) ? extensions : []) {
      const outer = asObject(ext);
      // Matched by suffix: athenahealth's URL is `http://DSTU2/fhir-registry.smarthealthit.org/...`.
      if (typeof outer?.url !== 'string' || !outer.url.endsWith('/StructureDefinition/oauth-uris')) continue;
      for (const inner of Array.isArray(outer.extension) ? outer.extension : []) {
        const item = asObject(inner);
        if (item?.url === name && typeof item.valueUri === 'string') return item.valueUri;
      }
    }
  }
  return undefined;
}

function httpUrl(value: string, base: string, source: string): string {
  try {
    const url = new URL(value.trim(), base);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.toString();
  } catch {
    // reported below
  }
  throw new ProbeError('auth', `${redactUrl(source)} names a token endpoint that is not an http(s) URL`, { url: redactUrl(source) });
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
