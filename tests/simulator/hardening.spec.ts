/**
 * The access host hardened as the provider's Hydra-based one behaves: challenges bound to the
 * browser, pages never framed or cached, PKCE S256, nonce in the ID token, no advertised endpoint
 * that 404s, parameters given once, strict feed integers, JSON errors for a wrong method.
 */
import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { decodeJwt } from 'jose';
import { authorizeOverHttp } from '../../src/drivers/simulator-http.ts';
import { browserCookie, clients, credentials, NIN, SimHarness, useSimulator } from './helpers.ts';

const h = useSimulator();
const a = clients.a;
const scope = 'debt.unsecured.presentation openid';
const auth = (extra: Record<string, string> = {}) =>
  h.client.call('authorize', { query: { client_id: a.client_id, redirect_uri: a.redirect_uris[0]!, response_type: 'code', scope, state: 'state-123456', ...extra } });

/** Up to the consent page: the auth reply (its cookie) and the consent challenge. */
async function atConsent() {
  const start = await auth();
  const headers = browserCookie(start);
  expect(headers.cookie).toMatch(/^nogi_login_binding=/);
  const challenge = new URL(start.headers.location!).searchParams.get('login_challenge')!;
  const login = await h.client.request('access', 'POST', '/login', { form: { login_challenge: challenge, nin: NIN }, headers });
  expect(login.status).toBe(303);
  return { headers, consentChallenge: new URL(login.headers.location!).searchParams.get('consent_challenge')! };
}

test('the binding cookie is HttpOnly and SameSite; a consent POST without it, or from another site, is refused; the page loads on a cross-site navigation', async () => {
  const start = await auth();
  expect(start.headers['set-cookie']).toMatch(/HttpOnly/);
  expect(start.headers['set-cookie']).toMatch(/SameSite=Lax/);
  const { headers, consentChallenge } = await atConsent();
  const post = (extra: Record<string, string>) => h.client.request('access', 'POST', '/consent', { form: { consent_challenge: consentChallenge, action: 'accept' }, headers: extra });
  // Another browser (no cookie), another browser's cookie, and a cross-site form post with the cookie.
  expect((await post({})).status).toBe(403);
  expect((await post({ cookie: `nogi_login_binding=${randomBytes(24).toString('base64url')}` })).status).toBe(403);
  expect((await post({ ...headers, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  // Same site is not same origin: another port of the same host, which a Lax cookie accompanies.
  expect((await post({ ...headers, 'sec-fetch-site': 'same-site' })).status).toBe(403);
  // The page itself is a navigation from the partner's site (cross-site); a cross-site fetch of it is not.
  const page = (extra: Record<string, string>) => h.client.request('access', 'GET', `/consent?consent_challenge=${encodeURIComponent(consentChallenge)}`, { headers: { ...headers, ...extra } });
  expect((await page({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' })).status).toBe(200);
  expect((await page({ 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' })).status).toBe(403);
  const ok = await post({ ...headers, 'sec-fetch-site': 'same-origin' });
  expect(ok.status).toBe(303);
  expect(new URL(ok.headers.location!).searchParams.get('code')).toBeTruthy();
});

test('login and consent pages are never framed or cached', async () => {
  const start = await auth();
  const login = await h.client.request('access', 'GET', start.headers.location!, { headers: browserCookie(start) });
  for (const r of [start, login]) {
    expect(r.headers['content-security-policy']).toBe("frame-ancestors 'none'");
    expect(r.headers['cache-control']).toBe('no-store');
  }
  const { headers, consentChallenge } = await atConsent();
  const page = await h.client.request('access', 'GET', `/consent?consent_challenge=${encodeURIComponent(consentChallenge)}`, { headers });
  expect(page.status).toBe(200);
  expect(page.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  expect(page.headers['cache-control']).toBe('no-store');
});

test('PKCE S256: the right verifier gets tokens, a wrong or missing one invalid_grant; plain is refused', async () => {
  const flow = async (verifier: string) => {
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const cb = await authorizeOverHttp(h.client, { clientId: a.client_id, redirectUri: a.redirect_uris[0]!, scope, nin: NIN, extra: { code_challenge: challenge, code_challenge_method: 'S256' } });
    return cb.searchParams.get('code')!;
  };
  const verifier = randomBytes(32).toString('base64url');
  const good = await h.client.exchangeCode(credentials(a), await flow(verifier), a.redirect_uris[0]!, { code_verifier: verifier });
  expect(good.status).toBe(200);
  const wrong = await h.client.exchangeCode(credentials(a), await flow(verifier), a.redirect_uris[0]!, { code_verifier: randomBytes(32).toString('base64url') });
  expect(wrong.status).toBe(400);
  expect(wrong.body).toMatchObject({ error: 'invalid_grant' });
  const missing = await h.client.exchangeCode(credentials(a), await flow(verifier), a.redirect_uris[0]!);
  expect(missing.body).toMatchObject({ error: 'invalid_grant' });
  const plain = await auth({ code_challenge: verifier.slice(0, 43), code_challenge_method: 'plain' });
  expect(plain.status).toBe(400);
});

test('the nonce of the authorization request is in the ID token', async () => {
  const nonce = randomBytes(16).toString('hex');
  const cb = await authorizeOverHttp(h.client, { clientId: a.client_id, redirectUri: a.redirect_uris[0]!, scope, nin: NIN, extra: { nonce } });
  const r = await h.client.exchangeCode(credentials(a), cb.searchParams.get('code')!, a.redirect_uris[0]!);
  expect(r.status).toBe(200);
  expect(decodeJwt((r.body as { id_token: string }).id_token).nonce).toBe(nonce);
});

test('discovery advertises only endpoints that are served', async () => {
  const d = (await h.client.call('getOpenIdConfiguration')).body as Record<string, unknown>;
  for (const k of ['userinfo_endpoint', 'revocation_endpoint', 'end_session_endpoint']) expect(d, k).not.toHaveProperty(k);
  expect(d.code_challenge_methods_supported).toEqual(['S256']);
});

test('a parameter given twice is invalid_request; a wrong method on the token endpoint a JSON 405', async () => {
  const r = await h.client.request('access', 'POST', '/oauth2/token', {
    client: credentials(a), body: 'grant_type=client_credentials&audience=x&scope=a&scope=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ error: 'invalid_request', error_description: 'scope must be given once' });
  const page = await h.client.request('access', 'GET', `/oauth2/auth?client_id=${a.client_id}&client_id=${a.client_id}&response_type=code`);
  expect(page.status).toBe(400);
  expect(page.text).toContain('client_id');
  const get = await h.client.request('access', 'GET', '/oauth2/token');
  expect(get.status).toBe(405);
  expect(get.headers['content-type']).toMatch(/^application\/json/);
  expect(get.body).toMatchObject({ error: 'invalid_request' });
  expect(get.headers.allow).toBe('POST');
});

test('feed integers are strict as Spring parses a long: 0x10, 1e3 and 1.5 are 400', async () => {
  const feed = await h.token(a, 'feed', 'client.access.consent.events');
  for (const bad of ['0x10', '1e3', '1.5', '']) {
    expect((await h.api('GET', `/feed/v1/consent?fromSequenceNr=${bad}&limit=5`, { token: feed })).status, `fromSequenceNr=${bad}`).toBe(400);
    expect((await h.api('GET', `/feed/v1/consent?fromSequenceNr=0&limit=${bad}`, { token: feed })).status, `limit=${bad}`).toBe(400);
  }
  expect((await h.api('GET', '/feed/v1/consent?fromSequenceNr=16&limit=5', { token: feed })).status).toBe(200);
});

test('bad JSON of any depth or size is a 400 with a JSON error body, in test mode and without it', async () => {
  const plain = await new SimHarness().start({ testMode: false });
  try {
    for (const [mode, sim] of [['test mode', h], ['without test mode', plain]] as const) {
      const token = await sim.token(a, 'agreement', 'consent.create');
      const bodies = {
        'nested arrays': `${'['.repeat(5000)}${']'.repeat(5000)}`,
        'nested objects': `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
        'nested inside a valid body': JSON.stringify({ nin: NIN, scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30, client_consent_id: 'deep' }).replace(/}$/, `,"extra":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`),
        '1 MB': JSON.stringify({ nin: NIN, padding: 'x'.repeat(1024 * 1024) }),
      };
      for (const [name, body] of Object.entries(bodies)) {
        const r = await sim.api('PUT', '/v1/consent/agreement', { token, body, headers: { 'content-type': 'application/json' } });
        expect(r.status, `${mode}, ${name}`).toBe(400);
        expect(r.headers['content-type'], `${mode}, ${name}`).toMatch(/^application\/(problem\+)?json/);
        expect(typeof r.body, `${mode}, ${name}`).toBe('object');
      }
      // And it keeps answering.
      expect((await sim.createConsent(token)).status, mode).toBe(200);
    }
  } finally {
    await plain.close();
  }
});

test('the depth bound holds in every charset the JSON parser takes: UTF-16 nested past it is a 400 on every host, in test mode and without it', async () => {
  const plain = await new SimHarness().start({ testMode: false });
  try {
    // An escaped quote first: a scan of the bytes as UTF-8 would leave the string there and never count the brackets after it.
    const body = (depth: number, fields: Record<string, unknown>) => JSON.stringify({ ...fields, s: '"' }).replace(/}$/, `,"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const utf16 = (text: string, charset: 'utf-16le' | 'utf-16be') => {
      const le = Buffer.from(text, 'utf16le');
      return charset === 'utf-16le' ? le : Buffer.from(le).swap16();
    };
    const consent = { nin: NIN, scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30 };
    for (const [mode, sim] of [['test mode', h], ['without test mode', plain]] as const) {
      const token = await sim.token(a, 'agreement', 'consent.create');
      const targets = [
        { host: 'api', url: `${sim.sim.apiUrl}/v1/consent/agreement`, method: 'PUT', headers: { authorization: `Bearer ${token}` }, fields: consent, shallowStatus: 200 },
        ...(sim.sim.adminUrl ? [{ host: 'admin', url: `${sim.sim.adminUrl}/clients`, method: 'POST', headers: { authorization: `Bearer ${sim.sim.adminToken}` }, fields: { name: 'deep' }, shallowStatus: 201 }] : []),
      ];
      for (const charset of ['utf-16le', 'utf-16be'] as const) {
        for (const t of targets) {
          const send = (depth: number, id: string) => fetch(t.url, { method: t.method, headers: { ...t.headers, 'content-type': `application/json; charset=${charset}` }, body: utf16(body(depth, { ...t.fields, client_consent_id: id }), charset) });
          const deep = await send(5000, `deep-${charset}`);
          expect(deep.status, `${mode}, ${t.host}, ${charset}, 5,000 levels`).toBe(400);
          expect(await deep.text(), `${mode}, ${t.host}, ${charset}`).toContain('nested deeper than 1000 levels');
          // The charset itself is taken: the same body within the bound is answered as usual.
          const shallow = await send(900, `shallow-${charset}`);
          expect(shallow.status, `${mode}, ${t.host}, ${charset}, 900 levels`).toBe(t.shallowStatus);
          if (t.host === 'admin') await sim.admin('DELETE', `/clients/${((await shallow.json()) as { client_id: string }).client_id}`);
        }
        // The access host reads a JSON token request only for grading (test mode): refused as any JSON body there.
        const r = await fetch(`${sim.sim.accessUrl}/oauth2/token`, { method: 'POST', headers: { 'content-type': `application/json; charset=${charset}` }, body: utf16(body(5000, { grant_type: 'client_credentials' }), charset) });
        expect(r.status, `${mode}, access, ${charset}`).toBe(400);
        expect(((await r.json()) as { error: string }).error, `${mode}, access, ${charset}`).toBe('invalid_request');
      }
    }
  } finally {
    await plain.close();
  }
});
