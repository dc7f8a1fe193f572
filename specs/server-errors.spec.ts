/**
 * Documented failures, switched on through a target's fault switches (the simulator in test
 * mode): every operation's documented server error, bad feed parameters, a feed token without
 * the feed scope, creditors that do not answer, and a failing login flow. The answers must be
 * what the contract documents; the client fixture checks status, content type and body.
 */
import { randomUUID } from 'node:crypto';
import { getCatalogue } from '../src/contract/catalogue.ts';
import { expect, step, tags, test, type Tokens } from '../fixtures/nogi.ts';
import type { Target } from '../src/config/target.ts';

const presentation = 'debt.unsecured.presentation';

/** A request each API operation accepts, with the token of its service. */
async function validRequest(operationId: string, target: Target, tokens: Tokens) {
  const op = (await getCatalogue()).operation(operationId);
  const token = await tokens.for(op.service!, op.service === 'debt' ? presentation : undefined);
  const body = operationId === 'createConsent'
    ? { nin: target.nins.withDebt, scope_of_consent: presentation, consent_duration_days: 1, client_consent_id: randomUUID() }
    : undefined;
  return { token, body, params: { id: randomUUID() }, query: operationId === 'feed' ? { fromSequenceNr: 1, limit: 10 } : undefined };
}

// A fault is armed per operation: the operations side by side, each one's statuses in turn (against
// a remote target, 29 cases one after the other are 58 round trips in a row).
test('every operation answers each of its documented error statuses in the documented shape', { tag: tags.gate }, async ({ nogi, target, tokens, faults }) => {
  const catalogue = await getCatalogue();
  await Promise.all(catalogue.operations.filter((o) => o.host === 'api').map(async (op) => {
    for (const status of op.statuses.filter((s) => s >= 400)) {
      await step(`${op.operationId}: ${status}`, async () => {
        await faults.fault({ operationId: op.operationId, status, times: 1 });
        expect((await nogi.call(op.operationId, await validRequest(op.operationId, target, tokens))).status).toBe(status);
      });
    }
  }));
});

test('documented 400s: bad feed parameters and an empty consent id', { tag: tags.gate }, async ({ nogi, tokens }) => {
  const t = { feed: await tokens.feed, debt: await tokens.for('debt', presentation) };
  for (const [name, query] of [['limit 0', { fromSequenceNr: 1, limit: 0 }], ['a word for fromSequenceNr', { fromSequenceNr: 'first', limit: 5 }], ['no limit', { fromSequenceNr: 1 }]] as const) {
    await step(`feed with ${name}: 400`, async () => {
      const refused = await nogi.call('feed', { token: t.feed, query });
      expect(refused.status).toBe(400);
    });
  }
  await step('a blank consent id: 400', async () => {
    for (const operationId of ['getDebtWithConsentID', 'getConsentStatusWithID', 'revokeConsentByID']) {
      const refused = await nogi.call(operationId, { token: t.debt, params: { id: ' ' } });
      expect(refused.status, `${refused.method} ${refused.url}`).toBe(400);
    }
  });
});

test('the feed refuses a token without the feed scope: 403', { tag: tags.gate }, async ({ nogi, tokens }) => {
  const debtToken = await tokens.for('debt', presentation);
  for (const op of (await getCatalogue()).operations.filter((o) => o.service === 'feed')) {
    const refused = await nogi.call(op.operationId, { token: debtToken, query: op.operationId === 'feed' ? { fromSequenceNr: 1, limit: 5 } : undefined });
    expect(refused.status, `${op.path} with a debt token`).toBe(403);
  }
});

test('creditors that do not answer are counted as missing, their loans null', { tag: tags.gate }, async ({ nogi, target, tokens, faults }) => {
  const t = { agreement: await tokens.agreement, debt: await tokens.for('debt', presentation) };
  const consent = await nogi.registerAgreement(t.agreement, { nin: target.nins.withDebt, scope_of_consent: presentation, consent_duration_days: 1, client_consent_id: randomUUID() });
  await faults.fault({ operationId: 'getDebtWithConsentID', creditorTimeout: 1, times: 1 });
  const debt = await nogi.getDebtByConsentId(t.debt, consent.data.consent.id);
  expect(debt.status).toBe(200);
  const loans = debt.data.loans ?? [];
  expect(debt.data.numberOfcreditorsMissing, 'one creditor timed out').toBe(1);
  expect(loans.filter((l) => l.loan === null).length, 'each unanswered loan is reported as null').toBe(1);
  expect(debt.data.numberOfCreditorsAnswered).toBe(loans.length - 1);
});

test('a failing login flow ends in server_error at the callback', { tag: tags.gate }, async ({ faults, authorize }) => {
  await faults.fault({ operationId: 'authorize', status: 500, times: 1 });
  const callback = await authorize({ scope: presentation, decision: 'none' });
  expect(callback.params.error).toBe('server_error');
});
