// Picks the auth scheme the plan names. Each scheme keeps its secrets to itself and registers every
// secret value it handles with the scrubber, so no error or log can carry one.
import type { AuthConfig } from '../../model/plan.js';
import type { SecretScrubber } from '../redact.js';
import { NO_CREDENTIALS, type AuthHttp, type Credentials } from './credentials.js';
import { readEnvSecret } from './env-secret.js';
import { clientCredentials } from './client-credentials.js';
import { backendServices } from './backend-services.js';

export type { AuthHttp, Credentials } from './credentials.js';

export interface AuthContext {
  /** FHIR base URL: where SMART discovery starts. */
  baseUrl: string;
  env: NodeJS.ProcessEnv;
  baseDir: string;
  scrubber: SecretScrubber;
  http: AuthHttp;
}

export function createCredentials(auth: AuthConfig | undefined, ctx: AuthContext): Credentials {
  switch (auth?.type) {
    case undefined:
    case 'none':
      return NO_CREDENTIALS;
    case 'bearer':
      return bearerFromEnv(auth.tokenEnv, ctx);
    case 'client-credentials':
      return clientCredentials(auth, ctx);
    case 'backend-services':
      return backendServices(auth, ctx);
  }
}

/** A token the buyer obtained elsewhere, read from the environment on first use. */
function bearerFromEnv(tokenEnv: string, ctx: AuthContext): Credentials {
  let header: string | undefined;
  return {
    async authorization() {
      if (!header) {
        // Tolerate a value pasted with its scheme ("Bearer abc").
        const token = readEnvSecret(ctx.env, tokenEnv, 'bearer token', ctx.scrubber).replace(/^bearer\s+/i, '');
        ctx.scrubber.add(token);
        header = `Bearer ${token}`;
      }
      return header;
    },
    // The same token would be refused again: a 401 stands as the answer.
    invalidate: () => false,
  };
}
