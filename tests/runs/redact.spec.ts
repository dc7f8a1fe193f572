/** src/reporting/redact.ts: the one place that masks secrets, tokens and NINs. */
import { expect, test } from '@playwright/test';

test('registered secrets are masked plain, URL-encoded and form-encoded', async () => {
  const { redact, registerSecret } = await import('../../src/reporting/redact.ts');
  const secret = 'p@ss word/+=x9';
  registerSecret(secret);
  const out = redact(`a ${secret} b ${encodeURIComponent(secret)} c ${encodeURIComponent(secret).replace(/%20/g, '+')}`);
  expect(out).toBe('a [redacted] b [redacted] c [redacted]');
});

test('tokens, Basic credentials and NINs are masked by shape', async () => {
  const { redact } = await import('../../src/reporting/redact.ts');
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl';
  const out = redact(`Authorization: Bearer abcdefghijklmnop\n{"id_token":"${jwt}","ssn":"14842249091"} Basic dXNlcjpzZWNyZXQxMjM0NQ==`);
  expect(out).not.toContain('abcdefghijklmnop');
  expect(out).not.toContain(jwt.slice(20));
  expect(out).not.toContain('14842249091');
  expect(out).toContain('1*********1');
  expect(out).not.toContain('dXNlcjpzZWNyZXQxMjM0NQ==');
  // A longer number is not a NIN.
  expect(redact('1732790000123')).toBe('1732790000123');
});

test('credentials named in the environment are secrets without registering them', async () => {
  const { spawnSync } = await import('node:child_process');
  // A fresh process: the environment is read once, on the first redact().
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/reporting/redact.ts').then(m => console.log(m.redact('s=' + process.env.NOGI_CLIENT_SECRET + ' t=' + process.env.PACT_BROKER_TOKEN)))"], {
    env: { ...process.env, NOGI_CLIENT_SECRET: 'env-secret-Qw3rty', PACT_BROKER_TOKEN: 'broker-tok-Zx9' },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('s=[redacted] t=[redacted]');
});
