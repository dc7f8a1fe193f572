/**
 * The key a certificate is signed with: the user's (a PEM or JWK file, or a JWK in
 * NOGI_CERT_SIGNING_JWK), else a development key generated once and kept in a data folder
 * (NOGI_DATA_DIR, default .nogi/ in the current folder; not reports/, which CI uploads).
 * Keys are Node KeyObjects, which jose signs and verifies with directly.
 */
import { createPrivateKey, createPublicKey, type KeyObject, type JsonWebKeyInput } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { registerSecret } from '../reporting/redact.ts';

export interface SigningKey {
  privateKey: KeyObject;
  publicJwk: JWK;
  alg: string;
  kid: string;
  development: boolean;
  /** Where it came from, for the console (never the key itself). */
  origin: string;
}

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

/** The JWS algorithm a key type signs with (RFC 7518 / RFC 8037). */
function algorithmFor(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return type === 'rsa' ? 'RS256' : 'PS256';
  if (type === 'ed25519') return 'EdDSA';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ES256';
    if (curve === 'secp384r1') return 'ES384';
    if (curve === 'secp521r1') return 'ES512';
  }
  throw new KeyError(`unsupported key type for a certificate: ${type ?? 'symmetric'} (use RSA, EC P-256/384/521 or Ed25519)`);
}

/** A key from PEM text or JWK JSON text; private when `kind` is private. */
export function parseKey(text: string, kind: 'private' | 'public', origin: string): KeyObject {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JsonWebKeyInput['key'];
      const input: JsonWebKeyInput = { key: jwk, format: 'jwk' };
      if (kind === 'private') return createPrivateKey(input);
      // A public key from a private JWK works too: the verifier may be handed either.
      return createPublicKey(input);
    }
    return kind === 'private' ? createPrivateKey(trimmed) : createPublicKey(trimmed);
  } catch (error) {
    throw new KeyError(`${origin}: not a ${kind} key in PEM or JWK form (${(error as Error).message})`);
  }
}

async function describe(privateKey: KeyObject, development: boolean, origin: string): Promise<SigningKey> {
  const alg = algorithmFor(privateKey);
  // The private parts are secrets wherever they might turn up (redact.ts masks them).
  const privateJwk = await exportJWK(privateKey);
  for (const part of [privateJwk.d, privateJwk.p, privateJwk.q, privateJwk.dp, privateJwk.dq, privateJwk.qi]) registerSecret(part);
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  // The public JWK says it is a development key, so `verify --key` can say so too (RFC 7517 §4 allows own members).
  const marker = development ? { [DEVELOPMENT_MEMBER]: true } : {};
  return { privateKey, publicJwk: { ...publicJwk, alg, kid, use: 'sig', ...marker }, alg, kid, development, origin };
}

/** The member that marks a development key's public JWK. */
export const DEVELOPMENT_MEMBER = 'nogi_development';

/** The RFC 7638 thumbprint of a key's public half: the name of a key that cannot be borrowed, unlike a kid. */
export const thumbprintOf = (key: Parameters<typeof calculateJwkThumbprint>[0]): Promise<string> => calculateJwkThumbprint(key);

/** The thumbprint of the development key kept in `file`, if there is one. */
export async function developmentThumbprint(file: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  try {
    return await thumbprintOf(parseKey(readFileSync(file, 'utf8'), 'private', file));
  } catch {
    return undefined;
  }
}

export const devKeyFile = (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string =>
  join(resolve(cwd, env.NOGI_DATA_DIR ?? '.nogi'), 'certificate-dev-key.private.jwk');

/** The user's key (--key, else NOGI_CERT_SIGNING_JWK), else the development key (created on first use). */
export async function loadSigningKey(keyFile: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<SigningKey> {
  if (keyFile) {
    const path = resolve(cwd, keyFile);
    if (!existsSync(path)) throw new KeyError(`--key ${keyFile}: no such file`);
    return describe(parseKey(readFileSync(path, 'utf8'), 'private', `--key ${keyFile}`), false, `key file ${keyFile}`);
  }
  if (env.NOGI_CERT_SIGNING_JWK) return describe(parseKey(env.NOGI_CERT_SIGNING_JWK, 'private', 'NOGI_CERT_SIGNING_JWK'), false, 'NOGI_CERT_SIGNING_JWK');
  const file = devKeyFile(env, cwd);
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    mkdirSync(resolve(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(await exportJWK(privateKey)), { mode: 0o600 });
  }
  return describe(parseKey(readFileSync(file, 'utf8'), 'private', file), true, `development key ${file}`);
}
