// How ehr-check authenticates to an endpoint, asked the same way for an EHR and for a vendor's API. Only the
// names of environment variables and key files are asked for; a secret's value never is.
import type { AuthConfig } from '../model/plan.js';
import type { Ask } from './prompts.js';
import { envName, keyFilePath, optionalHttpUrl, required } from './rules.js';

type AuthType = AuthConfig['type'];

const AUTH_CHOICES: Array<{ value: AuthType; name: string; description: string }> = [
  { value: 'none', name: 'none', description: 'an open test server' },
  { value: 'bearer', name: 'bearer token', description: 'a token you obtain yourself, read from an environment variable' },
  { value: 'client-credentials', name: 'OAuth client credentials', description: 'client id + a secret read from an environment variable' },
  { value: 'backend-services', name: 'SMART Backend Services', description: 'client id + a private key file (signed JWT)' },
];

/** `who` says whose endpoint it is ("Epic EHR", "vendor") and seeds the suggested variable names. */
export async function askAuth(ask: Ask, who: string, envStem: string, fallback: AuthType): Promise<AuthConfig> {
  const type = await ask.choose(`How does ehr-check authenticate to the ${who}?`, AUTH_CHOICES, fallback);
  switch (type) {
    case 'none':
      return { type };
    case 'bearer': {
      const tokenEnv = await ask.text(`Environment variable holding the ${who} token (its name, not the token)`, {
        default: `${envStem}_TOKEN`,
        validate: envName,
      });
      return { type, tokenEnv };
    }
    case 'client-credentials': {
      const clientId = await ask.text(`OAuth client id for the ${who}`, { validate: required('the client id') });
      const secretEnv = await ask.text(`Environment variable holding the client secret (its name, not the secret)`, {
        default: `${envStem}_CLIENT_SECRET`,
        validate: envName,
      });
      const tokenUrl = await ask.text('Token endpoint URL (empty: discover it from the SMART configuration)', {
        validate: optionalHttpUrl,
      });
      return { type, clientId, secretEnv, ...(tokenUrl ? { tokenUrl } : {}) };
    }
    case 'backend-services': {
      const clientId = await ask.text(`SMART client id registered with the ${who}`, { validate: required('the client id') });
      const privateKeyFile = await ask.text('Path of the private key file (relative to the plan file)', {
        default: `./keys/${envStem.toLowerCase().replace(/_/g, '-')}.pem`,
        validate: keyFilePath,
      });
      const alg = await ask.choose(
        'JWT signing algorithm registered for that key',
        [
          { value: 'RS384' as const, name: 'RS384 (RSA)' },
          { value: 'ES384' as const, name: 'ES384 (elliptic curve)' },
        ],
        'RS384',
      );
      const kid = await ask.text('Key id (kid) the EHR knows the key by (empty: none)');
      return { type, clientId, privateKeyFile, alg, ...(kid ? { kid } : {}) };
    }
  }
}

