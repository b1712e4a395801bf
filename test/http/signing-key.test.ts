// Key files as buyers will have them: PKCS#8, PKCS#1 and SEC1 PEM, JWK and JWKS; and the wrong ones.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKey, signClientAssertion, type AssertionAlg } from '../../src/http/auth/signing-key.js';
import { ProbeError } from '../../src/http/types.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ehr-check-signing-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 });

async function file(name: string, text: string): Promise<string> {
  await writeFile(join(dir, name), text);
  return name;
}

async function configError(name: string, alg: AssertionAlg, kid?: string): Promise<ProbeError> {
  const error = await loadSigningKey(name, dir, alg, kid).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProbeError);
  expect((error as ProbeError).kind).toBe('config');
  return error as ProbeError;
}

/** Signs with the loaded key and verifies with the public half, as a token endpoint would. */
async function verifies(name: string, alg: AssertionAlg, publicJwk: JWK, kid?: string): Promise<Record<string, unknown>> {
  const key = await loadSigningKey(name, dir, alg, kid);
  const jwt = await signClientAssertion(key, 'client-1', 'https://ehr.example/token');
  await jwtVerify(jwt, await importJWK(publicJwk, alg), { issuer: 'client-1', audience: 'https://ehr.example/token' });
  return decodeProtectedHeader(jwt) as Record<string, unknown>;
}

describe('loadSigningKey', () => {
  it('reads PKCS#8, PKCS#1 (RSA) and SEC1 (EC) PEM files', async () => {
    const rsaPublic = rsa.publicKey.export({ format: 'jwk' }) as JWK;
    const ecPublic = p384.publicKey.export({ format: 'jwk' }) as JWK;
    await verifies(await file('rsa8.pem', rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string), 'RS384', rsaPublic);
    await verifies(await file('rsa1.pem', rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }) as string), 'RS384', rsaPublic);
    await verifies(await file('ec8.pem', p384.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string), 'ES384', ecPublic);
    const header = await verifies(await file('sec1.pem', p384.privateKey.export({ format: 'pem', type: 'sec1' }) as string), 'ES384', ecPublic, 'k9');
    expect(header).toMatchObject({ alg: 'ES384', kid: 'k9', typ: 'JWT' });
  });

  it('picks a key out of a JWKS by the plan\'s kid, and takes a lone JWK whatever its kid', async () => {
    const ecJwk = { ...(p384.privateKey.export({ format: 'jwk' }) as JWK), kid: 'ec-1' };
    const rsaJwk = { ...(rsa.privateKey.export({ format: 'jwk' }) as JWK), kid: 'rsa-1' };
    const jwks = await file('keys.json', JSON.stringify({ keys: [rsaJwk, ecJwk] }));
    expect((await loadSigningKey(jwks, dir, 'ES384', 'ec-1')).kid).toBe('ec-1');
    expect((await loadSigningKey(jwks, dir, 'RS384', 'rsa-1')).kid).toBe('rsa-1');
    const { kid, ...bare } = ecJwk;
    expect(kid).toBe('ec-1');
    const lone = await file('lone.json', JSON.stringify(bare));
    expect((await loadSigningKey(lone, dir, 'ES384', 'plan-kid')).kid).toBe('plan-kid');
    expect((await configError(jwks, 'ES384', 'missing')).message).toContain('kid missing');
  });

  it('refuses keys that do not fit the algorithm', async () => {
    const ec256 = await file('p256.pem', p256.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    expect((await configError(ec256, 'ES384')).message).toContain('P-384');
    const small = await file('small.pem', smallRsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    expect((await configError(small, 'RS384')).message).toContain('2048');
    const ec = await file('ec.pem', p384.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
    expect((await configError(ec, 'RS384')).message).toContain('RSA');
  });

  it('refuses public keys, encrypted keys, unreadable files and junk, never echoing key material', async () => {
    const pub = await file('public.pem', rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string);
    expect((await configError(pub, 'RS384')).message).toContain('no private key');
    const encrypted = rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    expect((await configError(await file('enc.pem', encrypted), 'RS384')).message).toContain('encrypted');
    const publicJwk = await file('public.json', JSON.stringify(rsa.publicKey.export({ format: 'jwk' })));
    expect((await configError(publicJwk, 'RS384')).message).toContain('no private key');
    expect((await configError(await file('junk.txt', 'hello'), 'RS384')).message).toContain('neither');
    expect((await configError('absent.pem', 'RS384')).message).toContain('ENOENT');
    const broken = '-----BEGIN PRIVATE KEY-----\nMIIBroken\n-----END PRIVATE KEY-----\n';
    const error = await configError(await file('broken.pem', broken), 'RS384');
    expect(error.message).not.toContain('MIIBroken');
  });
});
