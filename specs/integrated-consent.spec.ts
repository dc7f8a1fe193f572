/**
 * Integrated consent (get-started/index.md "Quick start: Integrated consent flow"). The lifecycle
 * itself is described once, as data, in src/lifecycles/integrated-consent.ts; compare and the
 * bench run the same description. fixtures/lifecycle.ts asserts it step by step.
 */
import { randomUUID } from 'node:crypto';
import { expect, step, tags, test } from '../fixtures/nogi.ts';
import { assertLifecycle } from '../fixtures/lifecycle.ts';
import { integratedConsent } from '../src/lifecycles/integrated-consent.ts';

test('integrated consent lifecycle: register, look up, check, revoke, see it in the feed',
  { tag: [tags.gate, tags.onboarding, tags.health] },
  async ({ nogi, target, tokens }) => {
    await assertLifecycle(integratedConsent, { nogi, target, tokens });
  });

test('a consent past its consent_duration_days is inactive and refused', { tag: tags.gate }, async ({ nogi, target, tokens, clock }) => {
  const consent = await step('2. Register a consent for 1 day', async () => {
    const registered = await nogi.registerAgreement(await tokens.agreement, {
      nin: target.nins.withDebt,
      scope_of_consent: 'debt.unsecured.processing',
      consent_duration_days: 1,
      client_consent_id: `nogi-conformance-${randomUUID()}`,
    });
    expect(registered.status).toBe(200);
    return registered.data.consent;
  });
  // Looked up before it expires: a provider that caches debt answers by consent would still give them after.
  await step('4. Look up debt using the consent, before it expires', async () => {
    expect((await nogi.getDebtByConsentId(await tokens.for('debt', 'debt.unsecured.processing'), consent.id)).status).toBe(200);
  });
  // Moving the clock forgets the test's tokens (fixtures/nogi.ts ClockAdmin): the one below is fresh.
  await step('A day and a minute pass', () => clock.advanceClock(86_400 + 60));
  const debtToken = await step('3. Get a token for the debt API', () => tokens.for('debt', 'debt.unsecured.processing'));
  await step('Check the state of the consent: inactive', async () => {
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active, 'an expired consent must not be active').toBe(false);
  });
  await step('Debt is refused with the expired consent', async () => {
    const refused = await nogi.getDebtByConsentId(debtToken, consent.id);
    expect(refused.status, 'an expired consent must not give debt, even one looked up before it expired (getDebtWithConsentID 403: "no valid consent present")').toBe(403);
    expect((refused.body as { error?: string }).error).toBe('invalid consent');
  });
});
