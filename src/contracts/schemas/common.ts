// Schema fragments shared by the plan, manifest and registry. Every `description` is a noun phrase: the error
// messages say "expected <description>", so the printed schema and the messages use the same words.

export type JsonSchema = Record<string, unknown>;

export const SYSTEM_ID = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'a lower-case system id such as "epic" or "oracle-health" (letters, digits and dashes)',
} as const;

/** Beside a `system`: it is deliberately an id the catalog does not list (otherwise an unknown id is an error). */
export const CUSTOM_SYSTEM = {
  type: 'boolean',
  description: 'true when the system id is deliberately one the catalog does not list',
} as const;

export const ENV_VAR_NAME = {
  type: 'string',
  pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
  maxLength: 128,
  description: 'the name of an environment variable (letters, digits and underscores), never its value',
} as const;

export const HTTP_URL = {
  type: 'string',
  format: 'uri',
  pattern: '^https?://[^\\s]+$',
  description: 'an http or https URL',
} as const;

export const FILE_PATH = {
  type: 'string',
  minLength: 1,
  description: 'a file path, relative to the plan file',
} as const;

/** Lets editors find the schema (`ehr-check schema plan > plan.schema.json`); the loaders drop it. */
export const EDITOR_SCHEMA_REF = { type: 'string', description: 'a reference to this JSON Schema, for editors' } as const;

export function text(description: string): JsonSchema {
  return { type: 'string', minLength: 1, description };
}

export function envVar(description: string): JsonSchema {
  return { ...ENV_VAR_NAME, description: `the name of the environment variable that holds ${description}` };
}

/** SMART token endpoint and scope: optional on both OAuth flows, discovered from the EHR when absent. */
const TOKEN_URL = { ...HTTP_URL, description: 'an http or https URL of the token endpoint (discovered when absent)' };
const SCOPE = text('the scopes to ask for, space-separated');

/** One of the four AuthConfig shapes (src/model/plan.ts), discriminated on `type`. */
export const AUTH: JsonSchema = {
  type: 'object',
  title: 'auth',
  description: 'how to authenticate: none, bearer, client-credentials or backend-services',
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      title: 'none auth',
      properties: { type: { const: 'none' } },
      required: ['type'],
      additionalProperties: false,
    },
    {
      title: 'bearer auth',
      properties: { type: { const: 'bearer' }, tokenEnv: envVar('the bearer token') },
      required: ['type', 'tokenEnv'],
      additionalProperties: false,
    },
    {
      title: 'client-credentials auth',
      properties: {
        type: { const: 'client-credentials' },
        clientId: text('the OAuth client id'),
        secretEnv: envVar('the client secret'),
        tokenUrl: TOKEN_URL,
        scope: SCOPE,
      },
      required: ['type', 'clientId', 'secretEnv'],
      additionalProperties: false,
    },
    {
      title: 'backend-services auth',
      properties: {
        type: { const: 'backend-services' },
        clientId: text('the SMART client id registered with the EHR'),
        privateKeyFile: { ...FILE_PATH, description: 'a path to the private key file, PEM or JWK, relative to the plan file' },
        alg: { enum: ['RS384', 'ES384'], description: 'the JWT signing algorithm: RS384 or ES384' },
        kid: text('the key id (kid) the EHR knows the public key by'),
        tokenUrl: TOKEN_URL,
        scope: SCOPE,
      },
      required: ['type', 'clientId', 'privateKeyFile', 'alg'],
      additionalProperties: false,
    },
  ],
};
