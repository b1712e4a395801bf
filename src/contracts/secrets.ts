// A plan names where secrets live (an environment variable, a key file); it never holds one. This pass walks
// the raw document before the schema does, so a pasted secret gets a message that says what to do instead,
// and the secret's value is never repeated back.
import type { InputProblem } from '../errors.js';
import { pointer } from './wording.js';

interface SecretKind {
  what: string;
  instead: string;
}

// Matched against the key, lower-cased with separators removed; `tokenEnv`, `secretEnv`, `privateKeyFile`
// and `apiKeyEnv` do not end with these, so the fields that name a secret's place pass.
const SECRET_KEYS: Array<[RegExp, SecretKind]> = [
  [/(token|bearer|jwt)$/, { what: 'a token', instead: 'put it in an environment variable and give its name as tokenEnv (auth type bearer)' }],
  [/secret$/, { what: 'a client secret', instead: 'put it in an environment variable and give its name as secretEnv (auth type client-credentials)' }],
  [/(privatekey|pem|jwk)$/, { what: 'a private key', instead: 'keep it in a file and give the path as privateKeyFile (auth type backend-services)' }],
  [/apikey$/, { what: 'an API key', instead: 'put it in an environment variable and give its name as apiKeyEnv' }],
  [/(password|passwd|pwd|credentials?)$/, { what: 'a password', instead: 'ehr-check never takes passwords: use SMART auth, naming environment variables or key files' }],
];

const SECRET_QUERY_PARAMS = /^(access_?token|token|api_?key|apikey|key|secret|client_secret|password|sig|signature)$/i;

function secretKind(key: string): SecretKind | undefined {
  const normal = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEYS.find(([pattern]) => pattern.test(normal))?.[1];
}

function secretInValue(value: string): string | undefined {
  if (/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/.test(value)) {
    return 'looks like a pasted key: a plan never holds secrets; keep the key in a file and give the path as privateKeyFile';
  }
  if (/^(Bearer\s+)?eyJ[\w-]+\.[\w-]+\.[\w-]*$/.test(value.trim())) {
    return 'looks like a pasted token: a plan never holds secrets; put it in an environment variable and name it in tokenEnv';
  }
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return undefined; // the schema reports a malformed URL
    }
    if (url.username || url.password) {
      return 'a URL must not carry a user name or password: give credentials through auth (environment variables or key files)';
    }
    const leaking = [...url.searchParams.keys()].find((name) => SECRET_QUERY_PARAMS.test(name));
    if (leaking) return `a URL must not carry "${leaking}" in its query: give credentials through auth (environment variables or key files)`;
  }
  return undefined;
}

/** Every place in a plan document that holds, or looks like it holds, a secret. */
export function secretProblems(doc: unknown, file: string): InputProblem[] {
  const problems: InputProblem[] = [];
  const walk = (node: unknown, at: string): void => {
    if (typeof node === 'string') {
      const message = secretInValue(node);
      if (message) problems.push({ file, field: at, message });
    } else if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, at + pointer(i)));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        const kind = secretKind(key);
        if (kind) {
          problems.push({ file, field: at + pointer(key), message: `"${key}" must not be in a plan, which never holds secrets (this looks like ${kind.what}): ${kind.instead}` });
        } else {
          walk(value, at + pointer(key));
        }
      }
    }
  };
  walk(doc, '');
  return problems;
}
