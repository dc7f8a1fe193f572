/**
 * The lifecycles described as data (src/lifecycles/) run outside Playwright's expect, as the bench
 * runs them (the person's part of regular consent over HTTP to the simulator's pages), and the one
 * token cache (src/client/token-cache.ts), against simulators of this file.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { NoGiClient } from '../../src/client/nogi-client.ts';
import { TokenCache, TokenError } from '../../src/client/token-cache.ts';
import { httpTransport } from '../../src/client/transport.ts';
import { authorizeOverHttp } from '../../src/drivers/simulator-http.ts';
import { integratedConsent } from '../../src/lifecycles/integrated-consent.ts';
import { LifecycleFailure, runLifecycle, type LifecycleContext, type LoginContext } from '../../src/lifecycles/lifecycle.ts';
import { extendedConsent, singleUseConsent } from '../../src/lifecycles/regular-consent.ts';
import { clients, credentials, NIN, PREPROD, SimHarness } from './helpers.ts';

const context = (h: SimHarness): LifecycleContext => ({
  nogi: h.client, nin: NIN, debtScope: 'debt.unsecured.presentation', feedLagMs: 3_000,
  tokens: new TokenCache({ nogi: h.client, client: credentials(clients.a), audiences: PREPROD }),
  newClientConsentId: () => `data-${randomUUID()}`,
});

/** The person's part over HTTP: the simulator's login and consent pages, walked by their form fields. */
const loginContext = (h: SimHarness): LoginContext => {
  const redirectUri = clients.a.redirect_uris[0]!;
  return {
    ...context(h),
    client: { ...credentials(clients.a), redirectUri },
    logInAndAccept: async (scope) => {
      const state = randomUUID();
      const callback = await authorizeOverHttp(h.client, { clientId: clients.a.client_id, redirectUri, scope, state, nin: NIN });
      return { params: Object.fromEntries(callback.searchParams), state };
    },
  };
};

test('the integrated lifecycle, every step and its feed poll, holds on the simulator; a deviation fails the step that checks it, by name', async () => {
  const good = await new SimHarness().start();
  const bad = await new SimHarness().start({ deviations: ['revoke-ignored'] });
  try {
    const state = await runLifecycle(integratedConsent, context(good));
    expect(state.consent?.id).toBeTruthy();
    expect(state.other?.id).not.toBe(state.consent?.id);
    const failure = await runLifecycle(integratedConsent, context(bad)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LifecycleFailure);
    expect(failure).toMatchObject({ step: 'The revoked consent is inactive', check: 'a revoked consent must not be active', failure: 'expected false, received true' });
  } finally {
    await Promise.all([good.close(), bad.close()]);
  }
});

test('the regular lifecycles, single use and 30 days with openid, hold on the simulator; a deviation fails the step that checks it, by name', async () => {
  const good = await new SimHarness().start();
  const reusable = await new SimHarness().start({ deviations: ['single-use-reusable'] });
  const badSignature = await new SimHarness().start({ deviations: ['id-token-bad-signature'] });
  try {
    expect((await runLifecycle(singleUseConsent, loginContext(good))).issued?.access_token).toBeTruthy();
    const extended = await runLifecycle(extendedConsent, loginContext(good));
    expect(extended.consentId).toBeTruthy();
    expect(extended.feedStart).toBeGreaterThan(0);

    expect(await runLifecycle(singleUseConsent, loginContext(reusable)).catch((e: unknown) => e)).toMatchObject({
      name: 'LifecycleFailure',
      step: 'A single-use consent is refused the second time',
      check: 'a default consent allows collecting the debt info one time (scopes.md)',
      failure: 'expected status 403, received 200',
    });
    const failure = await runLifecycle(extendedConsent, loginContext(badSignature)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LifecycleFailure);
    expect(failure).toMatchObject({ step: 'Verify the ID token: signature against the JWKS, iss, aud, exp, pid', check: 'the call', failure: 'signature verification failed' });
  } finally {
    await Promise.all([good.close(), reusable.close(), badSignature.close()]);
  }
});

test('the token cache: one request per client, service, scope and audience until expires_in less the margin; fresh() asks again; a refusal is not kept', async () => {
  const h = await new SimHarness().start();
  let now = Date.now();
  const issued: string[] = [];
  let requests = 0;
  const nogi = new NoGiClient(httpTransport, h.client.endpoints, { onExchange: () => void (requests += 1) });
  const cache = new TokenCache({ nogi, client: credentials(clients.a), audiences: PREPROD, now: () => now, onIssued: (t) => issued.push(t) });
  try {
    const [a, b] = await Promise.all([cache.agreement, cache.for('agreement')]);
    expect(a).toBe(b);
    expect(issued).toHaveLength(1);
    expect(await cache.for('debt', 'debt.unsecured.presentation')).not.toBe(await cache.for('debt', 'debt.unsecured.processing'));
    expect(issued).toHaveLength(3);
    expect(await cache.fresh('agreement')).not.toBe(a);
    const kept = await cache.agreement;
    // The simulator's tokens last 3599 s: still served 3500 s on, asked again within the 30 s margin.
    now += 3_500_000;
    expect(await cache.agreement).toBe(kept);
    now += 80_000;
    expect(await cache.agreement).not.toBe(kept);
    // Another client's token for the same service is its own.
    expect(await cache.for('agreement', undefined, credentials(clients.b))).not.toBe(await cache.agreement);
    // A refused token throws, and is asked for again next time.
    const refused = await cache.for('debt', 'consent.create').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TokenError);
    expect((refused as TokenError).result.status).toBe(400);
    const before = requests;
    await cache.for('debt', 'consent.create').catch(() => undefined);
    expect(requests).toBe(before + 1);
  } finally {
    await h.close();
  }
});
