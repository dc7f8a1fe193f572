/**
 * Regular consent, as get-started/index.md "Quick start: Regular consent flow" and
 * reference/consent/*.md describe it: the person is sent to /oauth2/auth, logs in (TestID),
 * accepts or denies, and comes back to the callback with a code; the code is exchanged for a
 * token that fetches their debt.
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { getContracts, formatFinding } from '../src/contract/index.ts';
import { readFeed } from '../src/client/feed.ts';
import { randomUUID } from 'node:crypto';
import { expect, step, tags, test } from '../fixtures/nogi.ts';
import type { NoGiClient } from '../src/client/nogi-client.ts';
import type { Target } from '../src/config/target.ts';
import { ChecklistFailure, observedFrom } from '../src/reporting/checklist.ts';

const presentation = 'debt.unsecured.presentation';
const processing = 'debt.unsecured.processing';
/** The auth request's query, as the browser would send it (auth-endpoint.md). */
const authorizeQuery = async (nogi: NoGiClient, target: Target, scope: string): Promise<Record<string, string>> =>
  Object.fromEntries(new URL(await nogi.authorizationUrl({ clientId: target.client.clientId, scope, state: randomUUID(), redirectUri: target.client.redirectUri! })).searchParams);
const daysFromNow = (epochSeconds: number) => (epochSeconds * 1000 - Date.now()) / 86_400_000;

test.describe('regular consent', { tag: tags.gate }, () => {
  test('single-use consent: callback, code exchange, debt once, then refused; a code works once', async ({ nogi, target, authorize }) => {
    const callback = await step('Authorize: log in with TestID and accept', () => authorize({ scope: presentation, decision: 'accept' }));
    await step('The callback carries code, scope and state', async () => {
      expect(callback.params.code).toBeTruthy();
      expect(callback.params.scope).toBe(presentation);
    });
    const token = await step('Exchange the code for an access token', async () => {
      const exchanged = await nogi.exchangeCode(target.client, callback.params.code!, target.client.redirectUri!);
      expect(exchanged.status).toBe(200);
      expect(exchanged.data.scope.split(' ')).toContain(presentation);
      return exchanged.data.access_token;
    });
    await step('Fetch debt: GET /v1/debt', async () => {
      const debt = await nogi.getDebt(token);
      expect(debt.status).toBe(200);
      expect(debt.data.ssn).toBe(target.nins.withDebt);
      expect(debt.data.consent?.scope).toBe(presentation);
      expect(daysFromNow(debt.data.consent!.exp!) * 24 * 60, 'a default consent lasts 10 minutes (scopes.md)').toBeLessThanOrEqual(10.5);
    });
    await step('A single-use consent is refused the second time', async () => {
      const again = await nogi.getDebt(token);
      expect(again.status, 'a default consent allows collecting the debt info one time (scopes.md)').toBe(403);
    });
    await step('The same authorization code is refused the second time', async () => {
      const reused = await nogi.exchangeCode(target.client, callback.params.code!, target.client.redirectUri!);
      expect(reused.status).toBe(400);
      expect((reused.body as { error?: string }).error).toBe('invalid_grant');
    });
  });

  test('extended duration with openid: ID token verified, lookups by consent id, revoke, feed', { tag: tags.onboarding }, async ({ nogi, target, authorize, tokens: clientTokens }) => {
    const { client } = target;
    const scope = `${presentation}.30 openid`;
    await step('Open the auth endpoint', async () => {
      const opened = await nogi.call('authorize', { query: await authorizeQuery(nogi, target, scope) });
      expect(opened.status, 'the login page, or a redirect to it (auth-endpoint.md)').toBeLessThan(500);
      expect(opened.status, 'an auth endpoint at this URL').not.toBe(404);
      return opened;
    }, { checklist: 'auth-page' });
    await step('The provider accepts the registered callback URI', async () => {
      const opened = await nogi.call('authorize', { query: await authorizeQuery(nogi, target, scope) });
      const location = opened.headers.location;
      const seen = observedFrom(opened);
      if (opened.status < 300 || opened.status >= 400 || !location) {
        throw new ChecklistFailure(`an error page (${opened.status}) instead of a redirect`, { ...seen, errorPage: true });
      }
      const next = new URL(location, target.accessBaseUrl);
      const error = next.searchParams.get('error');
      if (error) {
        const failure = { ...seen, error, description: next.searchParams.get('error_description') ?? undefined };
        // Back at the callback with an error: the URI is registered, the request is not right.
        if (location.startsWith(client.redirectUri!)) throw new ChecklistFailure(`the provider redirected back with error=${error}`, failure);
        // To the provider's own error page (OAuth servers such as ORY Hydra redirect there).
        throw new ChecklistFailure(`the provider sent the browser to its error page (error=${error}) instead of the callback`, { ...failure, errorPage: true });
      }
    }, { checklist: 'callback' });

    const { callback, tokens: issued } = await step('Log in with TestID, accept, exchange the code: access token and ID token', async () => {
      const callback = await authorize({ scope, decision: 'accept' });
      expect(callback.params.scope, 'the scope in the redirect has no duration (scopes.md)').toMatch(new RegExp(`^${presentation}( openid)?$`));
      const exchanged = await nogi.exchangeCode(client, callback.params.code!, client.redirectUri!);
      expect(exchanged.status).toBe(200);
      return { callback, tokens: exchanged.data };
    }, { checklist: 'code-exchange' });
    expect(callback.params.state).toBeTruthy();

    const claims = await step('Verify the ID token: signature against the JWKS, iss, aud, exp, pid', async () => {
      expect(issued.id_token, 'openid requested last gives an ID token (scopes.md)').toBeTruthy();
      const discovery = await nogi.discovery();
      expect(discovery.status).toBe(200);
      const jwks = await nogi.jwks(discovery.data.jwks_uri);
      expect(jwks.status).toBe(200);
      // Verified explicitly: OIDC libraries may skip the signature of an ID token from the token endpoint.
      const { payload, protectedHeader } = await jwtVerify(issued.id_token!, createLocalJWKSet(jwks.data as never), {
        issuer: discovery.data.issuer,
        audience: client.clientId,
        algorithms: ['RS256'],
      });
      expect(protectedHeader.alg).toBe('RS256');
      expect(jwks.data.keys.map((k) => k.kid), 'the ID token names a key of the JWKS').toContain(protectedHeader.kid);
      expect(payload.iat, 'iat is not in the future').toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
      const { oauth } = await getContracts();
      const findings = oauth.schemaFindings(oauth.schemaValidator('IdTokenClaims'), payload, 'response_schema_conformance', 'IdTokenClaims');
      expect(findings.filter((f) => f.severity === 'error').map(formatFinding)).toEqual([]);
      expect(payload.pid, 'pid is the NIN of the person who logged in').toBe(target.nins.withDebt);
      return payload as { consent_id: string; exp: number };
    }, { checklist: 'id-token' });

    await step('Fetch debt with the access token: the consent is the ID token\'s', async () => {
      const debt = await nogi.getDebt(issued.access_token);
      expect(debt.status).toBe(200);
      expect(debt.data.consent?.id).toBe(claims.consent_id);
      expect(daysFromNow(debt.data.consent!.exp!), 'a .30 consent lasts 30 days').toBeGreaterThan(29.9);
      expect(daysFromNow(debt.data.consent!.exp!)).toBeLessThan(30.1);
    });

    const debtToken = await step('Get a client-credentials token for the debt API', () => clientTokens.for('debt', presentation));
    const feedToken = await clientTokens.feed;
    const feedStart = (await nogi.lastSequenceNr(feedToken)).data.lastSequenceNr;

    await step('Look up debt by consent id, more than once', async () => {
      for (let i = 0; i < 2; i++) {
        const debt = await nogi.getDebtByConsentId(debtToken, claims.consent_id);
        expect(debt.status, 'an extended consent can be used any number of times (scopes.md)').toBe(200);
        expect(debt.data.ssn).toBe(target.nins.withDebt);
      }
    });
    await step('Check the state of the consent: active', async () => {
      const status = await nogi.getConsentStatus(debtToken, claims.consent_id);
      expect(status.status).toBe(200);
      expect(status.data.active).toBe(true);
    });
    await step('Revoke the consent', async () => {
      expect((await nogi.revokeConsent(debtToken, claims.consent_id)).status).toBe(204);
    });
    await step('The revoked consent is inactive and refused', async () => {
      expect((await nogi.getConsentStatus(debtToken, claims.consent_id)).data.active).toBe(false);
      const refused = await nogi.getDebtByConsentId(debtToken, claims.consent_id);
      expect(refused.status).toBe(403);
      expect((refused.body as { error?: string }).error).toBe('invalid consent');
    });
    await step('The consents feed shows the consent archived', async () => {
      await expect
        .poll(async () => (await readFeed(nogi, feedToken, 1)).events.filter((e) => e.consentId === claims.consent_id).map((e) => e.eventType).sort(), {
          timeout: target.feedLagMs,
        })
        .toEqual(['SAMTYKKE_ARKIVERT', 'SAMTYKKE_OPPRETTET']);
      const after = await readFeed(nogi, feedToken, feedStart + 1);
      expect(after.events.some((e) => e.consentId === claims.consent_id && e.eventType === 'SAMTYKKE_ARKIVERT')).toBe(true);
    });
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
