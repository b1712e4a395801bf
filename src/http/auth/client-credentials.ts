// OAuth client credentials with a shared secret (HTTP Basic client authentication, RFC 6749 §2.3.1).
import type { AuthConfig } from '../../model/plan.js';
import type { AuthContext } from './index.js';
import type { Credentials } from './credentials.js';
import { readEnvSecret } from './env-secret.js';
import { discoverTokenEndpoint } from './smart-config.js';
import { requestToken, TokenCache } from './token-endpoint.js';
import { DEFAULT_SCOPE, resolveTokenUrl } from './scope.js';

type ClientCredentialsConfig = Extract<AuthConfig, { type: 'client-credentials' }>;

export function clientCredentials(config: ClientCredentialsConfig, ctx: AuthContext): Credentials {
  let tokenUrl: string | undefined;
  const cache = new TokenCache(async () => {
    const secret = readEnvSecret(ctx.env, config.secretEnv, 'client secret', ctx.scrubber);
    tokenUrl ??= config.tokenUrl
      ? resolveTokenUrl(config.tokenUrl, ctx.baseUrl)
      : (await discoverTokenEndpoint(ctx.http, ctx.baseUrl)).tokenUrl;
    // Both parts are form-encoded before Basic encoding, as RFC 6749 asks.
    const basic = Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(secret)}`).toString('base64');
    ctx.scrubber.add(basic);
    const form = { grant_type: 'client_credentials', scope: config.scope ?? DEFAULT_SCOPE };
    return requestToken(ctx.http, tokenUrl, form, ctx.scrubber, { authorization: `Basic ${basic}` });
  });
  return {
    authorization: async () => `Bearer ${await cache.get()}`,
    invalidate: () => {
      cache.drop();
      return true;
    },
  };
}
