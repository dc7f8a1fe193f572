/**
 * Bounded state: unauthenticated /oauth2/auth requests cannot grow the sessions past the
 * per-client cap, and the sweep deletes them once expired (counted through the admin state,
 * not RSS: the memory benchmark belongs to the bench scripts).
 */
import { expect, test } from '@playwright/test';
import { clients, useSimulator } from './helpers.ts';

const CAP = 300;
const h = useSimulator({ maxPendingLogins: CAP, sweepIntervalMs: 0 });
const sessions = async () => ((await h.admin('GET', '/state')).body as { counts: { sessions: number } }).counts.sessions;

test('2,000 abandoned /oauth2/auth requests: at most the cap held, a clear 429 beyond it, none left after the sweep', async () => {
  test.setTimeout(120_000);
  const a = clients.a;
  const query = { client_id: a.client_id, redirect_uri: a.redirect_uris[0]!, response_type: 'code', scope: 'debt.unsecured.presentation', state: 'x'.repeat(2048) };
  const statuses: number[] = [];
  // 2,000 in batches of 50: bounded in count, concurrent enough to race the cap a little.
  for (let i = 0; i < 2000; i += 50) {
    const replies = await Promise.all(Array.from({ length: 50 }, () => h.client.call('authorize', { query })));
    statuses.push(...replies.map((r) => r.status));
  }
  const started = statuses.filter((s) => s === 302).length;
  const refused = statuses.filter((s) => s === 429).length;
  expect(started + refused).toBe(2000);
  expect(started).toBeGreaterThanOrEqual(CAP);
  // Concurrent requests may each see the count just under the cap; never more than one batch over.
  expect(started).toBeLessThan(CAP + 50);
  expect(await sessions()).toBe(started);
  const page = await h.client.call('authorize', { query });
  expect(page.status).toBe(429);
  expect(page.text).toContain('Too many unfinished logins');

  // Another client is not affected by client A's cap.
  const b = clients.b;
  expect((await h.client.call('authorize', { query: { ...query, client_id: b.client_id, redirect_uri: b.redirect_uris[0]! } })).status).toBe(302);

  // Sessions live 30 minutes: after that the sweep deletes them all, and logins work again.
  await h.admin('POST', '/clock', { advanceSeconds: 31 * 60 });
  const swept = (await h.admin('POST', '/sweep')).body as { swept: { sessions: number } };
  expect(swept.swept.sessions).toBe(started + 1);
  expect(await sessions()).toBe(0);
  expect((await h.client.call('authorize', { query })).status).toBe(302);
  await h.admin('POST', '/reset');
});

test('an authorization code never exchanged leaves no consent; the exchange brings it into being', async () => {
  const a = clients.a;
  const counts = async () => ((await h.admin('GET', '/state')).body as { counts: { consents: number; codes: number } }).counts;
  const callback = await h.authorize(a, { scope: 'debt.unsecured.presentation' });
  expect(callback.searchParams.get('code')).toBeTruthy();
  expect(await counts()).toMatchObject({ consents: 0, codes: 1 });
  // The code expires unexchanged: the sweep deletes it, and no consent was ever active.
  await h.admin('POST', '/clock', { advanceSeconds: 11 * 60 });
  await h.admin('POST', '/sweep');
  expect(await counts()).toMatchObject({ consents: 0, codes: 0 });

  await h.admin('POST', '/clock', { reset: true });
  const token = await h.codeToken(a, 'debt.unsecured.presentation');
  expect((await h.client.call('getDebtWithAuthCodeToken', { token })).status).toBe(200);
  expect((await counts()).consents).toBe(1);
  await h.admin('POST', '/reset');
});
