/**
 * src/reporting/redact.ts, as the fixtures use it: every attachment, annotation and failure
 * message of the conformance specs goes through redact() / redactValue().
 * (tests/runs/redact.spec.ts covers the environment variables and encoded forms.)
 */
import { expect, test } from '@playwright/test';
import { maskNin, redact, redactValue, registerSecret } from '../../src/reporting/redact.ts';

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

test('a registered secret is masked wherever it appears; values too short to be secrets are not registered', () => {
  registerSecret('unit-registered-Q7');
  registerSecret('abc');
  registerSecret(undefined);
  expect(redact('x unit-registered-Q7 y unit-registered-Q7')).toBe('x [redacted] y [redacted]');
  expect(redact('abc')).toBe('abc');
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
