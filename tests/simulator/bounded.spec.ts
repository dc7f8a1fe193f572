/**
 * Bounded state: unauthenticated /oauth2/auth requests cannot grow the sessions past the
 * per-source and total caps, cannot lock another browser out, and the sweep deletes them once
 * expired (counted through the admin state, not RSS: the memory benchmark belongs to the bench
 * scripts).
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { request } from 'node:http';
import { browserCookie, clients, NIN, SimHarness, useSimulator, type Reply } from './helpers.ts';

const CAP = 300;
const TOTAL = 700;
const h = useSimulator({ maxPendingLogins: CAP, maxPendingLoginsTotal: TOTAL, sweepIntervalMs: 0 });
const sessions = async () => ((await h.admin('GET', '/state')).body as { counts: { sessions: number } }).counts.sessions;

test('pending logins are capped per source: 1,000 anonymous /oauth2/auth requests for a client fill only their address\'s budget, a browser with its own cookie still logs in; a made-up cookie buys nothing; a total cap bounds all', async () => {
  test.setTimeout(120_000);
  const a = clients.a;
  const query = { client_id: a.client_id, redirect_uri: a.redirect_uris[0]!, response_type: 'code', scope: 'debt.unsecured.presentation', state: 'x'.repeat(2048) };
  const auth = (headers: Record<string, string> = {}) => h.client.call('authorize', { query, headers });
  /** `n` requests in batches of 50: bounded in count, concurrent enough to race the caps a little. */
  const flood = async (n: number, headers: () => Record<string, string> = () => ({})) => {
    const replies: Reply[] = [];
    for (let i = 0; i < n; i += 50) replies.push(...await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => auth(headers()))));
    return { started: replies.filter((r) => r.status === 302).length, refused: replies.filter((r) => r.status === 429), all: replies.length };
  };

  // Two real browsers visited before the flood: each holds the binding cookie the sandbox issued it.
  const alice = browserCookie(await auth());
  const bob = browserCookie(await auth());
  expect(alice.cookie).toMatch(/^nogi_login_binding=[\w-]{32}\.[\w-]{22}$/);

  // The flood: no cookies, all from the test process's address. Bounded by that address's budget.
  const anonymous = await flood(1000);
  expect(anonymous.started + anonymous.refused.length).toBe(1000);
  // Concurrent requests may each see the count just under the cap; never more than one batch over.
  expect(anonymous.started + 2).toBeGreaterThanOrEqual(CAP);
  expect(anonymous.started + 2).toBeLessThan(CAP + 50);
  expect(anonymous.refused[0]!.headers['retry-after']).toBe('1800');
  expect(anonymous.refused[0]!.text).toContain('Too many unfinished logins from this browser or address');
  // Made-up cookies are no browser's: charged to the address, refused with it.
  const forged = await flood(50, () => ({ cookie: `nogi_login_binding=${randomBytes(24).toString('base64url')}.${randomBytes(16).toString('base64url').slice(0, 22)}` }));
  expect(forged.started).toBe(0);

  // Alice's next real login goes through, on her own budget.
  const start = await auth(alice);
  expect(start.status).toBe(302);
  const challenge = new URL(start.headers.location!).searchParams.get('login_challenge')!;
  const login = await h.client.request('access', 'POST', '/login', { form: { login_challenge: challenge, nin: NIN }, headers: alice });
  expect(login.status).toBe(303);
  const consent = await h.client.request('access', 'POST', '/consent', { form: { consent_challenge: new URL(login.headers.location!).searchParams.get('consent_challenge')!, action: 'accept' }, headers: alice });
  expect(new URL(consent.headers.location!).searchParams.get('code')).toBeTruthy();

  // A browser flooding with its own cookie is bounded by its own budget.
  const fromAlice = await flood(400, () => alice);
  expect(fromAlice.started).toBeGreaterThanOrEqual(CAP - 1);
  expect(fromAlice.started).toBeLessThan(CAP + 50);
  // And everyone together by the total. Full, it makes room for a source holding fewer than the
  // busiest: Bob's 200 all start, each past the total in place of the busiest source's oldest.
  const fromBob = await flood(200, () => bob);
  expect(fromBob.started).toBe(200);
  const held = await sessions();
  expect(held).toBeGreaterThanOrEqual(TOTAL);
  expect(held).toBeLessThan(TOTAL + 50);
  // A source among the busiest (the address, under its own cap after giving way) meets the sandbox's 429.
  const more = await flood(100);
  expect(more.refused.length).toBeGreaterThan(0);
  expect(more.refused.at(-1)!.text).toContain('Too many unfinished logins in this sandbox');
  expect(await sessions()).toBeLessThan(TOTAL + 50);

  // Sessions live 30 minutes: after that the sweep deletes them all, and logins work again.
  const before = await sessions();
  await h.admin('POST', '/clock', { advanceSeconds: 31 * 60 });
  const swept = (await h.admin('POST', '/sweep')).body as { swept: { sessions: number } };
  expect(swept.swept.sessions).toBe(before);
  expect(await sessions()).toBe(0);
  expect((await auth()).status).toBe(302);
  await h.admin('POST', '/reset');
});

test('twenty addresses that fill the total lock no one out: a new address still starts and finishes its login, in place of the busiest source\'s oldest pending one; the total holds', async () => {
  test.setTimeout(120_000);
  const PER_SOURCE = 10;
  const ALL = 200;
  const sim = await new SimHarness().start({ maxPendingLogins: PER_SOURCE, maxPendingLoginsTotal: ALL, sweepIntervalMs: 0 });
  try {
    const a = clients.a;
    const url = new URL('/oauth2/auth', sim.sim.accessUrl);
    for (const [k, v] of Object.entries({ client_id: a.client_id, redirect_uri: a.redirect_uris[0]!, response_type: 'code', scope: 'debt.unsecured.presentation', state: 'state-123456' })) url.searchParams.set(k, v);
    /** GET /oauth2/auth from a loopback address of our choosing (the sandbox reads the source from the socket). */
    const authFrom = (localAddress: string): Promise<{ status: number; location?: string; cookie?: string; text: string }> => new Promise((resolve, reject) => {
      const req = request(url, { localAddress, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, cookie: res.headers['set-cookie']?.[0]?.split(';')[0], text }));
      });
      req.on('error', reject).end();
    });
    const count = async () => ((await sim.admin('GET', '/state')).body as { counts: { sessions: number } }).counts.sessions;

    // Twenty addresses, each up to its own cap (and one past it): the total is full.
    for (let i = 2; i < 22; i++) {
      const replies = [];
      for (let n = 0; n <= PER_SOURCE; n++) replies.push((await authFrom(`127.0.0.${i}`)).status);
      expect(replies.filter((s) => s === 302)).toHaveLength(PER_SOURCE);
      expect(replies.at(-1)).toBe(429);
    }
    expect(await count()).toBe(ALL);

    // A new browser on a new address gets in, and its login runs to the end.
    const start = await authFrom('127.0.0.50');
    expect(start.status).toBe(302);
    expect(await count()).toBe(ALL);
    const headers = { cookie: start.cookie! };
    const login = await sim.client.request('access', 'POST', '/login', { form: { login_challenge: new URL(start.location!).searchParams.get('login_challenge')!, nin: NIN }, headers });
    expect(login.status).toBe(303);
    const consent = await sim.client.request('access', 'POST', '/consent', { form: { consent_challenge: new URL(login.headers.location!).searchParams.get('consent_challenge')!, action: 'accept' }, headers });
    expect(new URL(consent.headers.location!).searchParams.get('code')).toBeTruthy();

    // Forty more new addresses: every one gets in; the total never grows.
    for (let i = 60; i < 100; i++) expect((await authFrom(`127.0.0.${i}`)).status).toBe(302);
    expect(await count()).toBe(ALL);
    // A flooding address that gave way may come back only to what the others hold: then the sandbox's 429.
    const back = [];
    for (let n = 0; n <= PER_SOURCE; n++) back.push(await authFrom('127.0.0.2'));
    expect(back.filter((r) => r.status === 302).length).toBeLessThan(PER_SOURCE);
    expect(back.at(-1)!.text).toContain('Too many unfinished logins in this sandbox');
    expect(await count()).toBe(ALL);
    // One eviction for 127.0.0.50, 39 for the forty (the finished login left one place free).
    expect(sim.logs.filter((l) => l.includes('evicted'))).toHaveLength(40);
  } finally {
    await sim.close();
  }
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
