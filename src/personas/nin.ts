/**
 * Synthetic Norwegian national identity numbers for personas: fødselsnummer and d-nummer in
 * the test range TestID and Skatteetaten's test data use (month + 80; a d-nummer also has day + 40),
 * so a generated number can never be a real person's. Checksums per the public algorithm
 * (mod 11 over the weights below); @navikt/fnrvalidator confirms each result.
 */
import { randomInt } from 'node:crypto';
import { idnr } from '@navikt/fnrvalidator';

export type NinKind = 'fnr' | 'dnr';

/** Random integers in [min, max); node:crypto by default, or a seeded source for reproducible packs. */
export type RandomInt = (min: number, max: number) => number;

export interface SyntheticNinOptions {
  kind?: NinKind;
  /** Default: a random day from 1940 to 2005 (adults). */
  birthDate?: Date;
  random?: RandomInt;
}

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function checkDigit(digits: number[], weights: number[]): number | undefined {
  const sum = weights.reduce((acc, w, i) => acc + w * digits[i]!, 0);
  const k = (11 - (sum % 11)) % 11;
  return k === 10 ? undefined : k;
}

/** The individual-number ranges that encode a birth year's century (Skatteetaten's rules). */
function individualRange(year: number): [number, number] {
  if (year >= 1900 && year <= 1999) return [0, 500];
  if (year >= 2000 && year <= 2039) return [500, 1000];
  if (year >= 1854 && year <= 1899) return [500, 750];
  throw new RangeError(`no individual numbers for birth year ${year}`);
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function randomBirthDate(random: RandomInt): Date {
  const from = Date.UTC(1940, 0, 1);
  const to = Date.UTC(2005, 11, 31);
  const days = Math.floor((to - from) / 86_400_000);
  return new Date(from + random(0, days + 1) * 86_400_000);
}

/** Is this a synthetic (test-range) NIN with valid checksums? */
export function isSyntheticNin(nin: string): boolean {
  const result = idnr(nin);
  return result.status === 'valid' && (result.type === 'tnr' || result.type === 'dnr-and-tnr');
}

/** A synthetic fødselsnummer or d-nummer with valid checksums, in TestID's range (month + 80). */
export function syntheticNin(options: SyntheticNinOptions = {}): string {
  const random = options.random ?? randomInt;
  const kind = options.kind ?? 'fnr';
  const birth = options.birthDate ?? randomBirthDate(random);
  const year = birth.getUTCFullYear();
  const day = birth.getUTCDate() + (kind === 'dnr' ? 40 : 0);
  const month = birth.getUTCMonth() + 1 + 80;
  const [low, high] = individualRange(year);
  // About one individual number in eleven gives a checksum of 10 (unusable): draw again.
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = `${pad(day, 2)}${pad(month, 2)}${pad(year % 100, 2)}${pad(random(low, high), 3)}`;
    const digits = [...base].map(Number);
    const k1 = checkDigit(digits, K1);
    if (k1 === undefined) continue;
    const k2 = checkDigit([...digits, k1], K2);
    if (k2 === undefined) continue;
    const nin = `${base}${k1}${k2}`;
    if (!isSyntheticNin(nin)) throw new Error(`generated NIN failed validation (${kind}); a bug in src/personas/nin.ts`);
    return nin;
  }
  throw new Error(`no valid synthetic ${kind} for ${birth.toISOString().slice(0, 10)}`);
}

/** A seeded source of random integers (mulberry32), for packs that come out the same each time. */
export function seededRandom(seed: number): RandomInt {
  let state = seed >>> 0;
  return (min, max) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(unit * (max - min));
  };
}
