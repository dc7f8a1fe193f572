/** The synthetic NIN generator, checked by @navikt/fnrvalidator, and the recorder's scrubbing. */
import { idnr } from '@navikt/fnrvalidator';
import { expect, test } from '@playwright/test';
import type { Exchange } from '../../src/client/nogi-client.ts';
import { isSyntheticNin, seededRandom, syntheticNin } from '../../src/personas/nin.ts';
import { PersonaRecorder } from '../../src/personas/pack.ts';

test('fødselsnummer and d-nummer in the TestID range, with valid checksums, over many draws', () => {
  const random = seededRandom(42);
  for (let i = 0; i < 500; i++) {
    const fnr = syntheticNin({ random });
    expect(idnr(fnr), fnr).toEqual({ status: 'valid', type: 'tnr' });
    expect(Number(fnr.slice(2, 4))).toBeGreaterThan(80);
    const dnr = syntheticNin({ kind: 'dnr', random });
    expect(idnr(dnr), dnr).toEqual({ status: 'valid', type: 'dnr-and-tnr' });
    expect(Number(dnr[0])).toBeGreaterThanOrEqual(4);
  }
});

test('the birth date is encoded as given, month + 80 (and day + 40 for a d-nummer), century by individual number', () => {
  const nin = syntheticNin({ birthDate: new Date(Date.UTC(1984, 3, 14)) });
  expect(nin.slice(0, 6)).toBe('148484');
  expect(Number(nin.slice(6, 9))).toBeLessThan(500);
  const dnr = syntheticNin({ kind: 'dnr', birthDate: new Date(Date.UTC(2003, 11, 1)) });
  expect(dnr.slice(0, 6)).toBe('419203');
  expect(Number(dnr.slice(6, 9))).toBeGreaterThanOrEqual(500);
});

test('the TestID people of the docs are synthetic; an ordinary fødselsnummer is not', () => {
  expect(isSyntheticNin('14842249091')).toBe(true);
  expect(isSyntheticNin('29868099311')).toBe(true);
  expect(isSyntheticNin('01019010046')).toBe(false);
  expect(isSyntheticNin('14842249092')).toBe(false);
});

test('a seeded source gives the same people again', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  expect(Array.from({ length: 5 }, () => syntheticNin({ random: a }))).toEqual(Array.from({ length: 5 }, () => syntheticNin({ random: b })));
});

const debtExchange = (body: unknown): Exchange => ({
  operationId: 'getDebtWithConsentID', contract: 'api', method: 'GET', url: 'http://x/v1/debt/1', pathTemplate: '/v1/debt/{id}', status: 200,
  contentType: 'application/json', headers: {}, body, text: JSON.stringify(body), sentAuthorization: 'bearer', durationMs: 1, findings: [],
});

test('the recorder replaces NINs (also inside creditor names), drops unanswered and unknown fields, and refuses to keep a noted name', () => {
  const real = '01019010046';
  const recorder = new PersonaRecorder();
  recorder.observe(debtExchange({
    ssn: real,
    loans: [
      { creditorName: `ENK ${real}`, loan: { type: 'chargeCard', timestamp: '2025-01-01T00:00:00Z', interestBearingBalance: 100, holderName: 'Per Ekte' } },
      { creditorName: 'MISSING AS', loan: null },
    ],
    numberOfCreditorsAnswered: 1, numberOfcreditorsMissing: 1,
  }));
  const pack = recorder.toPack(seededRandom(1));
  const text = JSON.stringify(pack);
  expect(text).not.toContain(real);
  expect(text).not.toContain('Per Ekte');
  expect(pack.people).toHaveLength(1);
  const person = pack.people[0]!;
  expect(isSyntheticNin(person.nin)).toBe(true);
  expect(person.loans).toEqual([{ creditorName: `ENK ${person.nin}`, loan: { type: 'chargeCard', timestamp: '2025-01-01T00:00:00Z', interestBearingBalance: 100 } }]);

  // A name the run saw elsewhere (an ID token's claims) that is still in the pack stops the write.
  recorder.noteName('ENK');
  expect(() => recorder.toPack()).toThrow(/original NIN\(s\) or name\(s\); nothing written/);
});
