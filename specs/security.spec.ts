/**
 * What a provider must refuse: no token, a garbage or expired token, a token for another
 * audience or scope, another client's consent, an unknown consent id, malformed bodies, bad
 * client credentials, and a redirect to a callback URI that is not registered. Every answer is
 * also checked against the contract by the client fixture (documented status and body).
 */
import { randomUUID } from 'node:crypto';
import { expect, step, tags, test, type Tokens } from '../fixtures/nogi.ts';
import { getCatalogue, type ServiceName } from '../src/contract/catalogue.ts';
import { readErrorBody } from '../src/contract/error-bodies.ts';
import type { NoGiClient } from '../src/client/nogi-client.ts';
import type { Target } from '../src/config/target.ts';

const presentation = 'debt.unsecured.presentation';
const errorOf = (body: unknown) => (body as { error?: string } | undefined)?.error;

/** The usual scope of a service, from the contract (a token asked for it elsewhere must be refused). */
const scopeOf = async (service: ServiceName): Promise<string> => (await getCatalogue()).service(service).scopes[0]!;

async function registeredConsent(nogi: NoGiClient, target: Target, tokens: Tokens): Promise<string> {
  const registered = await nogi.registerAgreement(await tokens.agreement, {
    nin: target.nins.withDebt,
    scope_of_consent: presentation,
    consent_duration_days: 10,
    client_consent_id: `nogi-conformance-${randomUUID()}`,
  });
  expect(registered.status).toBe(200);
  return registered.data.consent.id;
}

test.describe('tokens the API must refuse', { tag: tags.gate }, () => {
  for (const [name, token] of [['no token', ''], ['a garbage token', 'not-a-token.at-all']] as const) {
    test(`${name} is refused by every operation`, async ({ nogi, target }) => {
      const consentId = randomUUID();
      const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
      await step('Debt API: 403 invalid access token', async () => {
        for (const operationId of ['getDebtWithConsentID', 'getConsentStatusWithID', 'revokeConsentByID', 'getDebtWithAuthCodeToken']) {
          const refused = await nogi.call(operationId, { params: { id: consentId }, headers });
          expect(refused.status, `${refused.method} ${refused.pathTemplate} (the Debt API documents invalid tokens as 403)`).toBe(403);
        }
      });
      await step('Agreement API: 401', async () => {
        const refused = await nogi.call('createConsent', {
          headers,
          body: { nin: target.nins.withDebt, scope_of_consent: presentation, consent_duration_days: 1, client_consent_id: randomUUID() },
        });
        expect(refused.status).toBe(401);
      });
      await step('Consents feed: refused', async () => {
        const refused = await nogi.call('feed', { headers, query: { fromSequenceNr: 1, limit: 10 } });
        expect([401, 403]).toContain(refused.status);
      });
    });
  }

  test('an expired token is refused', async ({ nogi, target, clock, tokens }) => {
    const consentId = await registeredConsent(nogi, target, tokens);
    const token = await tokens.for('debt', presentation);
    await step('Let the token expire (expires_in 3599 s)', () => clock.advanceClock(3_600 + 60));
    const refused = await nogi.getConsentStatus(token, consentId);
    expect(refused.status).toBe(403);
    expect(errorOf(refused.body)).toMatch(/invalid access token/i);
  });

  test('a token for another audience is refused', async ({ nogi, target, tokens }) => {
    const consentId = await registeredConsent(nogi, target, tokens);
    const refused = await nogi.getDebtByConsentId(await tokens.agreement, consentId);
    expect(refused.status, 'a consent.create token (agreement audience) must not read debt').toBe(403);
    const alsoRefused = await nogi.registerAgreement(await tokens.feed, {
      nin: target.nins.withDebt, scope_of_consent: presentation, consent_duration_days: 1, client_consent_id: randomUUID(),
    });
    expect([401, 403], 'a feed token must not register consents').toContain(alsoRefused.status);
  });

  test('a scope that does not belong to the audience is refused at the token endpoint', async ({ nogi, target }) => {
    const refused = await nogi.clientCredentialsToken(target.client, target.audiences.debt, await scopeOf('agreement'));
    expect(refused.status).toBe(400);
    expect(errorOf(refused.body)).toBe('invalid_scope');
  });
});

test.describe('client credentials the token endpoint must refuse', { tag: tags.gate }, () => {
  test('a wrong client secret: invalid_client', async ({ nogi, target }) => {
    const refused = await nogi.clientCredentialsToken({ ...target.client, clientSecret: 'not-the-secret' }, target.audiences.debt, presentation);
    expect(refused.status).toBe(401);
    expect(errorOf(refused.body)).toBe('invalid_client');
  });

  test('an unknown grant type: unsupported_grant_type', async ({ nogi, target }) => {
    const refused = await nogi.call('token', { client: target.client, form: { grant_type: 'password', username: 'x', password: 'y' } });
    expect(refused.status).toBe(400);
    expect(errorOf(refused.body)).toBe('unsupported_grant_type');
  });

  test('a client without the integrated-consent agreement cannot register consents', async ({ nogi, target, requires }) => {
    requires('clientWithoutAgreement');
    const token = await nogi.clientCredentialsToken(target.clientWithoutAgreement!, target.audiences.agreement, await scopeOf('agreement'));
    if (token.status !== 200) {
      expect(errorOf(token.body), 'refused at the token endpoint').toBe('invalid_scope');
      return;
    }
    const refused = await nogi.registerAgreement(token.data.access_token, {
      nin: target.nins.withDebt, scope_of_consent: presentation, consent_duration_days: 1, client_consent_id: randomUUID(),
    });
    expect(refused.status, 'or refused by the Agreement API').toBe(403);
  });
});

test.describe('consents the API must refuse', { tag: tags.gate }, () => {
  test('another client\'s consent can be neither read nor revoked', async ({ nogi, target, requires, tokens }) => {
    requires('secondClient');
    const consentId = await registeredConsent(nogi, target, tokens);
    const othersToken = await tokens.for('debt', presentation, target.secondClient);
    await step('The other client reads it: 403 invalid consent', async () => {
      const refused = await nogi.getDebtByConsentId(othersToken, consentId);
      expect(refused.status).toBe(403);
      expect(errorOf(refused.body)).toBe('invalid consent');
    });
    await step('The other client revokes it: refused, and it stays active', async () => {
      expect((await nogi.revokeConsent(othersToken, consentId)).status).toBe(403);
      const status = await nogi.getConsentStatus(await tokens.for('debt', presentation), consentId);
      expect(status.data.active).toBe(true);
    });
  });

  test('an unknown consent id: 403 invalid consent', async ({ nogi, tokens }) => {
    const token = await tokens.for('debt', presentation);
    const unknown = randomUUID();
    await step('Look up debt', async () => {
      const refused = await nogi.getDebtByConsentId(token, unknown);
      expect(refused.status, 'no 404 is documented; an unknown consent is "invalid consent"').toBe(403);
      expect(errorOf(refused.body)).toBe('invalid consent');
    });
    await step('Check the state of the consent', async () => {
      expect((await nogi.getConsentStatus(token, unknown)).status, 'status of an unknown consent').toBe(403);
    });
    await step('Revoke the consent', async () => {
      expect((await nogi.revokeConsent(token, unknown)).status, 'revoking an unknown consent is not a 204').toBe(403);
    });
  });
});

test.describe('malformed registrations the Agreement API must refuse with 400', { tag: tags.gate }, () => {
  const cases: Array<[string, unknown]> = [
    ['malformed JSON', '{"nin": "14842249091", '],
    ['a missing field', { nin: '14842249091', scope_of_consent: presentation, consent_duration_days: 5 }],
    ['an unknown scope', { nin: '14842249091', scope_of_consent: 'debt.secured', consent_duration_days: 5, client_consent_id: 'x' }],
    ['a duration of the wrong type', { nin: '14842249091', scope_of_consent: presentation, consent_duration_days: 'thirty', client_consent_id: 'x' }],
    ['an invalid NIN', { nin: '12345678901', scope_of_consent: presentation, consent_duration_days: 5, client_consent_id: 'x' }],
  ];
  for (const [name, body] of cases) {
    test(name, async ({ nogi, tokens }) => {
      const refused = await nogi.call('createConsent', {
        token: await tokens.agreement,
        body: typeof body === 'object' && body && 'client_consent_id' in body ? { ...body, client_consent_id: randomUUID() } : body,
      });
      expect(refused.status).toBe(400);
      // Spring's body names the path in `path` (b68fec2), problem details in `instance` (3770c4e).
      const error = readErrorBody((await getCatalogue()).operation('createConsent').errorFamily, refused.body);
      expect(error.path, 'the error body names the request path').toBe(new URL(refused.url).pathname);
    });
  }
});

test('an authorization code is refused to another client and with another redirect_uri', { tag: tags.gate }, async ({ nogi, target, authorize, requires }) => {
  requires('secondClient');
  const callback = await step('Authorize: log in with TestID and accept', () => authorize({ scope: presentation, decision: 'accept' }));
  const code = callback.params.code!;
  await step('Another client redeems the code: invalid_grant', async () => {
    const refused = await nogi.exchangeCode(target.secondClient!, code, target.client.redirectUri!);
    expect(refused.status, 'a code is bound to the client it was issued to (RFC 6749 4.1.3)').toBe(400);
    expect(errorOf(refused.body)).toBe('invalid_grant');
  });
  await step('The client redeems it with a redirect_uri other than the authorization request\'s: invalid_grant', async () => {
    const refused = await nogi.exchangeCode(target.client, code, `${target.client.redirectUri!}/other`);
    expect(refused.status, 'redirect_uri must match the authorization request (RFC 6749 4.1.3)').toBe(400);
    expect(errorOf(refused.body)).toBe('invalid_grant');
  });
});

test('an unknown client_id gets an error page, never a redirect', { tag: tags.gate }, async ({ nogi, target, page, requires, coverage }) => {
  requires('regularConsent');
  const redirectUri = target.client.redirectUri!;
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  const response = await page.goto(await nogi.authorizationUrl({ clientId: `unknown-${randomUUID()}`, scope: presentation, state: randomUUID(), redirectUri }));
  expect(response?.status(), 'an unknown client is shown an error, not sent anywhere').toBeGreaterThanOrEqual(400);
  expect(requested.filter((url) => url.startsWith(redirectUri.split('?')[0]!)), 'requests to the redirect_uri').toEqual([]);
  coverage.push({ contract: 'oauth', operationId: 'authorize', status: response?.status() ?? 0 });
});

test('an unregistered redirect_uri is never redirected to', { tag: tags.gate }, async ({ nogi, target, page, requires, coverage }) => {
  requires('regularConsent');
  const unregistered = 'http://127.0.0.1:65099/not-registered';
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  const response = await page.goto(await nogi.authorizationUrl({ clientId: target.client.clientId, scope: presentation, state: randomUUID(), redirectUri: unregistered }));
  await step('The person sees an error page', async () => {
    expect(response?.status(), 'an error page, never a redirect (auth-endpoint.md: redirect_uri must be whitelisted)').toBe(400);
    await expect(page.locator('body')).not.toBeEmpty();
  });
  expect(requested.filter((url) => url.startsWith(unregistered)), 'requests to the unregistered redirect_uri').toEqual([]);
  coverage.push({ contract: 'oauth', operationId: 'authorize', status: response?.status() ?? 0 });
});
