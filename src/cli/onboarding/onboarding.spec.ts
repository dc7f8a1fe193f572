/**
 * The partner onboarding checklist, run by `nogi-conformance onboarding` (project "onboarding").
 * One test; each checklist item is a step named as the item. An item that fails does not stop the
 * ones that do not depend on it; an item whose prerequisite failed is skipped, with the reason.
 * Each item's outcome and the call that failed it are recorded as an annotation ("checklist"),
 * which the CLI turns into reports/onboarding.md and .html with a hint for each failure.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { redact } from '../../reporting/redact.ts';
import { checklistItems, type ChecklistId } from '../../reporting/checklist.ts';
import { DEBT_SCOPE, Probe, runTarget, type Call, type Observation } from '../probe.ts';

interface ItemRecord {
  id: ChecklistId;
  outcome: 'passed' | 'failed' | 'skipped';
  observed?: Observation;
  reason?: string;
}

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

test('Onboarding checklist', async ({ request }) => {
  test.setTimeout(120_000);
  const target = runTarget();
  const probe = new Probe(request, target);
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
    const call = await probe.authorize({ client_id: target.client.clientId, response_type: 'code', scope: DEBT_SCOPE, state, redirect_uri: redirectUri ?? 'https://example.invalid/callback' });
    if (call.observation.status >= 500) throw new ItemFailed('the auth endpoint failed', call.observation);
    if (call.observation.status === 404) throw new ItemFailed('no auth endpoint at this URL', call.observation);
  });
  await item('callback', ['auth-page'], async () => {
    if (!redirectUri) return 'NOGI_REDIRECT_URI is not set (regular consent only: set a callback URI registered with NoGi)';
    const call = await probe.authorize({ client_id: target.client.clientId, response_type: 'code', scope: `${DEBT_SCOPE} openid`, state, redirect_uri: redirectUri });
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
  await item('code-exchange', ['callback', 'token-debt'], async () => {
    if (!loginUrl) return 'no login page to drive';
    return 'the login page driver is not wired into the onboarding run yet: drive the regular flow with `npm run conformance` (specs/regular-consent.spec.ts)';
  });
  await item('id-token', ['code-exchange'], async () => undefined);

  const failed = [...records.values()].filter((r) => r.outcome === 'failed');
  expect(failed.map((r) => `${title(r.id)}: ${r.reason}`), 'checklist items that failed').toEqual([]);
});
