/** Unit tests of the provider's rules as the simulator encodes them (src/simulator/rules.ts). */
import { expect, test } from '@playwright/test';
import { getCatalogue } from '../../src/contract/catalogue.ts';
import { sanitize } from '../../src/simulator/log.ts';
import { audienceTable, isValidNin, parseAuthScope } from '../../src/simulator/rules.ts';

test('scope parsing: one debt scope, optional .N (clamped), optional trailing openid', () => {
  expect(parseAuthScope('debt.unsecured.presentation')).toEqual({ scope: 'debt.unsecured.presentation', clamped: false, openid: false });
  expect(parseAuthScope('debt.unsecured.presentation.50 openid')).toMatchObject({ days: 50, openid: true, clamped: false });
  expect(parseAuthScope('debt.unsecured.presentation.366')).toMatchObject({ days: 365, requestedDays: 366, clamped: true });
  expect(parseAuthScope('debt.unsecured.processing.29')).toMatchObject({ days: 28, clamped: true });
  expect(parseAuthScope('debt.unsecured.processing.28')).toMatchObject({ days: 28, clamped: false });
  for (const bad of ['', 'openid', 'openid debt.unsecured.presentation', 'debt.unsecured.presentation debt.unsecured.processing', 'debt.unsecured.presentation.0', 'debt.unsecured.presentation.-1', 'debt.unsecured.presentation openid openid', 'consent.create']) {
    expect(parseAuthScope(bad), bad).toHaveProperty('error');
  }
});

test('NIN validation accepts TestID synthetic numbers and rejects bad checksums', () => {
  expect(isValidNin('14842249091')).toBe(true);
  expect(isValidNin('29868099311')).toBe(true);
  expect(isValidNin('14842249092')).toBe(false);
  expect(isValidNin('1484224909')).toBe(false);
  expect(isValidNin(14842249091)).toBe(false);
});

test('masking: NINs, bearer and basic credentials and opaque tokens never reach a log line', () => {
  const line = sanitize(`pid=14842249091 and 29868099311 Authorization: Bearer abcdefgh.ijklmn Basic dXNlcjpwYXNz token ${'a'.repeat(43)}.${'b'.repeat(43)} end`);
  for (const leaked of ['14842249091', '29868099311', 'abcdefgh.ijklmn', 'dXNlcjpwYXNz', 'a'.repeat(43)]) expect(line).not.toContain(leaked);
  expect(line).toContain(' end');
  expect(sanitize('GET /v1/debt/0dcec3d5-6844-4d2c-b972-83086064b111 200')).toContain('0dcec3d5-6844-4d2c-b972-83086064b111');
});

test('audiences: preprod identifiers and the same paths on our own API URL', async () => {
  const table = audienceTable(await getCatalogue(), 'http://127.0.0.1:4420/');
  expect(table.get('https://api-preprod.norskgjeld.no/v1/consent/agreement')).toBe('agreement');
  expect(table.get('https://api-preprod.norskgjeld.no/feed/v1/consent')).toBe('feed');
  expect(table.get('http://127.0.0.1:4420/v1/debt')).toBe('debt');
  expect(table.get('https://api.norskgjeld.no/v1/debt')).toBeUndefined();
});
