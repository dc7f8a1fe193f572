/**
 * The access host: discovery, JWKS, token endpoint (both grants and RFC 6749 errors), the auth
 * endpoint and its pages over plain HTTP, and a standard OIDC library (openid-client) doing
 * discovery, client credentials and the authorization code flow, with the ID token's signature
 * verified against the JWKS.
 */
import { expect, test } from '@playwright/test';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { browserCookie, clients, credentials, findings, NIN, PREPROD, SimHarness, useSimulator } from './helpers.ts';

const h = useSimulator();
test.afterEach(async () => {
  await h.admin('POST', '/clock', { reset: true });
  await h.admin('POST', '/deviations', { disable: ['id-token-bad-signature', 'redirect-unregistered'] });
});

const { a, b, withoutAgreement: c } = clients;

test.describe('discovery and JWKS', () => {
  test('openid-configuration is the documented document on our own public URL', async () => {
    const r = await h.client.discovery();
    expect(r.url).toBe(h.sim.discoveryUrl);
    const body = r.data;
    expect(r.status).toBe(200);
    expect(body.issuer).toBe(`${h.sim.accessUrl}/`);
    expect(body.token_endpoint).toBe(`${h.sim.accessUrl}/oauth2/token`);
    expect(body.authorization_endpoint).toBe(`${h.sim.accessUrl}/oauth2/auth`);
    expect(body.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic']);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
    expect(findings('getOpenIdConfiguration', r)).toEqual([]);
  });

  test('public URLs are used for issuer and endpoints behind a proxy', async () => {
    const proxied = await new SimHarness().start({ accessPublicUrl: 'https://access.sim.example/', apiPublicUrl: 'https://api.sim.example' });
    try {
      expect(proxied.sim.issuer).toBe('https://access.sim.example/');
      expect(proxied.sim.discoveryUrl).toBe('https://access.sim.example/.well-known/openid-configuration');
      // The real listening port is not in sim.accessUrl any more; ask the admin state.
      const state = (await proxied.admin('GET', '/state')).body as { accessUrl: string; apiUrl: string };
      expect(state).toMatchObject({ accessUrl: 'https://access.sim.example', apiUrl: 'https://api.sim.example' });
    } finally {
      await proxied.close();
    }
  });

  test('the JWKS publishes one RS256 signing key', async () => {
    const r = await h.client.jwks();
    expect(findings('getJwks', r)).toEqual([]);
    const body = r.data;
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect((body.keys[0] as Record<string, unknown>).d).toBeUndefined();
  });
});

test.describe('token endpoint', () => {
  test('client credentials per service, on preprod and own audiences', async () => {
    for (const [audience, scope] of [
      [PREPROD.agreement, 'consent.create'],
      [PREPROD.feed, 'client.access.consent.events'],
      [PREPROD.debt, 'debt.unsecured.presentation debt.unsecured.processing'],
      [`${h.sim.apiUrl}/v1/debt`, 'debt.unsecured.processing'],
    ] as const) {
      const r = await h.tokenRequest(a, { grant_type: 'client_credentials', audience, scope });
      expect(r.status, `${audience} ${scope}`).toBe(200);
      expect(r.body).toMatchObject({ expires_in: 3599, scope, token_type: 'bearer' });
      expect((r.body as { access_token: string }).access_token).toMatch(/^[\w-]+\.[\w-]+$/);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(findings('token', r)).toEqual([]);
    }
  });

  const cases: [string, Parameters<SimHarness['tokenRequest']>, number, string][] = [
    ['no credentials', [undefined, { grant_type: 'client_credentials', audience: PREPROD.debt, scope: 'debt.unsecured.presentation' }], 401, 'invalid_client'],
    ['wrong secret', [{ ...a, client_secret: 'wrong-secret' }, { grant_type: 'client_credentials', audience: PREPROD.debt, scope: 'debt.unsecured.presentation' }], 401, 'invalid_client'],
    ['unknown client', [{ ...a, client_id: '00000000-0000-4000-8000-000000000000' }, { grant_type: 'client_credentials', audience: PREPROD.debt, scope: 'debt.unsecured.presentation' }], 401, 'invalid_client'],
    ['client_id in body differs', [a, { grant_type: 'client_credentials', client_id: b.client_id, audience: PREPROD.debt, scope: 'debt.unsecured.presentation' }], 400, 'invalid_request'],
    ['missing grant_type', [a, { audience: PREPROD.debt, scope: 'debt.unsecured.presentation' }], 400, 'invalid_request'],
    ['password grant', [a, { grant_type: 'password', username: 'x', password: 'y' }], 400, 'unsupported_grant_type'],
    ['missing audience', [a, { grant_type: 'client_credentials', scope: 'debt.unsecured.presentation' }], 400, 'invalid_request'],
    ['unknown audience', [a, { grant_type: 'client_credentials', audience: 'https://api.example/v1/debt', scope: 'debt.unsecured.presentation' }], 400, 'invalid_request'],
    ['scope of another service', [a, { grant_type: 'client_credentials', audience: PREPROD.debt, scope: 'consent.create' }], 400, 'invalid_scope'],
    ['scope not allowed for the client', [c, { grant_type: 'client_credentials', audience: PREPROD.debt, scope: 'debt.unsecured.processing' }], 400, 'invalid_scope'],
    ['missing scope', [a, { grant_type: 'client_credentials', audience: PREPROD.debt }], 400, 'invalid_scope'],
    ['code grant without code', [a, { grant_type: 'authorization_code', redirect_uri: a.redirect_uris[0]! }], 400, 'invalid_request'],
    ['unknown code', [a, { grant_type: 'authorization_code', code: 'nope.nope', redirect_uri: a.redirect_uris[0]! }], 400, 'invalid_grant'],
  ];
  for (const [name, args, status, error] of cases) {
    test(`refuses: ${name} → ${status} ${error}`, async () => {
      const r = await h.tokenRequest(...args);
      expect(r.status).toBe(status);
      expect((r.body as { error: string }).error).toBe(error);
      if (status === 401) expect(r.headers['www-authenticate']).toMatch(/^Basic/);
      expect(findings('token', r)).toEqual([]);
    });
  }

  test('malformed and oversize bodies are invalid_request, never a 5xx', async () => {
    const big = await h.tokenRequest(a, { grant_type: 'client_credentials', audience: PREPROD.debt, scope: 'x'.repeat(70_000) });
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({ error: 'invalid_request' });
    // The grant as JSON instead of a form.
    const json = await h.client.call('token', { client: credentials(a), body: '{"grant_type":"client_credentials"}' });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ error: 'invalid_request' });
    expect(findings('token', json)).toEqual([]);
  });

  test('an authorization code is bound to client and redirect_uri, single-use and short-lived', async () => {
    const codeOf = async () => (await h.authorize(a, { scope: 'debt.unsecured.presentation' })).searchParams.get('code')!;
    const redirect_uri = a.redirect_uris[0]!;
    let code = await codeOf();
    expect((await h.tokenRequest(b, { grant_type: 'authorization_code', code, redirect_uri: b.redirect_uris[0]! })).body).toMatchObject({ error: 'invalid_grant' });
    expect((await h.tokenRequest(a, { grant_type: 'authorization_code', code, redirect_uri: a.redirect_uris[1]! })).body).toMatchObject({ error: 'invalid_grant' });
    const ok = await h.tokenRequest(a, { grant_type: 'authorization_code', code, redirect_uri });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ scope: 'debt.unsecured.presentation', token_type: 'bearer', expires_in: 3599 });
    expect((ok.body as Record<string, unknown>).id_token).toBeUndefined();
    const again = await h.tokenRequest(a, { grant_type: 'authorization_code', code, redirect_uri });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant' });
    // The reuse revoked the token issued from the code (RFC 6749 section 4.1.2).
    const debt = await h.api('GET', '/v1/debt', { token: (ok.body as { access_token: string }).access_token });
    expect(debt.status).toBe(403);

    code = await codeOf();
    await h.admin('POST', '/clock', { advanceSeconds: 61 });
    expect((await h.tokenRequest(a, { grant_type: 'authorization_code', code, redirect_uri })).body).toMatchObject({ error: 'invalid_grant' });
  });
});

test.describe('auth endpoint and pages', () => {
  /** GET /oauth2/auth with exactly these query parameters; redirects are answers, not followed. */
  const auth = (query: Record<string, string>) => h.client.call('authorize', { query });
  const good = () => ({ client_id: a.client_id, response_type: 'code', scope: 'debt.unsecured.presentation', state: 'st-1234567', redirect_uri: a.redirect_uris[0]! });

  test('an unknown client or an unregistered redirect_uri gets an error page, never a redirect', async () => {
    for (const params of [
      { ...good(), client_id: '00000000-0000-4000-8000-000000000000' },
      { ...good(), redirect_uri: 'https://evil.example/callback' },
      { ...good(), redirect_uri: b.redirect_uris[0]! },
      (({ redirect_uri: _r, ...p }) => p)(good()),
    ]) {
      const r = await auth(params);
      expect(r.status).toBe(400);
      expect(r.headers.location).toBeUndefined();
      expect(r.contentType).toContain('text/html');
      expect(r.text).toContain('data-testid="error"');
    }
  });

  test('deviation redirect-unregistered redirects anyway (so the suite can catch it)', async () => {
    await h.admin('POST', '/deviations', { enable: ['redirect-unregistered'] });
    const r = await auth({ ...good(), redirect_uri: 'https://evil.example/callback' });
    expect(r.status).toBe(302);
    // ... and the flow ends there, with the code.
    const callback = await h.authorize(a, { scope: 'debt.unsecured.presentation', redirectUri: 'https://evil.example/callback' });
    expect(`${callback.origin}${callback.pathname}`).toBe('https://evil.example/callback');
    expect(callback.searchParams.get('code')).toBeTruthy();
  });

  test('missing state or a wrong response_type is an error page', async () => {
    const { state: _s, ...noState } = good();
    expect((await auth(noState)).status).toBe(400);
    expect((await auth({ ...good(), response_type: 'token' })).status).toBe(400);
  });

  for (const scope of ['debt.unsecured.presentation debt.unsecured.processing', 'openid debt.unsecured.presentation', 'openid', 'debt.secured.presentation', 'debt.unsecured.presentation.0', '']) {
    test(`scope "${scope}" → redirect with error=invalid_scopes and state`, async () => {
      const r = await auth({ ...good(), scope });
      expect(r.status).toBe(302);
      const location = new URL(r.headers.location!);
      expect(`${location.origin}${location.pathname}`).toBe(a.redirect_uris[0]);
      expect(location.searchParams.get('error')).toBe('invalid_scopes');
      expect(location.searchParams.get('state')).toBe('st-1234567');
    });
  }

  test('a client may only request the debt scopes it is allowed', async () => {
    const r = await auth({ ...good(), client_id: c.client_id, redirect_uri: c.redirect_uris[0]!, scope: 'debt.unsecured.processing' });
    expect(new URL(r.headers.location!).searchParams.get('error')).toBe('invalid_scopes');
  });

  test('accept → code, scope without the .N suffix, state; the consent is clamped', async () => {
    const cb = await h.authorize(a, { scope: 'debt.unsecured.processing.90', state: 'abc-state' });
    expect(cb.searchParams.get('scope')).toBe('debt.unsecured.processing');
    expect(cb.searchParams.get('state')).toBe('abc-state');
    const code = cb.searchParams.get('code')!;
    const tok = await h.client.exchangeCode(credentials(a), code, a.redirect_uris[0]!);
    const debt = await h.client.getDebt(tok.data.access_token);
    expect(debt.status).toBe(200);
    const consent = debt.data.consent!;
    expect(consent.scope).toBe('debt.unsecured.processing');
    const days = (consent.exp! - Date.now() / 1000) / 86400;
    expect(days).toBeGreaterThan(27.9);
    expect(days).toBeLessThanOrEqual(28);
  });

  test('deny → error=consent_denied; cancel → error=login_cancelled', async () => {
    const denied = await h.authorize(a, { scope: 'debt.unsecured.presentation', decision: 'deny', state: 's-deny' });
    expect(denied.searchParams.get('error')).toBe('consent_denied');
    expect(denied.searchParams.get('state')).toBe('s-deny');
    expect(denied.searchParams.get('code')).toBeNull();

    const start = await auth({ ...good(), state: 's-cancel' });
    const headers = browserCookie(start);
    const login = await h.client.request('access', 'GET', start.headers.location!, { headers });
    const cancelHref = /href="([^"]+)" data-testid="login-cancel"/.exec(login.text)![1]!.replace(/&amp;/g, '&');
    const cancel = await h.client.request('access', 'GET', cancelHref, { headers });
    const cb = new URL(cancel.headers.location!);
    expect(cb.searchParams.get('error')).toBe('login_cancelled');
    expect(cb.searchParams.get('state')).toBe('s-cancel');
  });

  test('an invalid NIN shows an error on the login page and does not proceed', async () => {
    const start = await auth(good());
    const challenge = new URL(start.headers.location!).searchParams.get('login_challenge')!;
    const r = await h.client.request('access', 'POST', '/login', { form: { login_challenge: challenge, nin: '12345678901' }, headers: browserCookie(start) });
    expect(r.status).toBe(200);
    const html = r.text;
    expect(html).toContain('data-testid="error"');
    expect(html).toContain('<title>TestID – innlogging</title>');
  });

  test('fault on authorize ends the flow with error=server_error', async () => {
    await h.admin('POST', '/faults', { operationId: 'authorize', status: 500, times: 1 });
    const r = await auth(good());
    expect(new URL(r.headers.location!).searchParams.get('error')).toBe('server_error');
  });
});

test.describe('a standard OIDC client (openid-client) against the simulator', () => {
  const configFor = (client = a) =>
    oidc.discovery(new URL(h.sim.issuer), client.client_id, client.client_secret, oidc.ClientSecretBasic(client.client_secret), { execute: [oidc.allowInsecureRequests] });

  test('discovery + client credentials', async () => {
    const config = await configFor();
    expect(config.serverMetadata().issuer).toBe(h.sim.issuer);
    const tokens = await oidc.clientCredentialsGrant(config, { audience: PREPROD.debt, scope: 'debt.unsecured.presentation' });
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('debt.unsecured.presentation');
  });

  test('authorization code flow with openid: ID token verified against the JWKS', async () => {
    const config = await configFor();
    const state = oidc.randomState();
    const scope = 'debt.unsecured.presentation.30 openid';
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: a.redirect_uris[0]!, scope, state });
    // The library's request is the one the pages are walked with (form posts, as a browser would).
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: a.client_id, response_type: 'code', redirect_uri: a.redirect_uris[0], scope, state });
    const callback = await h.authorize(a, { scope, state, nin: NIN });
    expect(callback.searchParams.get('scope')).toBe('debt.unsecured.presentation openid');

    const tokens = await oidc.authorizationCodeGrant(config, callback, { expectedState: state });
    expect(tokens.id_token).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, { issuer: h.sim.issuer, audience: a.client_id });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.pid).toBe(NIN);
    expect(typeof payload.consent_id).toBe('string');
    expect(payload.sub).not.toContain(NIN);

    // The consent id from the ID token works with the client-credentials debt token (collect-debt.md).
    const debtToken = await h.token(a, 'debt', 'debt.unsecured.presentation');
    const debt = await h.api('GET', `/v1/debt/${payload.consent_id as string}`, { token: debtToken });
    expect(debt.status).toBe(200);
    // The pairwise sub differs between clients for the same person.
    const cbB = await h.authorize(b, { scope: 'debt.unsecured.presentation openid' });
    const tokB = await h.client.exchangeCode(credentials(b), cbB.searchParams.get('code')!, b.redirect_uris[0]!);
    const subB = decodeJwt(tokB.data.id_token!).sub;
    expect(subB).not.toBe(payload.sub);
  });

  test('deviation id-token-bad-signature is caught by JWKS verification', async () => {
    await h.admin('POST', '/deviations', { enable: ['id-token-bad-signature'] });
    const cb = await h.authorize(a, { scope: 'debt.unsecured.presentation openid' });
    const tok = await h.client.exchangeCode(credentials(a), cb.searchParams.get('code')!, a.redirect_uris[0]!);
    const jwks = createRemoteJWKSet(new URL((await h.client.discovery()).data.jwks_uri));
    await expect(jwtVerify(tok.data.id_token!, jwks)).rejects.toThrow(/signature/i);
  });
});
