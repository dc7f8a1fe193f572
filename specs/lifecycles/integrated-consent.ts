/**
 * Integrated consent, as get-started/index.md "Quick start: Integrated consent flow" walks it:
 * consent.create token → register → debt token → debt → status → revoke → status inactive,
 * debt refused → the feed shows the consent created and archived.
 *
 * Written once: the conformance spec runs it for the gate, onboarding and health (by tag), and
 * the self tests run it against deviating providers. Each step that proves an onboarding
 * checklist item says so; the checklist is built from those steps.
 */
import { randomUUID } from 'node:crypto';
import type { NoGiClient } from '../../src/client/nogi-client.ts';
import { readFeed } from '../../src/client/feed.ts';
import type { Target } from '../../src/config/target.ts';
import { debtScope, expect, step, type Tokens } from '../../fixtures/nogi.ts';

export interface LifecycleFixtures {
  nogi: NoGiClient;
  target: Target;
  tokens: Tokens;
}

/** Sequence numbers looked back over for this consent's events (they are not contiguous). */
const feedWindow = 1000;

export async function integratedConsentLifecycle({ nogi, target, tokens }: LifecycleFixtures): Promise<void> {
  const nin = target.nins.withDebt;
  const registration = {
    nin,
    scope_of_consent: debtScope,
    consent_duration_days: 30,
    client_consent_id: `nogi-conformance-${randomUUID()}`,
  };

  const consentToken = await step('1. Get an access token for the consent API', () => tokens.agreement, { checklist: 'token-agreement' });

  const consent = await step('2. Register a consent', async () => {
    const registered = await nogi.registerAgreement(consentToken, registration);
    expect(registered.status).toBe(200);
    expect(registered.data.client_consent_id).toBe(registration.client_consent_id);
    expect(registered.data.consent.scope_of_consent).toBe(registration.scope_of_consent);
    const days = (Date.parse(registered.data.consent.expires_at) - Date.now()) / 86_400_000;
    expect(days, 'expires_at about consent_duration_days from now').toBeGreaterThan(28.9);
    expect(days).toBeLessThan(31.1);
    return registered.data.consent;
  }, { checklist: 'agreement' });

  await step('Register the same consent again: the same consent comes back', async () => {
    const again = await nogi.registerAgreement(consentToken, registration);
    expect(again.status).toBe(200);
    expect(again.data.consent.id).toBe(consent.id);
  });

  await step('Register the same client_consent_id with other data: 409', async () => {
    const conflict = await nogi.registerAgreement(consentToken, { ...registration, consent_duration_days: 20 });
    expect(conflict.status).toBe(409);
  });

  const debtToken = await step('3. Get a token for the debt API', () => tokens.debt, { checklist: 'token-debt' });

  await step('4. Look up debt using the consent', async () => {
    const debt = await nogi.getDebtByConsentId(debtToken, consent.id);
    expect(debt.status).toBe(200);
    expect(debt.data.ssn, 'the debt is the consenting person\'s').toBe(nin);
    expect(debt.data.consent?.id).toBe(consent.id);
    expect(debt.data.consent?.scope).toBe(registration.scope_of_consent);
    const loans = debt.data.loans ?? [];
    expect(debt.data.numberOfCreditorsAnswered, 'numberOfCreditorsAnswered counts the answered loans').toBe(loans.filter((l) => l.loan).length);
    expect(debt.data.numberOfcreditorsMissing, 'numberOfcreditorsMissing counts the null loans').toBe(loans.filter((l) => !l.loan).length);
  }, { checklist: 'debt' });

  await step('Check the state of the consent: active', async () => {
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active, 'status of a consent just registered').toBe(true);
    expect(status.data.expires_at).toBe(Math.floor(Date.parse(consent.expires_at) / 1000));
  }, { checklist: 'status' });

  // A second consent of the client, for the person, that the revoke below must leave alone.
  const other = await step('Register a second consent', async () => {
    const registered = await nogi.registerAgreement(consentToken, { ...registration, client_consent_id: `nogi-conformance-${randomUUID()}` });
    expect(registered.status).toBe(200);
    expect(registered.data.consent.id, 'another client_consent_id is another consent').not.toBe(consent.id);
    return registered.data.consent;
  });

  await step('5. Revoke a consent', async () => {
    const revoked = await nogi.revokeConsent(debtToken, consent.id);
    expect(revoked.status, '204 No Content means the consent was revoked').toBe(204);
  }, { checklist: 'revoke' });

  await step('The revoked consent is inactive', async () => {
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active, 'a revoked consent must not be active').toBe(false);
  });

  await step('The client\'s other consent stays active', async () => {
    const status = await nogi.getConsentStatus(debtToken, other.id);
    expect(status.status).toBe(200);
    expect(status.data.active, 'revoking one consent leaves the client\'s other consents active (revokeConsentByID: "Revoke a consent by ID")').toBe(true);
  });

  await step('Debt is refused with the revoked consent', async () => {
    const refused = await nogi.getDebtByConsentId(debtToken, consent.id);
    expect(refused.status).toBe(403);
    expect((refused.body as { error?: string }).error).toBe('invalid consent');
  });

  // Last, so that a client without feed access still gets every item above checked.
  const feedToken = await step('Get a token for the consents feed', () => tokens.feed, { checklist: 'token-feed' });

  await step('The consents feed shows the consent created and archived', async () => {
    const read = async () => {
      const [first, last] = await Promise.all([nogi.firstSequenceNr(feedToken), nogi.lastSequenceNr(feedToken)]);
      expect(first.status).toBe(200);
      expect(last.status).toBe(200);
      const from = Math.max(first.data.firstSequenceNr, last.data.lastSequenceNr - feedWindow);
      return (await readFeed(nogi, feedToken, from)).events.filter((e) => e.consentId === consent.id);
    };
    await expect
      .poll(async () => (await read()).map((e) => e.eventType).sort(), { message: 'SAMTYKKE_OPPRETTET and SAMTYKKE_ARKIVERT for this consent', timeout: target.feedLagMs })
      .toEqual(['SAMTYKKE_ARKIVERT', 'SAMTYKKE_OPPRETTET']);
    const created = (await read()).find((e) => e.eventType === 'SAMTYKKE_OPPRETTET');
    expect(created?.samtykkeOpprettetEvent?.externalConsentId, 'the created event names our client_consent_id').toBe(registration.client_consent_id);
    expect(created?.samtykkeOpprettetEvent?.scope).toBe(registration.scope_of_consent);
  }, { checklist: 'feed' });
}
