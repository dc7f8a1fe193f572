/**
 * Consumer contract with the NoGi API host, written by driving the typed NoGiClient (the same one
 * the conformance specs use) against the Pact mock server. Matchers, not literals, and only on
 * the fields the client reads; states in the domain's words; generated ids and tokens reach
 * paths, queries, headers and bodies through fromProviderState.
 */
import { MatchersV3 as M } from '@pact-foundation/pact';
import type { V4RequestBuilder } from '@pact-foundation/pact/src/v4/http/types.js';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { NoGiClient } from '../../../src/client/nogi-client.ts';
import { playwrightTransport } from '../../../src/client/transport.ts';
import { EX, ISO_DATETIME, UUID } from '../../../src/pact/examples.ts';
import { consumerPact } from '../../../src/pact/committed.ts';
import { API_PROVIDER } from '../../../src/pact/names.ts';
import { untilRecorded } from '../../../src/pact/mock-server.ts';
import { STATES } from '../../../src/pact/states.ts';

test.describe.configure({ mode: 'serial' });

// Written to a folder of this run; the last test holds it against the committed pact (src/pact/committed.ts).
const consumer = consumerPact(API_PROVIDER);
const SCOPE = 'debt.unsecured.presentation';
const consent30 = { nin: EX.nin, days: 30, scope: SCOPE };


const clientFor = (request: APIRequestContext, url: string) => new NoGiClient(playwrightTransport(request), { accessBaseUrl: url, apiBaseUrl: url });

const bearer = (b: V4RequestBuilder, extra: Record<string, unknown> = {}) =>
  b.headers({ Authorization: M.regex('^Bearer \\S+$', `Bearer ${EX.bearer}`), ...extra } as never);
const consentPath = (suffix = '') => M.fromProviderState(`/v1/debt/\${consentId}${suffix}`, `/v1/debt/${EX.consentId}${suffix}`);
const uuid = (example: string) => M.regex(UUID, example);
const datetime = (example: string) => M.regex(ISO_DATETIME, example);

const agreementBody = (days: number, nin: string = EX.nin) => ({
  nin: M.regex('^\\d{11}$', nin),
  scope_of_consent: M.regex('^debt\\.unsecured\\.(presentation|processing)$', SCOPE),
  consent_duration_days: M.integer(days),
  client_consent_id: M.fromProviderState('${clientConsentId}', EX.clientConsentId),
});
const agreementRequest = (days: number, nin: string = EX.nin) => ({ nin, scope_of_consent: SCOPE, consent_duration_days: days, client_consent_id: EX.clientConsentId }) as const;

const debtInformation = {
  ssn: M.regex('^\\d{11}$', EX.nin),
  loans: M.eachLike({
    creditorName: M.string('EXAMPLE LENDER'),
    loan: M.like({ type: M.regex('^(creditFacility|repaymentLoan|chargeCard)$', 'chargeCard') }),
  }),
  numberOfCreditorsAnswered: M.integer(1),
  numberOfcreditorsMissing: M.integer(0),
};

test.describe('Agreement API', { tag: '@gate' }, () => {
  test('register agreement: 200 with the consent', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.agreementClient)
      .uponReceiving('a request to register an integrated consent agreement')
      .withRequest('PUT', '/v1/consent/agreement', (b) => bearer(b, { 'Content-Type': 'application/json' }).jsonBody(agreementBody(30)))
      .willRespondWith(200, (b) =>
        b.jsonBody({
          client_consent_id: M.fromProviderState('${clientConsentId}', EX.clientConsentId),
          consent: { id: uuid(EX.consentId), expires_at: datetime(EX.expiresAt), scope_of_consent: M.string(SCOPE) },
        }),
      )
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).registerAgreement(EX.bearer, agreementRequest(30));
          expect(res.status).toBe(200);
          expect(res.data?.consent.id).toBe(EX.consentId);
          expect(res.data?.client_consent_id).toBe(EX.clientConsentId);
        }),
      );
  });

  test('register agreement: 409 for the same client_consent_id with other data', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.consentExists(60), { nin: EX.nin, days: 60, scope: SCOPE })
      .uponReceiving('a request to register an agreement under a client_consent_id already used with other data')
      .withRequest('PUT', '/v1/consent/agreement', (b) => bearer(b, { 'Content-Type': 'application/json' }).jsonBody(agreementBody(30)))
      // The client reads only the status of an error: the body's format is the contract version's
      // (Spring's in b68fec2, problem details in 3770c4e), and this pact holds for both.
      .willRespondWith(409)
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).registerAgreement(EX.bearer, agreementRequest(30));
          expect(res.status).toBe(409);
        }),
      );
  });

  test('register agreement: 400 for an invalid NIN', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.agreementClient)
      .uponReceiving('a request to register an agreement for an invalid NIN')
      .withRequest('PUT', '/v1/consent/agreement', (b) =>
        bearer(b, { 'Content-Type': 'application/json' }).jsonBody({ ...agreementBody(30), nin: EX.invalidNin }),
      )
      .willRespondWith(400)
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).registerAgreement(EX.bearer, agreementRequest(30, EX.invalidNin));
          expect(res.status).toBe(400);
        }),
      );
  });
});

test.describe('Debt API', { tag: '@gate' }, () => {
  test('debt by consent id: 200', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.consentExists(30), consent30)
      .uponReceiving('a request for debt information by consent id')
      .withRequest('GET', consentPath(), (b) => bearer(b))
      .willRespondWith(200, (b) => b.jsonBody({ ...debtInformation, consent: { id: uuid(EX.consentId), exp: M.integer(EX.expEpoch), scope: M.string(SCOPE) } }))
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).getDebtByConsentId(EX.bearer, EX.consentId);
          expect(res.status).toBe(200);
          expect(res.data?.loans?.[0]?.creditorName).toBe('EXAMPLE LENDER');
          expect(res.data?.consent?.id).toBe(EX.consentId);
        }),
      );
  });

  test('debt by consent id: 403 invalid consent after revocation', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.consentExists(30), consent30)
      .given(STATES.consentRevoked)
      .uponReceiving('a request for debt information with a revoked consent')
      .withRequest('GET', consentPath(), (b) => bearer(b))
      .willRespondWith(403, (b) => b.jsonBody({ error: 'invalid consent' }))
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).getDebtByConsentId(EX.bearer, EX.consentId);
          expect(res.status).toBe(403);
          expect((res.body as { error?: string } | undefined)?.error ?? JSON.stringify(res.body)).toContain('invalid consent');
        }),
      );
  });

  test('debt with an authorization-code token: 200', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.authCodeToken, { nin: EX.nin, scope: SCOPE })
      .uponReceiving('a request for debt information with an authorization-code token')
      .withRequest('GET', '/v1/debt', (b) => b.headers({ Authorization: M.fromProviderState('Bearer ${accessToken}', `Bearer ${EX.authCodeBearer}`) }))
      .willRespondWith(200, (b) => b.jsonBody(debtInformation))
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).getDebt(EX.authCodeBearer);
          expect(res.status).toBe(200);
          expect(res.data?.numberOfCreditorsAnswered).toBe(1);
        }),
      );
  });

  test('consent status: active', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.consentExists(30), consent30)
      .uponReceiving('a request for the status of an active consent')
      .withRequest('GET', consentPath('/status'), (b) => bearer(b))
      .willRespondWith(200, (b) => b.jsonBody({ active: true, expires_at: M.integer(EX.expEpoch) }))
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).getConsentStatus(EX.bearer, EX.consentId);
          expect(res.status).toBe(200);
          expect(res.data?.active).toBe(true);
        }),
      );
  });

  test('consent status: inactive after revocation', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.consentExists(30), consent30)
      .given(STATES.consentRevoked)
      .uponReceiving('a request for the status of a revoked consent')
      .withRequest('GET', consentPath('/status'), (b) => bearer(b))
      .willRespondWith(200, (b) => b.jsonBody({ active: false }))
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).getConsentStatus(EX.bearer, EX.consentId);
          expect(res.status).toBe(200);
          expect(res.data?.active).toBe(false);
        }),
      );
  });

  test('revoke consent: 204', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.consentExists(30), consent30)
      .uponReceiving('a request to revoke a consent')
      .withRequest('DELETE', consentPath(), (b) => bearer(b))
      .willRespondWith(204)
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).revokeConsent(EX.bearer, EX.consentId);
          expect(res.status).toBe(204);
        }),
      );
  });
});

test.describe('Consents Feed API', { tag: '@gate' }, () => {
  const event = {
    sequenceNr: M.integer(12356),
    eventId: uuid(EX.eventId),
    consentId: uuid(EX.consentId),
    timestamp: datetime(EX.timestamp),
    eventType: M.regex('^(SAMTYKKE_OPPRETTET|SAMTYKKE_ARKIVERT)$', 'SAMTYKKE_OPPRETTET'),
  };

  test('feed: a page from a sequence number, with a limit', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.feedEvents)
      .uponReceiving('a request for a page of consent events')
      .withRequest('GET', '/feed/v1/consent', (b) =>
        bearer(b).query({ fromSequenceNr: M.fromProviderState('${fromSequenceNr}', '12356'), limit: M.regex('^\\d+$', '2') }),
      )
      .willRespondWith(200, (b) =>
        b.jsonBody({
          startSequenceNr: M.integer(12356),
          endSequenceNr: M.integer(12360),
          generatedAt: datetime(EX.generatedAt),
          result: M.eachLike(event),
        }),
      )
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).feed(EX.bearer, 12356, 2);
          expect(res.status).toBe(200);
          expect(res.data?.endSequenceNr).toBe(12360);
          expect(res.data?.result[0]?.eventType).toBe('SAMTYKKE_OPPRETTET');
        }),
      );
  });

  test('feed: first sequence number', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.feedEvents)
      .uponReceiving('a request for the first sequence number')
      .withRequest('GET', '/feed/v1/consent/firstSequenceNr', (b) => bearer(b))
      .willRespondWith(200, (b) => b.jsonBody({ firstSequenceNr: M.integer(1) }))
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).firstSequenceNr(EX.bearer);
          expect(res.status).toBe(200);
          expect(res.data?.firstSequenceNr).toBe(1);
        }),
      );
  });

  test('feed: last sequence number', async ({ request }) => {
    await consumer.pact
      .addInteraction()
      .given(STATES.feedEvents)
      .uponReceiving('a request for the last sequence number')
      .withRequest('GET', '/feed/v1/consent/lastSequenceNr', (b) => bearer(b))
      .willRespondWith(200, (b) => b.jsonBody({ lastSequenceNr: M.integer(12360) }))
      .executeTest(
        untilRecorded(async (mock) => {
          const res = await clientFor(request, mock.url).lastSequenceNr(EX.bearer);
          expect(res.status).toBe(200);
          expect(res.data?.lastSequenceNr).toBe(12360);
        }),
      );
  });
});

test('the pact file is the committed one, byte for byte, with no value of this run in it', { tag: '@gate' }, () => {
  consumer.expectCommitted();
});
