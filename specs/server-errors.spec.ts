/**
 * Documented failures, switched on through a target's fault switches (the simulator in test
 * mode): every operation's documented server error, bad feed parameters, a feed token without
 * the feed scope, creditors that do not answer, and a failing login flow. The answers must be
 * what the contract documents; the client fixture checks status, content type and body.
 */
import { randomUUID } from 'node:crypto';
import { getContracts } from '../src/contract/index.ts';
import { expect, step, test } from '../fixtures/nogi.ts';
import type { NoGiClient } from '../src/client/nogi-client.ts';
import type { Target } from '../src/config/target.ts';

const presentation = 'debt.unsecured.presentation';

async function tokens(nogi: NoGiClient, target: Target) {
  const get = async (audience: string, scope: string) => (await nogi.clientCredentialsToken(target.client, audience, scope)).data.access_token;
  return {
    agreement: await get(target.audiences.agreement, 'consent.create'),
    debt: await get(target.audiences.debt, presentation),
    feed: await get(target.audiences.feed, 'client.access.consent.events'),
  };
}

test('every operation answers each of its documented error statuses in the documented shape', async ({ nogi, target, admin }) => {
  const t = await tokens(nogi, target);
  const id = randomUUID();
  const calls: Array<[string, () => Promise<{ status: number }>]> = [
    ['createConsent', () => nogi.registerAgreement(t.agreement, { nin: target.nins.withDebt, scope_of_consent: presentation, consent_duration_days: 1, client_consent_id: randomUUID() })],
    ['getDebtWithConsentID', () => nogi.getDebtByConsentId(t.debt, id)],
    ['getDebtWithAuthCodeToken', () => nogi.getDebt(t.debt)],
    ['getConsentStatusWithID', () => nogi.getConsentStatus(t.debt, id)],
    ['revokeConsentByID', () => nogi.revokeConsent(t.debt, id)],
    ['feed', () => nogi.feed(t.feed, 1, 10)],
    ['firstSequenceNr', () => nogi.firstSequenceNr(t.feed)],
    ['lastSequenceNr', () => nogi.lastSequenceNr(t.feed)],
  ];
  const { api } = await getContracts();
  for (const [operationId, call] of calls) {
    const statuses = Object.keys(api.operations.find((op) => op.operationId === operationId)!.spec.responses).map(Number).filter((s) => s >= 400);
    for (const status of statuses) {
      await step(`${operationId}: ${status}`, async () => {
        await admin.fault({ operationId, status, times: 1 });
        expect((await call()).status).toBe(status);
      });
    }
  }
});

test('documented 400s: bad feed parameters and an empty consent id', async ({ nogi, target }) => {
  const t = await tokens(nogi, target);
  for (const [name, query] of [['limit 0', { fromSequenceNr: 1, limit: 0 }], ['a word for fromSequenceNr', { fromSequenceNr: 'first', limit: 5 }], ['no limit', { fromSequenceNr: 1 }]] as const) {
    await step(`feed with ${name}: 400`, async () => {
      const refused = await nogi.raw('api', 'feed', { path: '/feed/v1/consent', headers: { Authorization: `Bearer ${t.feed}` }, query });
      expect(refused.status).toBe(400);
    });
  }
  await step('a blank consent id: 400', async () => {
    for (const [operationId, method, path] of [
      ['getDebtWithConsentID', 'GET', '/v1/debt/%20'],
      ['getConsentStatusWithID', 'GET', '/v1/debt/%20/status'],
      ['revokeConsentByID', 'DELETE', '/v1/debt/%20'],
    ] as const) {
      expect((await nogi.raw('api', operationId, { path, method, headers: { Authorization: `Bearer ${t.debt}` } })).status, `${method} ${path}`).toBe(400);
    }
  });
});

test('the feed refuses a token without the feed scope: 403', async ({ nogi, target }) => {
  const t = await tokens(nogi, target);
  for (const [operationId, path] of [['feed', '/feed/v1/consent'], ['firstSequenceNr', '/feed/v1/consent/firstSequenceNr'], ['lastSequenceNr', '/feed/v1/consent/lastSequenceNr']] as const) {
    const refused = await nogi.raw('api', operationId, { path, headers: { Authorization: `Bearer ${t.debt}` }, query: operationId === 'feed' ? { fromSequenceNr: 1, limit: 5 } : undefined });
    expect(refused.status, `${path} with a debt token`).toBe(403);
  }
});

test('creditors that do not answer are counted as missing, their loans null', async ({ nogi, target, admin }) => {
  const t = await tokens(nogi, target);
  const consent = await nogi.registerAgreement(t.agreement, { nin: target.nins.withDebt, scope_of_consent: presentation, consent_duration_days: 1, client_consent_id: randomUUID() });
  await admin.fault({ operationId: 'getDebtWithConsentID', creditorTimeout: 1, times: 1 });
  const debt = await nogi.getDebtByConsentId(t.debt, consent.data.consent.id);
  expect(debt.status).toBe(200);
  const loans = debt.data.loans ?? [];
  expect(debt.data.numberOfcreditorsMissing, 'one creditor timed out').toBe(1);
  expect(loans.filter((l) => l.loan === null).length, 'each unanswered loan is reported as null').toBe(1);
  expect(debt.data.numberOfCreditorsAnswered).toBe(loans.length - 1);
});

test('a failing login flow ends in server_error at the callback', async ({ admin, authorize }) => {
  await admin.fault({ operationId: 'authorize', status: 500, times: 1 });
  const callback = await authorize({ scope: presentation, decision: 'none' });
  expect(callback.params.error).toBe('server_error');
});
