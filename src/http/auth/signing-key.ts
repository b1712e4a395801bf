// The Backend Services private key: a PEM file (PKCS#8; PKCS#1 and SEC1 are accepted too) or a JWK /
// JWKS JSON file, checked against the plan's algorithm before anything is signed.
import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SignJWT } from 'jose';
import { ProbeError } from '../types.js';

export type AssertionAlg = 'RS384' | 'ES384';

export interface SigningKey {
  key: KeyObject;
  alg: AssertionAlg;
  kid?: string;
}

/** SMART says at most five minutes; a little less leaves room for clock skew. */
const ASSERTION_LIFETIME_S = 240;

export async function loadSigningKey(file: string, baseDir: string, alg: AssertionAlg, kid?: string): Promise<SigningKey> {
  let text: string;
  try {
    text = await readFile(resolve(baseDir, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ProbeError('config', `cannot read the private key file ${file} (${code})`);
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return fromJwkFile(trimmed, file, alg, kid);
  if (trimmed.includes('-----BEGIN')) {
    if (trimmed.includes('ENCRYPTED PRIVATE KEY-----')) throw new ProbeError('config', `${file} holds an encrypted key; ehr-check needs it unencrypted`);
    if (!trimmed.includes('PRIVATE KEY-----')) throw new ProbeError('config', `${file} holds no private key (a PEM private key is needed)`);
    return { key: checked(() => createPrivateKey(trimmed), file, alg), alg, kid };
  }
  throw new ProbeError('config', `${file} is neither a PEM private key nor a JWK`);
}

function fromJwkFile(text: string, file: string, alg: AssertionAlg, kid?: string): SigningKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProbeError('config', `${file} is not valid JSON`);
  }
  const doc = parsed as { keys?: unknown };
  const candidates = (Array.isArray(doc.keys) ? doc.keys : [parsed]).filter(
    (k): k is Record<string, unknown> => !!k && typeof k === 'object',
  );
  const privates = candidates.filter((k) => typeof k.d === 'string');
  // The plan's kid picks among several keys; a lone key is used whatever its kid (the plan's kid then goes in the header).
  const jwk = kid
    ? (privates.find((k) => k.kid === kid) ?? (privates.length === 1 && privates[0]!.kid === undefined ? privates[0] : undefined))
    : (privates.find((k) => k.alg === alg) ?? privates[0]);
  if (!jwk) {
    const what = kid ? `no private key with kid ${kid}` : 'no private key (a JWK with "d")';
    throw new ProbeError('config', `${file} holds ${what}`);
  }
  const key = checked(() => createPrivateKey({ key: jwk as never, format: 'jwk' }), file, alg);
  return { key, alg, kid: kid ?? (typeof jwk.kid === 'string' ? jwk.kid : undefined) };
}

/** Imports and checks the key type: RS384 needs RSA (2048 bits or more), ES384 needs EC P-384. */
function checked(load: () => KeyObject, file: string, alg: AssertionAlg): KeyObject {
  let key: KeyObject;
  try {
    key = load();
  } catch {
    throw new ProbeError('config', `${file} could not be read as a private key`);
  }
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (alg === 'RS384' && (type !== 'rsa' || (details.modulusLength ?? 0) < 2048)) {
    throw new ProbeError('config', `${file} is not an RSA key of 2048 bits or more, which RS384 needs (it is ${describe(key)})`);
  }
  if (alg === 'ES384' && (type !== 'ec' || details.namedCurve !== 'secp384r1')) {
    throw new ProbeError('config', `${file} is not an EC P-384 key, which ES384 needs (it is ${describe(key)})`);
  }
  return key;
}

function describe(key: KeyObject): string {
  const d = key.asymmetricKeyDetails ?? {};
  return [key.asymmetricKeyType, d.namedCurve, d.modulusLength && `${d.modulusLength} bits`].filter(Boolean).join(' ');
}

/** The client assertion of SMART Backend Services: iss = sub = client id, aud = token URL, fresh jti. */
export async function signClientAssertion(signing: SigningKey, clientId: string, tokenUrl: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: signing.alg, typ: 'JWT', ...(signing.kid ? { kid: signing.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_S)
    .sign(signing.key);
}
