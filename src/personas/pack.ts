/**
 * Recorded personas: the debt answers a run saw on a real target, saved as a persona pack in the
 * simulator's fixture format (a folder with people.json and clients.json, loaded through
 * NOGI_SIM_FIXTURES). Nothing personal leaves the target: every NIN becomes a synthetic one
 * (src/personas/nin.ts), every person gets a synthetic name, and only the loan fields the fixture
 * format knows are kept; the pack is checked for the originals before it is written.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from '../client/nogi-client.ts';
import { defaultFixturesDir, fixtureLoanFields, loadSimulatorFixtures, type SimLoan, type SimPerson } from '../simulator/fixtures.ts';
import { isNin } from '../reporting/redact.ts';
import { syntheticName } from './names.ts';
import { syntheticNin, type RandomInt } from './nin.ts';

interface RecordedLoan {
  creditorName?: unknown;
  loan?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

/** A debt_information answer: the person's NIN and their loans. */
function debtAnswer(exchange: Exchange): { ssn: string; loans: RecordedLoan[] } | undefined {
  const body = exchange.body;
  if (exchange.status !== 200 || !isObject(body) || typeof body.ssn !== 'string' || !Array.isArray(body.loans)) return undefined;
  return { ssn: body.ssn, loans: body.loans.filter(isObject) };
}

export interface PersonaPack {
  people: SimPerson[];
}

export class PersonaRecorder {
  /** Recorded loans by the target's NIN (kept in memory only). */
  private readonly seen = new Map<string, RecordedLoan[]>();
  /** Names the target showed for a NIN (ID-token claims, bodies), checked to be absent from the pack. */
  private readonly names = new Set<string>();

  /** For NoGiClient's onExchange: keeps every successful debt answer (the last one per person). */
  readonly observe = (exchange: Exchange): void => {
    const debt = debtAnswer(exchange);
    if (debt) this.seen.set(debt.ssn, debt.loans);
  };

  /** A real person's name seen elsewhere in the run; the pack is checked not to contain it. */
  noteName(name: string): void {
    if (name.trim()) this.names.add(name.trim());
  }

  get count(): number {
    return this.seen.size;
  }

  /** The pack: synthetic NIN and name per person, loans in the fixture format (unanswered creditors left out). */
  toPack(random?: RandomInt): PersonaPack {
    const replacements = new Map<string, string>();
    const synthetic = (nin: string): string => {
      const known = replacements.get(nin);
      if (known) return known;
      let replacement: string | undefined;
      while (!replacement || replacement === nin || [...replacements.values()].includes(replacement)) {
        replacement = syntheticNin({ kind: Number(nin[0]) >= 4 ? 'dnr' : 'fnr', random });
      }
      replacements.set(nin, replacement);
      return replacement;
    };
    // Any NIN-shaped number inside a string (a creditor that is a sole proprietorship) is replaced too.
    const scrub = (text: string): string => text.replace(/\d{11}/g, (digits) => (isNin(digits) ? synthetic(digits) : digits));
    const people = [...this.seen].map(([nin, loans]): SimPerson => ({
      nin: synthetic(nin),
      name: syntheticName(random),
      loans: loans.flatMap((entry): SimLoan[] => {
        if (!isObject(entry.loan) || typeof entry.loan.type !== 'string' || !(entry.loan.type in fixtureLoanFields)) return [];
        const type = entry.loan.type as SimLoan['loan']['type'];
        const loan = Object.fromEntries(fixtureLoanFields[type].filter((k) => k in (entry.loan as object)).map((k) => {
          const value = (entry.loan as Record<string, unknown>)[k];
          return [k, typeof value === 'string' ? scrub(value) : value];
        }));
        return [{ creditorName: scrub(typeof entry.creditorName === 'string' && entry.creditorName ? entry.creditorName : 'UKJENT KREDITOR'), loan: { ...loan, type } }];
      }),
    }));
    const pack = { people };
    const text = JSON.stringify(pack);
    const leaked = [...this.seen.keys(), ...this.names].filter((original) => text.includes(original));
    if (leaked.length) throw new Error(`the persona pack still holds ${leaked.length} original NIN(s) or name(s); nothing written`);
    return pack;
  }

  /**
   * Writes the pack to `dir` (people.json, and the simulator's own clients.json: the target's
   * clients are never recorded) and loads it as the simulator would. Returns the number of people.
   */
  write(dir: string, random?: RandomInt): number {
    const pack = this.toPack(random);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'people.json'), `${JSON.stringify({
      $comment: 'A recorded persona pack (nogi-conformance compare --record): debt answers of a real target with synthetic NINs and names. Load it with NOGI_SIM_FIXTURES=<this folder>.',
      ...pack,
    }, null, 2)}\n`);
    copyFileSync(join(defaultFixturesDir, 'clients.json'), join(dir, 'clients.json'));
    loadSimulatorFixtures(dir);
    return pack.people.length;
  }
}
