/**
 * Regular consent, as get-started/index.md "Quick start: Regular consent flow" and
 * reference/consent/*.md describe it: the person is sent to /oauth2/auth, logs in (TestID),
 * accepts or denies, and comes back to the callback with a code; the code is exchanged for a
 * token that fetches their debt. The single-use and the 30-day openid walks are described once,
 * as data, in src/lifecycles/regular-consent.ts; fixtures/lifecycle.ts asserts them step by step,
 * the person's part in the browser. The variants (deny, cancel, scopes refused, clamped) are here.
 */
import { expect, step, tags, test } from '../fixtures/nogi.ts';
import { assertLoginLifecycle } from '../fixtures/lifecycle.ts';
import { extendedConsent, presentation, singleUseConsent } from '../src/lifecycles/regular-consent.ts';

const processing = 'debt.unsecured.processing';
const daysFromNow = (epochSeconds: number) => (epochSeconds * 1000 - Date.now()) / 86_400_000;

test.describe('regular consent', { tag: tags.gate }, () => {
  test('single-use consent: callback, code exchange, debt once, then refused; a code works once', async ({ nogi, target, tokens, authorize }) => {
    await assertLoginLifecycle(singleUseConsent, { nogi, target, tokens, authorize });
  });

  test('extended duration with openid: ID token verified, lookups by consent id, revoke, feed', { tag: tags.onboarding }, async ({ nogi, target, tokens, authorize }) => {
    await assertLoginLifecycle(extendedConsent, { nogi, target, tokens, authorize });
  });

  test('a duration above the maximum is clamped, not refused (processing: 28 days)', async ({ nogi, target, authorize }) => {
    const callback = await step('Authorize with "debt.unsecured.processing.400"', () => authorize({ scope: `${processing}.400`, decision: 'accept' }));
    expect(callback.params.scope).toBe(processing);
    const exchanged = await nogi.exchangeCode(target.client, callback.params.code!, target.client.redirectUri!);
    expect(exchanged.status).toBe(200);
    await step('The consent expires after 28 days', async () => {
      const debt = await nogi.getDebt(exchanged.data.access_token);
      expect(debt.status).toBe(200);
      expect(debt.data.consent?.scope).toBe(processing);
      expect(daysFromNow(debt.data.consent!.exp!), 'clamped to the boundary value (scopes.md)').toBeGreaterThan(27.9);
      expect(daysFromNow(debt.data.consent!.exp!)).toBeLessThan(28.1);
    });
  });

  test('OpenID configuration: the documented endpoints, grants and algorithms', async ({ nogi, target }) => {
    const discovery = await nogi.discovery();
    expect(discovery.status).toBe(200);
    const d = discovery.data;
    await step('Endpoints on the access host, as openid-configuration.md lists them', async () => {
      const access = new URL(target.accessBaseUrl);
      for (const [name, url, path] of [
        ['authorization_endpoint', d.authorization_endpoint, '/oauth2/auth'],
        ['token_endpoint', d.token_endpoint, '/oauth2/token'],
        ['jwks_uri', d.jwks_uri, undefined],
      ] as const) {
        const u = new URL(url);
        expect(u.host, `${name} is on the access host`).toBe(access.host);
        if (path) expect(u.pathname, name).toBe(`${access.pathname.replace(/\/$/, '')}${path}`);
      }
      expect(new URL(d.issuer).host, 'issuer is the access host').toBe(access.host);
    });
    await step('Grants, response type, client authentication and ID token algorithm', async () => {
      expect(d.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials']));
      expect(d.response_types_supported).toContain('code');
      expect(d.token_endpoint_auth_methods_supported).toContain('client_secret_basic');
      expect(d.id_token_signing_alg_values_supported).toContain('RS256');
      expect(d.scopes_supported).toContain('openid');
    });
    await step('The JWKS holds RSA signing keys with key ids', async () => {
      const jwks = await nogi.jwks(d.jwks_uri);
      expect(jwks.status).toBe(200);
      expect(jwks.data.keys.length).toBeGreaterThan(0);
      for (const key of jwks.data.keys) {
        expect(key.kty).toBe('RSA');
        expect(key.kid, 'a kid to pick the key by').toBeTruthy();
        expect(key, 'a public key only').not.toHaveProperty('d');
      }
    });
  });

  test('the person denies: consent_denied', async ({ authorize }) => {
    const callback = await authorize({ scope: presentation, decision: 'deny' });
    expect(callback.params.error).toBe('consent_denied');
    expect(callback.params.code).toBeUndefined();
  });

  test('the person cancels the login: login_cancelled', async ({ authorize }) => {
    const callback = await authorize({ scope: presentation, decision: 'cancel-login' });
    expect(callback.params.error).toBe('login_cancelled');
  });

  test('two debt scopes: invalid_scopes', async ({ authorize }) => {
    const callback = await authorize({ scope: `${presentation} ${processing}`, decision: 'none' });
    expect(callback.params.error, 'one and only one debt scope (auth-endpoint.md)').toBe('invalid_scopes');
  });

  test('openid before the debt scope: invalid_scopes', async ({ authorize }) => {
    const callback = await authorize({ scope: `openid ${presentation}`, decision: 'none' });
    expect(callback.params.error, '"openid debt.unsecured.presentation" is incorrect (scopes.md)').toBe('invalid_scopes');
  });

  test('no ID token without openid', async ({ nogi, target, authorize }) => {
    const callback = await authorize({ scope: presentation, decision: 'accept' });
    const exchanged = await nogi.exchangeCode(target.client, callback.params.code!, target.client.redirectUri!);
    expect(exchanged.status).toBe(200);
    expect(exchanged.data.id_token).toBeUndefined();
  });

  test('an authorization code left unused expires (RFC 6749 4.1.2: at most 10 minutes)', async ({ nogi, target, authorize, clock }) => {
    const callback = await authorize({ scope: presentation, decision: 'accept' });
    await step('Wait past the longest lifetime RFC 6749 recommends', () => clock.advanceClock(11 * 60));
    const expired = await nogi.exchangeCode(target.client, callback.params.code!, target.client.redirectUri!);
    expect(expired.status).toBe(400);
    expect((expired.body as { error?: string }).error).toBe('invalid_grant');
  });
});
