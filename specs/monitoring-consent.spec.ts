/**
 * The monitoring scope (3770c4e): `debt.unsecured.monitoring` in CreateConsentRequestDTO and
 * ConsentResponseDTO. What the contract states is checked as usual: the scope is accepted and
 * echoed, the consent has a status and can be revoked. What a monitoring consent *allows* (a debt
 * lookup? with which token scope?) no page of the provider's documentation says: the simulator's
 * choice is written in contracts/versions/3770c4e/errata.overlay.yaml, and a provider answering
 * otherwise gets a warning here ("undocumented behaviour"), never a failure.
 */
import { randomUUID } from 'node:crypto';
import { expect, step, tags, test, warnUndocumented } from '../fixtures/nogi.ts';
import { getContracts } from '../src/contract/index.ts';

const MONITORING = 'debt.unsecured.monitoring';

/** Whether the contract version that judges lets a consent have the monitoring scope. */
async function contractHasMonitoring(): Promise<{ has: boolean; version: string }> {
  const { api, version } = await getContracts();
  const validate = api.schemaValidator('CreateConsentRequestDTO');
  return { has: validate({ nin: '14842249091', scope_of_consent: MONITORING, consent_duration_days: 1, client_consent_id: 'x' }), version };
}

test('an integrated monitoring consent: accepted, echoed, its status, revoked; what it allows is a warning', { tag: tags.gate }, async ({ nogi, target, tokens }) => {
  const { has, version } = await contractHasMonitoring();
  test.skip(!has, `the contract ${version} has no ${MONITORING} scope`);
  const registration = { nin: target.nins.withDebt, scope_of_consent: MONITORING, consent_duration_days: 30, client_consent_id: `nogi-conformance-${randomUUID()}` } as const;

  const consent = await step('Register a monitoring consent', async () => {
    const registered = await nogi.registerAgreement(await tokens.agreement, registration);
    expect(registered.status).toBe(200);
    expect(registered.data.consent.scope_of_consent, 'the consent echoes the scope it was registered with').toBe(MONITORING);
    return registered.data.consent;
  });
  const debtToken = await tokens.debt;

  await step('Check the state of the consent: active', async () => {
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active).toBe(true);
  });

  await step('Look up debt with the monitoring consent (the docs are silent: a warning at most)', async () => {
    const debt = await nogi.getDebtByConsentId(debtToken, consent.id);
    if (debt.status !== 200) {
      warnUndocumented(`GET /v1/debt/{id} with a ${MONITORING} consent answered ${debt.status}; the simulator's choice is 200 with the debt. NoGi's docs do not say what a monitoring consent allows.`);
    } else if (debt.data.consent?.scope !== MONITORING) {
      warnUndocumented(`GET /v1/debt/{id} with a ${MONITORING} consent names consent.scope ${JSON.stringify(debt.data.consent?.scope)}; the simulator's choice is the consent's own scope (errata S4).`);
    }
  });

  await step('Revoke the monitoring consent: inactive afterwards', async () => {
    expect((await nogi.revokeConsent(debtToken, consent.id)).status).toBe(204);
    const status = await nogi.getConsentStatus(debtToken, consent.id);
    expect(status.data.active, 'a revoked consent must not be active').toBe(false);
  });
});
