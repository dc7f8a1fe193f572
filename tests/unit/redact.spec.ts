/**
 * src/reporting/redact.ts, as the fixtures use it: every attachment, annotation and failure
 * message of the conformance specs goes through redact() / redactValue().
 * (tests/runs/redact.spec.ts covers the environment variables and encoded forms.)
 */
import { expect, test } from '@playwright/test';
import { isNin, maskNin, redact, redactValue, registerSecret } from '../../src/reporting/redact.ts';

test('a NIN keeps its first and last digit; a longer number is left alone', () => {
  expect(maskNin('14842249091')).toBe('1*********1');
  expect(redact('ssn 14842249091, pid=29868099311.')).toBe('ssn 1*********1, pid=2*********1.');
  expect(redact('{"sequenceNr":123456789012}')).toBe('{"sequenceNr":123456789012}');
});

test('the fraction of a decimal number is not a NIN: a report stays valid JSON', () => {
  const json = JSON.stringify({ duration: 1.12345678901, nin: '14842249091' });
  const redacted = redact(json);
  expect(JSON.parse(redacted)).toEqual({ duration: 1.12345678901, nin: maskNin('14842249091') });
  expect(JSON.parse(redact(JSON.stringify({ code: 1234567, access_token: 'abcdefghij' })))).toEqual({ code: 1234567, access_token: 'abcd…[redacted]' });
});

test('credential fields in JSON and form bodies are masked whatever the token looks like', () => {
  const out = redact('{"access_token":"opaque-value-1","client_secret":"s3cr3t-value"} grant_type=authorization_code&code=xyz-code-777&redirect_uri=x');
  expect(out).not.toMatch(/opaque-value-1|s3cr3t-value|xyz-code-777/);
  expect(out).toContain('grant_type=authorization_code');
  expect(out).toContain('redirect_uri=x');
});

test('prose after "code:" is not a credential; a value after it still is', () => {
  const title = 'Log in with TestID, accept, exchange the code: access token and ID token';
  expect(redact(title)).toBe(title);
  expect(redact('Authorization: Bearer abcdefghijklmnop')).toBe('Authorization: Bearer abcd…[redacted]');
  expect(redact('the code: missing.')).toBe('the code: missing.');
  expect(redact('code: xyz-code-777, code: "abcdefgh", {"code":"abcdefgh"}, code=abcdefgh')).toBe('code: xyz-…[redacted], code: "***", {"code":"***"}, code=***');
  // Only "code" is also a word: a secret of letters alone after any other key is still masked.
  expect(redact('password: hunterpass, client_secret: abcdefghij')).toBe('password: hunt…[redacted], client_secret: abcd…[redacted]');
});

test('a registered secret is masked wherever it appears; values too short to be secrets are not registered', () => {
  registerSecret('unit-registered-Q7');
  registerSecret('abc');
  registerSecret(undefined);
  expect(redact('x unit-registered-Q7 y unit-registered-Q7')).toBe('x [redacted] y [redacted]');
  expect(redact('abc')).toBe('abc');
});

test('secrets that overlap, nest or touch are masked as one span, with nothing of either left', () => {
  // Two secrets sharing their first six characters, one inside another, one overlapping another's end.
  for (const secret of ['prefix-shared-one', 'prefix-shared-longer-two', 'outer-aaa-inner-bbb-outer', 'inner-bbb', 'overlap-start-XYZ', 'XYZ-overlap-end']) registerSecret(secret);
  const expectOverlapsMasked = () => {
    expect(redact('a prefix-shared-one b prefix-shared-longer-two c')).toBe('a [redacted] b [redacted] c');
    expect(redact('<outer-aaa-inner-bbb-outer> <inner-bbb>')).toBe('<[redacted]> <[redacted]>');
    expect(redact('[overlap-start-XYZ-overlap-end]')).toBe('[[redacted]]');
    expect(redact('overlap-start-XYZinner-bbb')).toBe('[redacted]');
  };
  // A few registered: each is looked for in turn.
  expectOverlapsMasked();
  // Thousands registered (a worker's tokens): one pass over the text finds them, the same spans.
  const many = Array.from({ length: 3000 }, (_, i) => `run-token-${i.toString(36).padStart(4, '0')}-${'x'.repeat(i % 7)}`);
  for (const token of many) registerSecret(token);
  expect(redact(`first ${many[0]} last ${many[2999]}.`)).toBe('first [redacted] last [redacted].');
  expectOverlapsMasked();
});

test('redactValue masks deep inside objects and keeps their shape', () => {
  registerSecret('nested-secret-value');
  const value = {
    request: { headers: { Authorization: 'Bearer abcdefghijklmnop' }, body: { nin: '14842249091', note: 'nested-secret-value' } },
    response: { status: 200, body: { loans: [{ creditorName: 'A' }] } },
  };
  const masked = redactValue(value);
  expect(masked.response).toEqual(value.response);
  expect(masked.request.body).toEqual({ nin: '1*********1', note: '[redacted]' });
  expect(masked.request.headers.Authorization).not.toContain('abcdefghijklmnop');
  expect(redactValue(undefined)).toBeUndefined();
});

test('an ID token and an opaque two-part access token are masked by shape', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJwaWQiOiIxNDg0MjI0OTA5MSJ9.c2lnbmF0dXJlLWJ5dGVz';
  const opaque = 'YcvXKoiuOwnbJkxso2Oe6bhp2cXcoHdZ1pdgE_QpDww.cAu8_J51evXtBQxfTMzkRA414_mOla1zryE1e_-r-1k';
  const out = redact(`id ${jwt} access ${opaque}`);
  expect(out).not.toContain(jwt.split('.')[1]);
  expect(out).not.toContain(opaque.split('.')[1]);
});

test.describe('NINs are recognised by their checksum, wherever and however they are written', () => {
  // Synthetic TestID people (valid checksums), the simulator's fixtures.
  const [first, second] = ['14842249091', '29868099311'];

  test('fødselsnummer, d-nummer and synthetic TestID numbers are NINs; a wrong check digit is not', () => {
    expect(isNin(first)).toBe(true);
    expect(isNin(second)).toBe(true);
    // A d-nummer: 40 added to the day of birth, own check digits.
    expect(isNin('41018036736')).toBe(true);
    expect(isNin('14842249092')).toBe(false);
    expect(isNin('12345678901')).toBe(false);
  });

  test('written DDMMYY NNNNN or DDMMYY-NNNNN', () => {
    expect(redact('NIN 148422 49091 and 298680-99311.')).toBe('NIN 1*********1 and 2*********1.');
  });

  test('after a dot, in a query string, in JSON, in a form body, at the start and end of text', () => {
    expect(redact(`person.${first}`)).toBe('person.1*********1');
    expect(redact(`Fill .${first}`)).toBe('Fill .1*********1');
    expect(redact(`GET /v1/people?nin=${first}&limit=10`)).toBe('GET /v1/people?nin=1*********1&limit=10');
    expect(redact(JSON.stringify({ nin: first, people: [second] }))).toBe('{"nin":"1*********1","people":["2*********1"]}');
    expect(redact(`nin=${first}`)).toBe('nin=1*********1');
    expect(redact(second)).toBe('2*********1');
  });

  test('a NIN sent as a bare JSON number is masked by redactValue and the JSON stays valid', () => {
    expect(redactValue({ nin: Number(first), count: 3 })).toEqual({ nin: '1*********1', count: 3 });
  });

  test('identifiers, numbers and timestamps survive byte-identical', () => {
    const untouched = [
      // UUIDs (allure attachment names among them), one with an 11-digit run that has a valid checksum.
      '4dfa6b6d-9022-4524-97e6-70476103765d',
      `4dfa6b6d-9022-4524-97e6-${first}a`,
      `a1b2c3d4-0000-4000-8000-0${first}`,
      `{"source":"4dfa6b6d-9022-4524-97e6-70476103765d-attachment.json"}`,
      // Hex ids and words containing a NIN-looking run.
      `deadbeef${first}`,
      `${first}cafe`,
      `id_${first}`,
      // An 11-digit run inside a longer number: epoch milliseconds, a 12-digit sequence number.
      '1764412345678',
      `9${first}`,
      '{"sequenceNr":123456789012,"lastSequenceNr":12345678901}',
      // Eleven digits that fail the checksum: a sequence number, not a NIN.
      '{"fromSequenceNr":12345678901}',
      // Decimals and durations, on either side of the point.
      `{"duration":1.${first},"startTime":${first}.5}`,
      JSON.stringify({ durations: { total: 1234.567, p50: 12.3, samples: [0.14842249091, 29868099311.25] } }),
      // ISO timestamps, with fractional seconds.
      '2026-11-28T09:48:45.391Z',
      `2026-11-28T09:48:45.${first}Z`,
      // A hyphenated hex id whose group is a NIN-looking run.
      `ab12-${first}-cd34`,
    ];
    for (const text of untouched) expect(redact(text), text).toBe(text);
  });

  test('an attachment reference in an allure result is left as it is, and the NIN next to it masked', () => {
    const result = JSON.stringify({
      name: `debt of ${first}`,
      attachments: [{ name: 'response', source: '4dfa6b6d-9022-4524-97e6-70476103765d-attachment.json', type: 'application/json' }],
      start: 1764412345678,
    });
    const masked = JSON.parse(redact(result)) as { name: string; attachments: Array<{ source: string }>; start: number };
    expect(masked.name).toBe('debt of 1*********1');
    expect(masked.attachments[0]!.source).toBe('4dfa6b6d-9022-4524-97e6-70476103765d-attachment.json');
    expect(masked.start).toBe(1764412345678);
  });
});

test('credential keys are whole words: statusCode and errorCode values are not credentials', () => {
  expect(redact('{"statusCode":"NOT_FOUND_1","code":"auth-code-123456"}')).toBe('{"statusCode":"NOT_FOUND_1","code":"auth…[redacted]"}');
});

test('a masked exchange attached to the report is valid JSON with its ids intact', async ({}, testInfo) => {
  const exchange = { consentId: '4dfa6b6d-9022-4524-97e6-70476103765d', nin: '14842249091', sequenceNr: 12345678901, ms: 12.345 };
  const masked = redactValue(exchange);
  expect(masked).toEqual({ ...exchange, nin: '1*********1' });
  // tests/runs/fresh-results.spec.ts checks the report's reference to this file resolves.
  await testInfo.attach('exchange', { body: JSON.stringify(masked), contentType: 'application/json' });
});
