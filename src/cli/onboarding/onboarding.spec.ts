/**
 * The partner onboarding checklist, run by `nogi-conformance onboarding` (project "onboarding").
 * One test; each checklist item is a step named as the item. An item that fails does not stop the
 * ones that do not depend on it; an item whose prerequisite failed is skipped, with the reason.
 * Each item's outcome and the call that failed it are recorded as an annotation ("checklist"),
 * which the CLI turns into reports/onboarding.md and .html with a hint for each failure.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { expect, test } from '../../../fixtures/nogi.ts';
import { chromiumArgs, chromiumExecutable } from '../../config/browser.ts';
import { captureCallback, loginDriverFor } from '../../drivers/index.ts';
import { redact, registerSecret } from '../../reporting/redact.ts';
import { checklistItems, type ChecklistId } from '../../reporting/checklist.ts';
import { DEBT_SCOPE, Probe, type Call, type Observation } from '../probe.ts';

interface ItemRecord {
  id: ChecklistId;
  outcome: 'passed' | 'failed' | 'skipped';
  observed?: Observation;
  reason?: string;
}

const observeDiscovery = (status: number): Observation => ({ operation: 'getOpenIdConfiguration', method: 'GET', path: '/.well-known/openid-configuration', status, ms: 0 });

class ItemFailed extends Error {
  constructor(message: string, readonly observed?: Observation) {
    super(message);
  }
}

/** Passes when the call answered 2xx; else fails the item with what was seen. */
function require2xx<T>(call: Call<T>, what: string): Call<T> {
  if (!call.ok) {
    const o = call.observation;
    throw new ItemFailed(`${what}: ${o.method} ${o.path} answered ${o.status}${o.error ? ` ${o.error}` : ''}${o.description ? ` (${o.description})` : ''}`, o);
  }
  return call;
}

test('Onboarding checklist', async ({ nogi, target, playwright }) => {
  test.setTimeout(180_000);
  const probe = new Probe(nogi, target);
  const records = new Map<ChecklistId, ItemRecord>();
  const title = (id: ChecklistId): string => checklistItems.find((i) => i.id === id)!.title;

  /** Runs one item as a step; `needs` are items that must have passed first. */
  async function item(id: ChecklistId, needs: ChecklistId[], body: () => Promise<string | void>): Promise<void> {
    const missing = needs.filter((n) => records.get(n)?.outcome !== 'passed');
    const record: ItemRecord = { id, outcome: 'passed' };
    await test
      .step(title(id), async (step) => {
        if (missing.length) {
          record.outcome = 'skipped';
          record.reason = `needs: ${missing.map(title).join('; ')}`;
          step.skip(true, record.reason);
          return;
        }
        let skipReason: string | void;
        try {
          skipReason = await body();
        } catch (error) {
          record.outcome = 'failed';
          record.observed = error instanceof ItemFailed ? error.observed : undefined;
          record.reason = redact((error as Error).message);
          throw error;
        }
        if (typeof skipReason === 'string') {
          record.outcome = 'skipped';
          record.reason = skipReason;
          step.skip(true, skipReason);
        }
      })
      .catch(() => undefined);
    records.set(id, record);
    test.info().annotations.push({ type: 'checklist', description: redact(JSON.stringify(record)) });
  }

  const tokens: Partial<Record<'agreement' | 'debt' | 'feed', string>> = {};
  let consentId: string | undefined;

  await item('token-agreement', [], async () => {
    const call = require2xx(await probe.token(target.audiences.agreement, 'consent.create'), 'token for consent.create');
    tokens.agreement = call.json.access_token;
  });
  await item('token-debt', [], async () => {
    const call = require2xx(await probe.token(target.audiences.debt, DEBT_SCOPE), `token for ${DEBT_SCOPE}`);
    tokens.debt = call.json.access_token;
  });
  await item('token-feed', [], async () => {
    const call = require2xx(await probe.token(target.audiences.feed, 'client.access.consent.events'), 'token for the feed');
    tokens.feed = call.json.access_token;
  });
  await item('agreement', ['token-agreement'], async () => {
    const call = require2xx(
      await probe.registerAgreement(tokens.agreement!, {
        nin: target.nins.withDebt,
        scope_of_consent: DEBT_SCOPE,
        consent_duration_days: 1,
        client_consent_id: `nogi-onboarding-${randomUUID()}`,
      }),
      'register a consent',
    );
    consentId = call.json.consent?.id;
    if (!consentId) throw new ItemFailed('the registration answered without consent.id', call.observation);
  });
  await item('debt', ['token-debt', 'agreement'], async () => {
    require2xx(await probe.debtById(tokens.debt!, consentId!), 'debt by consent id');
  });
  await item('status', ['token-debt', 'agreement'], async () => {
    const call = require2xx(await probe.status(tokens.debt!, consentId!), 'consent status');
    if (call.json.active !== true) throw new ItemFailed(`status says active=${String(call.json.active)} for a consent just registered`, call.observation);
  });
  await item('revoke', ['token-debt', 'agreement'], async () => {
    require2xx(await probe.revoke(tokens.debt!, consentId!), 'revoke');
  });
  await item('feed', ['token-feed'], async () => {
    const last = require2xx(await probe.lastSequenceNr(tokens.feed!), 'last sequence number');
    const from = Math.max(0, (last.json.lastSequenceNr ?? 0) - 5);
    require2xx(await probe.feed(tokens.feed!, from), 'a page of the feed');
  });

  const redirectUri = target.client.redirectUri;
  const state = randomBytes(12).toString('base64url');
  let loginUrl: string | undefined;
  await item('auth-page', [], async () => {
    // Without a registered callback URI, only reachability can be checked.
    const call = await probe.authorize({ scope: DEBT_SCOPE, state, redirectUri: redirectUri ?? 'https://example.invalid/callback' });
    if (call.observation.status >= 500) throw new ItemFailed('the auth endpoint failed', call.observation);
    if (call.observation.status === 404) throw new ItemFailed('no auth endpoint at this URL', call.observation);
  });
  await item('callback', ['auth-page'], async () => {
    if (!redirectUri) return 'NOGI_REDIRECT_URI is not set (regular consent only: set a callback URI registered with NoGi)';
    const call = await probe.authorize({ scope: `${DEBT_SCOPE} openid`, state, redirectUri });
    const o = call.observation;
    const location = call.observation.location;
    if (o.status < 300 || o.status >= 400 || !location) throw new ItemFailed('an error page instead of a redirect', { ...o, errorPage: true });
    const next = new URL(location, target.accessBaseUrl);
    const error = next.searchParams.get('error') ?? undefined;
    if (error) {
      const description = next.searchParams.get('error_description') ?? undefined;
      // Back at the callback with an error: the URI is registered, the request is not right.
      if (location.startsWith(redirectUri)) throw new ItemFailed(`the provider redirected back with error=${error}`, { ...o, error, description });
      // To the provider's own error page (OAuth servers such as ORY Hydra redirect there).
      throw new ItemFailed(`the provider sent the browser to its error page (error=${error}) instead of the callback`, { ...o, error, description, errorPage: true });
    }
    loginUrl = next.toString();
  });
  let tokens2: { access_token?: string; id_token?: string } = {};
  let debtConsentId: string | undefined;
  await item('code-exchange', ['callback'], async () => {
    if (!loginUrl || !redirectUri) return 'no login page to drive';
    // A browser of its own, so that a missing Chromium fails this item only.
    let browser;
    try {
      browser = await playwright.chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
    } catch (error) {
      throw new ItemFailed(`no browser for the login page: ${(error as Error).message.split('\n')[0]}`, { operation: 'login', method: 'GET', path: '/oauth2/auth', status: 0, error: 'no_browser', ms: 0 });
    }
    try {
      const page = await browser.newPage();
      const flowState = randomBytes(12).toString('base64url');
      const callback = captureCallback(page, redirectUri);
      callback.catch(() => undefined);
      await page.goto(nogi.authorizationUrl({ clientId: target.client.clientId, scope: `${DEBT_SCOPE} openid`, state: flowState, redirectUri })).catch(() => undefined);
      try {
        await loginDriverFor(target.capabilities.loginDriver, page).logInAndDecide(target.nins.withDebt, 'accept');
      } catch (error) {
        throw new ItemFailed(`the login and consent pages could not be completed: ${redact((error as Error).message.split('\n')[0] ?? '')}`, {
          operation: 'login', method: 'GET', path: new URL(page.url()).pathname, status: 0, error: 'login_failed', ms: 0,
        });
      }
      const { params } = await callback;
      if (params.code) registerSecret(params.code);
      if (params.error) throw new ItemFailed(`the callback came back with error=${params.error}`, { operation: 'authorize', method: 'GET', path: '/oauth2/auth', status: 302, error: params.error, description: params.error_description, ms: 0 });
      if (params.state !== flowState) throw new ItemFailed('the callback did not mirror state', { operation: 'authorize', method: 'GET', path: '/oauth2/auth', status: 302, error: 'state_mismatch', ms: 0 });
      const exchange = require2xx(await probe.exchangeCode(params.code ?? '', redirectUri), 'code exchange');
      tokens2 = exchange.json;
      const debt = require2xx(await probe.debtWithCodeToken(tokens2.access_token ?? ''), 'debt with the authorization-code token');
      debtConsentId = debt.json.consent?.id;
    } finally {
      await browser.close();
    }
  });
  await item('id-token', ['code-exchange'], async () => {
    const idToken = tokens2.id_token;
    const seen = (error: string): Observation => ({ operation: 'token', method: 'POST', path: '/oauth2/token', status: 200, error, ms: 0 });
    if (!idToken) throw new ItemFailed('no id_token in the token response although openid was requested last', seen('no_id_token'));
    const discovery = await nogi.discovery();
    const config = discovery.data as { issuer?: string; jwks_uri?: string };
    if (!discovery.ok || !config.jwks_uri) throw new ItemFailed('no jwks_uri in the OpenID configuration', observeDiscovery(discovery.status));
    try {
      // Checked explicitly: OIDC client libraries may skip the signature of a token-endpoint ID token.
      const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(config.jwks_uri)), { issuer: config.issuer, audience: target.client.clientId });
      if (payload.pid !== target.nins.withDebt) throw new Error('pid is not the NIN that logged in');
      if (debtConsentId && payload.consent_id !== debtConsentId) throw new Error('consent_id differs from the consent in the debt response');
    } catch (error) {
      throw new ItemFailed(`the ID token does not verify: ${redact((error as Error).message)}`, seen('invalid_id_token'));
    }
  });

  const failed = [...records.values()].filter((r) => r.outcome === 'failed');
  expect(failed.map((r) => `${title(r.id)}: ${r.reason}`), 'checklist items that failed').toEqual([]);
});
