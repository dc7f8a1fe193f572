/**
 * What the simulator keeps of a secret: its SHA-256, never the value. A plain hash (no salt, no
 * slow KDF) suffices because every value hashed here is high-entropy random: access tokens and
 * authorization codes (opaqueToken, 2×256 bits) and run-time clients' secrets (generated, 192 bits). Guessing one
 * from its hash is as hard as guessing the value. Fixture clients' secrets are published anyway.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of the value, base64url: the form stored and keyed on. */
export const secretHash = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Whether `given` is the value whose secretHash is `hash`, in constant time (both sides are 32 bytes). */
export function matchesHash(given: string, hash: string): boolean {
  const expected = Buffer.from(hash, 'base64url');
  const actual = createHash('sha256').update(given).digest();
  return expected.length === actual.length && timingSafeEqual(actual, expected);
}
