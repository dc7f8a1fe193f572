/**
 * Tenants (test mode): clients created at run time through the admin surface, each with its own
 * clock offset, fault switches and reset, so partners and test workers on one simulator do not
 * see each other's time, faults or data.
 */
import { expect, test } from '@playwright/test';
import type { SimClient } from '../../src/simulator/index.ts';
import { useSimulator } from './helpers.ts';

const h = useSimulator();

async function tenant(body: Record<string, unknown> = {}): Promise<SimClient> {
  const r = await h.admin('POST', '/clients', body);
  expect(r.status).toBe(201);
  return r.body as SimClient;
}

async function tokens(c: SimClient) {
  return {
    create: await h.token(c, 'agreement', 'consent.create'),
    debt: await h.token(c, 'debt', 'debt.unsecured.presentation'),
    feed: await h.token(c, 'feed', 'client.access.consent.events'),
  };
}
type Tokens = Awaited<ReturnType<typeof tokens>>;
const register = async (t: Tokens, days: number) => ((await h.createConsent(t.create, { consent_duration_days: days })).body as { consent: { id: string } }).consent.id;
const status = (t: Tokens, id: string) => h.client.call('getConsentStatusWithID', { token: t.debt, params: { id } });
const feedIds = async (t: Tokens) => ((await h.client.call('feed', { token: t.feed, query: { fromSequenceNr: 0, limit: 100 } })).body as { result: { consentId: string }[] }).result.map((e) => e.consentId);

test('run-time clients: own clock, own faults, own reset; the others unaffected', async () => {
  const [one, two] = [await tenant({ name: 'Bank One' }), await tenant()];
  expect(one.client_id).not.toBe(two.client_id);
  const [t1, t2] = [await tokens(one), await tokens(two)];
  const [c1, c2] = [await register(t1, 1), await register(t2, 1)];

  // Clock: two days later for client one only.
  expect((await h.admin('POST', `/clients/${one.client_id}/clock`, { advanceSeconds: 2 * 86400 })).status).toBe(200);
  expect((await status(t2, c2)).body).toMatchObject({ active: true });
  // Its access tokens (3599 s) have expired on its own clock: a fresh one shows the consent expired.
  expect((await status(t1, c1)).status).toBe(403);
  const t1later = await tokens(one);
  expect((await status(t1later, c1)).body).toMatchObject({ active: false });

  // Faults: only client one's requests fail.
  expect((await h.admin('POST', `/clients/${one.client_id}/faults`, { operationId: 'getConsentStatusWithID', status: 500 })).status).toBe(200);
  expect((await status(t1later, c1)).status).toBe(500);
  expect((await status(t2, c2)).status).toBe(200);
  expect((await h.admin('GET', `/clients/${one.client_id}`)).body).toMatchObject({ faults: { getConsentStatusWithID: { status: 500 } }, clock: { offsetSeconds: 2 * 86400 } });

  // Reset: client one's data, faults and clock are gone; client two keeps its consent and feed.
  expect((await h.admin('POST', `/clients/${one.client_id}/reset`)).status).toBe(200);
  const t1fresh = await tokens(one);
  expect((await status(t1fresh, c1)).status).toBe(403);
  expect(await feedIds(t1fresh)).toEqual([]);
  expect(await feedIds(t2)).toEqual([c2]);
  expect((await status(t2, c2)).body).toMatchObject({ active: true });
});

test('a run-time client without the integrated-consent agreement is refused; bad definitions are 400; unknown ids 404', async () => {
  const c = await tenant({ integratedConsent: false });
  const t = await tokens(c);
  expect((await h.createConsent(t.create)).status).toBe(403);
  expect((await h.admin('POST', '/clients', { allowed_scopes: ['debt.secured.presentation'] })).status).toBe(400);
  expect((await h.admin('POST', '/clients', { redirect_uris: ['not a url'] })).status).toBe(400);
  expect((await h.admin('POST', '/clients/unknown/clock', { advanceSeconds: 1 })).status).toBe(404);
  // The fixture clients keep the global clock and faults: a run-time client's id is not theirs.
  expect((await h.admin('GET', '/clients/6f1c2a7e-0000-4000-8000-000000000001')).status).toBe(404);
});

test('openid only for a client allowed it: every scope granted, and the ID token, within the allowed set', async () => {
  const c = await tenant({ allowed_scopes: ['debt.unsecured.presentation'] });
  const asked = await h.client.call('authorize', { query: { client_id: c.client_id, redirect_uri: c.redirect_uris[0]!, response_type: 'code', scope: 'debt.unsecured.presentation.30 openid', state: 'state-123456' } });
  expect(asked.status).toBe(302);
  const refused = new URL(asked.headers.location!);
  expect(`${refused.origin}${refused.pathname}`).toBe(c.redirect_uris[0]);
  expect(refused.searchParams.get('error')).toBe('invalid_scopes');
  expect(refused.searchParams.get('error_description')).toContain('openid');
  expect(refused.searchParams.get('code')).toBeNull();
  // Without openid the same client gets its debt scope, and no ID token.
  const callback = await h.authorize(c, { scope: 'debt.unsecured.presentation.30' });
  const r = await h.client.exchangeCode({ clientId: c.client_id, clientSecret: c.client_secret, redirectUri: c.redirect_uris[0] }, callback.searchParams.get('code')!, c.redirect_uris[0]!);
  expect(r.ok).toBe(true);
  const granted = r.data as { scope: string; id_token?: string };
  expect(granted.scope.split(' ').every((s) => s.startsWith('debt.unsecured.presentation'))).toBe(true);
  expect(granted.id_token).toBeUndefined();
});
