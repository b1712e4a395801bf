// SMART Backend Services: a signed JWT client assertion (private_key_jwt) exchanged for an access token.
import type { AuthConfig } from '../../model/plan.js';
import type { AuthContext } from './index.js';
import type { Credentials } from './credentials.js';
import { checkBackendServicesSupport, discoverTokenEndpoint } from './smart-config.js';
import { loadSigningKey, signClientAssertion, type SigningKey } from './signing-key.js';
import { requestToken, TokenCache } from './token-endpoint.js';
import { DEFAULT_SCOPE, resolveTokenUrl } from './scope.js';

type BackendServicesConfig = Extract<AuthConfig, { type: 'backend-services' }>;

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function backendServices(config: BackendServicesConfig, ctx: AuthContext): Credentials {
  let signing: SigningKey | undefined;
  let tokenUrl: string | undefined;
  const cache = new TokenCache(async () => {
    signing ??= await loadSigningKey(config.privateKeyFile, ctx.baseDir, config.alg, config.kid);
    if (!tokenUrl) {
      if (config.tokenUrl) {
        tokenUrl = resolveTokenUrl(config.tokenUrl, ctx.baseUrl);
      } else {
        const discovered = await discoverTokenEndpoint(ctx.http, ctx.baseUrl);
        checkBackendServicesSupport(discovered, config.alg);
        tokenUrl = discovered.tokenUrl;
      }
    }
    // A fresh assertion (new jti) for every token request.
    const assertion = await signClientAssertion(signing, config.clientId, tokenUrl);
    ctx.scrubber.add(assertion);
    const form = {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
      scope: config.scope ?? DEFAULT_SCOPE,
    };
    return requestToken(ctx.http, tokenUrl, form, ctx.scrubber);
  });
  return {
    authorization: async () => `Bearer ${await cache.get()}`,
    invalidate: () => {
      cache.drop();
      return true;
    },
  };
}
