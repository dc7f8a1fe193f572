/**
 * Signing and offline verification. The JWS payload is the RFC 8785 canonical JSON of the
 * certificate, so the same document always gives the same bytes, whoever serialises it.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { CompactSign, compactVerify, createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { CERTIFICATE_TYPE, certifiedContracts, contractHashes, type Certificate, type ContractKey } from './document.ts';
import { DEVELOPMENT_MEMBER, developmentThumbprint, thumbprintOf, type SigningKey } from './keys.ts';

const JWS_TYPE = 'nogi-certificate+jws';

function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('the certificate cannot be canonicalised');
  return text;
}

export async function signCertificate(certificate: Certificate, key: SigningKey): Promise<string> {
  return new CompactSign(new TextEncoder().encode(canonicalJson(certificate)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: JWS_TYPE })
    .sign(key.privateKey);
}

export interface VerifyOptions {
  /** A public (or private) key; or a JWKS (URL) resolved by the header's kid. */
  key?: KeyObject;
  jwks?: JWTVerifyGetKey;
  /** The key file's own members when it is a JWK (its kid, a development marker); never trusted for the signature. */
  keyJwk?: JWK;
  /** This machine's development key (keys.ts devKeyFile): a key with its thumbprint is a development key. */
  developmentKeyFile?: string;
  /** A contracts folder laid out as this suite's, to compare the hashes with (default: this suite's). */
  contractsDir?: string;
  now?: Date;
}

export interface VerifyCheck {
  name: 'signature' | 'key' | 'document' | 'contracts' | 'expiry';
  ok: boolean;
  detail: string;
}

export interface VerifyOutcome {
  ok: boolean;
  checks: VerifyCheck[];
  certificate?: Certificate;
}

/** The certificate's contract files (of the version it names) against those in a contracts folder. */
function contractsCheck(certificate: Certificate, dir?: string): VerifyCheck {
  const version = certificate.contract?.version;
  if (typeof version !== 'string' || !/^[\w.-]+$/.test(version)) return { name: 'contracts', ok: false, detail: 'the certificate names no contract version' };
  const paths = certifiedContracts(version, dir);
  const missing = Object.values(paths).filter((p) => !existsSync(p));
  if (missing.length) return { name: 'contracts', ok: false, detail: `contract version ${version} is not in ${dir ?? 'this suite'}: missing ${missing.join(', ')}` };
  const mine = contractHashes(paths);
  const differing = (Object.keys(mine) as ContractKey[]).filter((k) => certificate.contracts?.[k]?.sha256 !== mine[k].sha256);
  return differing.length
    ? { name: 'contracts', ok: false, detail: `issued for other contracts: ${differing.map((k) => `${k} (${mine[k].file}) has SHA-256 ${mine[k].sha256.slice(0, 12)}…, the certificate names ${certificate.contracts?.[k]?.sha256?.slice(0, 12) ?? 'none'}…`).join('; ')}` }
    : { name: 'contracts', ok: true, detail: `contract version ${version}: the provider's document, its errata and the OAuth contract match` };
}

/** The JWK of a key set whose thumbprint is `thumbprint`, for its kid and marker. */
async function jwkWithThumbprint(set: JSONWebKeySet | undefined, thumbprint: string): Promise<JWK | undefined> {
  for (const jwk of set?.keys ?? []) {
    if (await thumbprintOf(jwk).catch(() => undefined) === thumbprint) return jwk;
  }
  return undefined;
}

export const jwksFromUrl = (url: string): JWTVerifyGetKey => createRemoteJWKSet(new URL(url)) as JWTVerifyGetKey;

/** Each check with its reason; later checks run only on a certificate whose signature holds. */
export async function verifyCertificate(jws: string, options: VerifyOptions): Promise<VerifyOutcome> {
  const checks: VerifyCheck[] = [];
  const done = (certificate?: Certificate): VerifyOutcome => ({ ok: checks.every((c) => c.ok), checks, certificate });
  let payload: Uint8Array;
  let development: boolean;
  try {
    const header = decodeProtectedHeader(jws.trim());
    if (header.typ !== JWS_TYPE) throw new Error(`the JWS header's typ is ${String(header.typ)}, not ${JWS_TYPE}`);
    // A private key verifies as its public half; a JWKS gives the key its header's kid picks.
    const key = options.key
      ? (options.key.type === 'private' ? createPublicKey(options.key) : options.key)
      : options.jwks ? await options.jwks({ ...header, alg: String(header.alg) }, { payload: '', signature: '' }) : undefined;
    if (!key) throw new Error('no key to verify with (give --key or --jwks)');
    if (key instanceof Uint8Array) throw new Error('a shared secret cannot name who signed: give a public key');
    ({ payload } = await compactVerify(jws.trim(), key));
    // The header's kid is the signer's claim; the key that verified is named by its own thumbprint.
    const thumbprint = await thumbprintOf(key);
    const own = options.key ? options.keyJwk : await jwkWithThumbprint((options.jwks as { jwks?: () => JSONWebKeySet | undefined }).jwks?.(), thumbprint);
    development = (own as Record<string, unknown> | undefined)?.[DEVELOPMENT_MEMBER] === true
      || (options.developmentKeyFile !== undefined && thumbprint === await developmentThumbprint(options.developmentKeyFile));
    checks.push({ name: 'signature', ok: true, detail: `verified with key ${thumbprint} (RFC 7638 thumbprint, ${String(header.alg)}), ${development ? 'a DEVELOPMENT key' : 'not marked as a development key'}` });
    if (header.kid !== undefined && header.kid !== thumbprint && header.kid !== own?.kid) {
      checks.push({ name: 'key', ok: false, detail: `the header names key ${String(header.kid)}, but the key that verified is ${thumbprint}${own?.kid ? ` (kid ${own.kid})` : ''}: the certificate misnames its signer` });
    }
  } catch (error) {
    const reason = error instanceof joseErrors.JWSSignatureVerificationFailed
      ? 'the signature does not match the content: the certificate was changed after signing, or signed with another key'
      : (error as Error).message;
    checks.push({ name: 'signature', ok: false, detail: reason });
    return done();
  }
  const text = new TextDecoder().decode(payload);
  let certificate: Certificate;
  try {
    certificate = JSON.parse(text) as Certificate;
    if (certificate.type !== CERTIFICATE_TYPE) throw new Error(`type is ${String(certificate.type)}, not ${CERTIFICATE_TYPE}`);
    if (canonicalJson(certificate) !== text) throw new Error('the payload is not in canonical (RFC 8785) form');
    if (development && !certificate.development) throw new Error('a development key signed it, but the certificate says it is not a development certificate');
    checks.push({ name: 'document', ok: true, detail: `${certificate.source} certificate${certificate.development ? ' (DEVELOPMENT key: proves nothing to a third party)' : ''}, score ${certificate.score.percent}%` });
  } catch (error) {
    checks.push({ name: 'document', ok: false, detail: (error as Error).message });
    return done();
  }
  checks.push(contractsCheck(certificate, options.contractsDir));
  const now = options.now ?? new Date();
  const expires = Date.parse(certificate.expiresAt);
  checks.push(!Number.isFinite(expires) || expires <= now.getTime()
    ? { name: 'expiry', ok: false, detail: `expired at ${certificate.expiresAt}` }
    : { name: 'expiry', ok: true, detail: `valid until ${certificate.expiresAt}` });
  return done(certificate);
}
