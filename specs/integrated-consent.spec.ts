/**
 * Integrated consent, as get-started/index.md "Quick start: Integrated consent flow" walks it:
 * consent.create token → register → debt token → debt → status → revoke → status inactive,
 * debt refused → the feed shows the consent created and archived.
 */
import { randomUUID } from 'node:crypto';
import { readFeed } from '../src/client/feed.ts';
import { expect, step, test } from '../fixtures/nogi.ts';

test('integrated consent lifecycle: register, look up, check, revoke, see it in the feed', async ({ nogi, target }) => {
  const { client, audiences } = target;
  const nin = target.nins.withDebt;
  const registration = {
    nin,
    scope_of_consent: 'debt.unsecured.presentation' as const,
    consent_duration_days: 30,
    client_consent_id: `nogi-conformance-${randomUUID()}`,
  };

  const feedToken = await step('Get a token for the consents feed', async () => {
    const token = await nogi.clientCredentialsToken(client, audiences.feed, 'client.access.consent.events');
    expect(token.status, 'feed token (client.access.consent.events)').toBe(200);
    return token.data.access_token;
  });
  const feedStart = await step('Read the last sequence number before the lifecycle', async () => {
    const last = await nogi.lastSequenceNr(feedToken);
    expect(last.status).toBe(200);
    return last.data.lastSequenceNr;
  });

  const consentToken = await step('1. Get an access token for the consent API', async () => {
    const token = await nogi.clientCredentialsToken(client, audiences.agreement, 'consent.create');
    expect(token.status).toBe(200);
    expect(token.data.scope.split(' ')).toContain('consent.create');
    expect(token.data.token_type.toLowerCase()).toBe('bearer');
    return token.data.access_token;
  });

  const consent = await step('2. Register a consent', async () => {
    const registered = await nogi.registerAgreement(consentToken, registration);
    expect(registered.status).toBe(200);
    expect(registered.data.client_consent_id).toBe(registration.client_consent_id);
    expect(registered.data.consent.scope_of_consent).toBe(registration.scope_of_consent);
    const days = (Date.parse(registered.data.consent.expires_at) - Date.now()) / 86_400_000;
    expect(days, 'expires_at about consent_duration_days from now').toBeGreaterThan(28.9);
    expect(days).toBeLessThan(31.1);
    return registered.data.consent;
  });

  await step('Register the same consent again: the same consent comes back', async () => {
    const again = await nogi.registerAgreement(consentToken, registration);
    expect(again.status).toBe(200);
    expect(again.data.consent.id).toBe(consent.id);
  });

  await step('Register the same client_consent_id with other data: 409', async () => {
    const conflict = await nogi.registerAgreement(consentToken, { ...registration, consent_duration_days: 20 });
    expect(conflict.status).toBe(409);
  });

  const debtToken = await step('3. Get a token for the debt API', async () => {
    const token = await nogi.clientCredentialsToken(client, audiences.debt, 'debt.unsecured.presentation');
    expect(token.status).toBe(200);
    return token.data.access_token;
  });

  await step('4. Look up debt using the consent', async () => {
    const debt = await nogi.getDebtByConsentId(debtToken, consent.id);
    expect(debt.status).toBe(200);
    expect(debt.data.ssn, 'the debt is the consenting person\'s').toBe(nin);
    expect(debt.data.consent?.id).toBe(consent.id);
    expect(debt.data.consent?.scope).toBe(registration.scope_of_consent);
    const loans = debt.data.loans ?? [];
    expect(debt.data.numberOfCreditorsAnswered, 'numberOfCreditorsAnswered counts the answered loans').toBe(loans.filter((l) => l.loan).length);
    expect(debt.data.numberOfcreditorsMissing, 'numberOfcreditorsMissing counts the null loans').toBe(loans.filter((l) => !l.loan).length);
  });

  await step('Check the state of the consent: active', async () => {
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active).toBe(true);
    expect(status.data.expires_at).toBe(Math.floor(Date.parse(consent.expires_at) / 1000));
  });

  await step('5. Revoke a consent', async () => {
    const revoked = await nogi.revokeConsent(debtToken, consent.id);
    expect(revoked.status, '204 No Content means the consent was revoked').toBe(204);
  });

  await step('The revoked consent is inactive', async () => {
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active, 'a revoked consent must not be active').toBe(false);
  });

  await step('Debt is refused with the revoked consent', async () => {
    const refused = await nogi.getDebtByConsentId(debtToken, consent.id);
    expect(refused.status).toBe(403);
    expect((refused.body as { error?: string }).error).toBe('invalid consent');
  });

  await step('The consents feed shows the consent created and archived', async () => {
    await expect
      .poll(async () => {
        const { events } = await readFeed(nogi, feedToken, feedStart + 1);
        return events.filter((e) => e.consentId === consent.id).map((e) => e.eventType).sort();
      }, { message: 'SAMTYKKE_OPPRETTET and SAMTYKKE_ARKIVERT for this consent', timeout: 20_000 })
      .toEqual(['SAMTYKKE_ARKIVERT', 'SAMTYKKE_OPPRETTET']);
    const { events } = await readFeed(nogi, feedToken, feedStart + 1);
    const created = events.find((e) => e.consentId === consent.id && e.eventType === 'SAMTYKKE_OPPRETTET');
    expect(created?.samtykkeOpprettetEvent?.externalConsentId, 'the created event names our client_consent_id').toBe(registration.client_consent_id);
    expect(created?.samtykkeOpprettetEvent?.scope).toBe(registration.scope_of_consent);
  });
});

test('a consent past its consent_duration_days is inactive and refused', async ({ nogi, target, admin, requires }) => {
  requires('clock');
  const { client, audiences } = target;
  const consent = await step('2. Register a consent for 1 day', async () => {
    const token = await nogi.clientCredentialsToken(client, audiences.agreement, 'consent.create');
    const registered = await nogi.registerAgreement(token.data.access_token, {
      nin: target.nins.withDebt,
      scope_of_consent: 'debt.unsecured.processing',
      consent_duration_days: 1,
      client_consent_id: `nogi-conformance-${randomUUID()}`,
    });
    expect(registered.status).toBe(200);
    return registered.data.consent;
  });
  await step('A day and a minute pass', () => admin.advanceClock(86_400 + 60));
  const debtToken = await step('3. Get a token for the debt API', async () => {
    const token = await nogi.clientCredentialsToken(client, audiences.debt, 'debt.unsecured.processing');
    expect(token.status).toBe(200);
    return token.data.access_token;
  });
  await step('Check the state of the consent: inactive', async () => {
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active, 'an expired consent must not be active').toBe(false);
  });
  await step('Debt is refused with the expired consent', async () => {
    const refused = await nogi.getDebtByConsentId(debtToken, consent.id);
    expect(refused.status, 'an expired consent must not give debt').toBe(403);
    expect((refused.body as { error?: string }).error).toBe('invalid consent');
  });
});
