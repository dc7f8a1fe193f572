/** RS256 signing keys for ID tokens (generated per start) and the JWKS that publishes them. */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type GenerateKeyPairResult, type JWK } from 'jose';

export interface SigningKeys {
  jwks: { keys: JWK[] };
  sign(claims: Record<string, unknown>, opts: { badSignature?: boolean }): Promise<string>;
}

export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  // A second key, never published: the `id-token-bad-signature` deviation signs with it under the
  // same kid. Made when first needed: an RSA key costs a start-up hundreds of milliseconds.
  let rogue: Promise<GenerateKeyPairResult> | undefined;
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const published: JWK = { ...jwk, kid, use: 'sig', alg: 'RS256' };
  return {
    jwks: { keys: [published] },
    async sign(claims, { badSignature }) {
      const key: CryptoKey = badSignature ? (await (rogue ??= generateKeyPair('RS256'))).privateKey : privateKey;
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
    },
  };
}
