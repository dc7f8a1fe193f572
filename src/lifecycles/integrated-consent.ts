/**
 * Integrated consent, as get-started/index.md "Quick start: Integrated consent flow" walks it:
 * consent.create token → register → debt token → debt → status → revoke → status inactive,
 * debt refused → the feed shows the consent created and archived.
 *
 * Described once, here: the conformance spec asserts it for the gate, onboarding and health (by
 * tag) and the self tests run it against deviating providers (fixtures/lifecycle.ts); compare
 * records it on two targets; the bench times it. Each step that proves an onboarding checklist
 * item says so; the checklist is built from those steps.
 */
import type { ApiResult } from '../client/nogi-client.ts';
import type { ConsentStatus, CreateConsentRequest, CreateConsentResponse, DebtInformation, FeedEvent } from '../contract/schemas.ts';
import { consentEvents, eventTypes } from './feed.ts';
import { between, defineStep, differs, equals, need, type Lifecycle } from './lifecycle.ts';

type Consent = CreateConsentResponse['consent'];

export interface IntegratedConsentState {
  registration: CreateConsentRequest;
  consentToken?: string;
  consent?: Consent;
  debtToken?: string;
  /** A second consent of the client, for the person, that the revoke must leave alone. */
  other?: Consent;
  feedToken?: string;
}

type S = IntegratedConsentState;

const consentOf = (s: S): Consent => need(s.consent, 'consent (step "2. Register a consent")');

export const integratedConsent: Lifecycle<S> = {
  name: 'integrated consent',
  source: 'get-started/index.md "Quick start: Integrated consent flow"',
  start: (ctx) => ({
    registration: { nin: ctx.nin, scope_of_consent: ctx.debtScope, consent_duration_days: 30, client_consent_id: ctx.newClientConsentId() },
  }),
  steps: [
    defineStep<S, string>({
      title: '1. Get an access token for the consent API',
      checklist: 'token-agreement',
      call: (ctx) => ctx.tokens.for('agreement'),
      keep: (token, s) => void (s.consentToken = token),
    }),
    defineStep<S, ApiResult<CreateConsentResponse>>({
      title: '2. Register a consent',
      checklist: 'agreement',
      call: (ctx, s) => ctx.nogi.registerAgreement(need(s.consentToken, 'consent.create token'), s.registration),
      status: { is: 200 },
      checks: [
        equals('client_consent_id is the one registered', (r) => r.data.client_consent_id, (_, s) => s.registration.client_consent_id),
        equals('scope_of_consent is the one registered', (r) => r.data.consent.scope_of_consent, (_, s) => s.registration.scope_of_consent),
        between('expires_at about consent_duration_days from now', (r) => (Date.parse(r.data.consent.expires_at) - Date.now()) / 86_400_000, 28.9, 31.1),
      ],
      keep: (r, s) => void (s.consent = r.data.consent),
    }),
    defineStep<S, ApiResult<CreateConsentResponse>>({
      title: 'Register the same consent again: the same consent comes back',
      call: (ctx, s) => ctx.nogi.registerAgreement(need(s.consentToken, 'consent.create token'), s.registration),
      status: { is: 200 },
      checks: [equals('the same client_consent_id and data give the same consent', (r) => r.data.consent.id, (_, s) => consentOf(s).id)],
    }),
    defineStep<S, ApiResult<unknown>>({
      title: 'Register the same client_consent_id with other data: 409',
      call: (ctx, s) => ctx.nogi.registerAgreement(need(s.consentToken, 'consent.create token'), { ...s.registration, consent_duration_days: 20 }),
      status: { is: 409 },
    }),
    defineStep<S, string>({
      title: '3. Get a token for the debt API',
      checklist: 'token-debt',
      call: (ctx) => ctx.tokens.for('debt', ctx.debtScope),
      keep: (token, s) => void (s.debtToken = token),
    }),
    defineStep<S, ApiResult<DebtInformation>>({
      title: '4. Look up debt using the consent',
      checklist: 'debt',
      call: (ctx, s) => ctx.nogi.getDebtByConsentId(need(s.debtToken, 'debt token'), consentOf(s).id),
      status: { is: 200 },
      checks: [
        equals('the debt is the consenting person\'s', (r) => r.data.ssn, (_, s) => s.registration.nin),
        equals('consent.id is the consent looked up with', (r) => r.data.consent?.id, (_, s) => consentOf(s).id),
        equals('consent.scope is the consent\'s', (r) => r.data.consent?.scope, (_, s) => s.registration.scope_of_consent),
        equals('numberOfCreditorsAnswered counts the answered loans', (r) => r.data.numberOfCreditorsAnswered, (r) => (r.data.loans ?? []).filter((l) => l.loan).length),
        equals('numberOfcreditorsMissing counts the null loans', (r) => r.data.numberOfcreditorsMissing, (r) => (r.data.loans ?? []).filter((l) => !l.loan).length),
      ],
    }),
    defineStep<S, ApiResult<ConsentStatus>>({
      title: 'Check the state of the consent: active',
      checklist: 'status',
      call: (ctx, s) => ctx.nogi.getConsentStatus(need(s.debtToken, 'debt token'), consentOf(s).id),
      status: { is: 200 },
      checks: [
        equals('status of a consent just registered: active', (r) => r.data.active, () => true),
        equals('expires_at is the consent\'s, in epoch seconds', (r) => r.data.expires_at, (_, s) => Math.floor(Date.parse(consentOf(s).expires_at) / 1000)),
      ],
    }),
    defineStep<S, ApiResult<CreateConsentResponse>>({
      title: 'Register a second consent',
      call: (ctx, s) => ctx.nogi.registerAgreement(need(s.consentToken, 'consent.create token'), { ...s.registration, client_consent_id: ctx.newClientConsentId() }),
      status: { is: 200 },
      checks: [differs('another client_consent_id is another consent', (r) => r.data.consent.id, (_, s) => consentOf(s).id)],
      keep: (r, s) => void (s.other = r.data.consent),
    }),
    defineStep<S, ApiResult<undefined>>({
      title: '5. Revoke a consent',
      checklist: 'revoke',
      call: (ctx, s) => ctx.nogi.revokeConsent(need(s.debtToken, 'debt token'), consentOf(s).id),
      status: { is: 204, because: '204 No Content means the consent was revoked' },
    }),
    defineStep<S, ApiResult<ConsentStatus>>({
      title: 'The revoked consent is inactive',
      call: (ctx, s) => ctx.nogi.getConsentStatus(need(s.debtToken, 'debt token'), consentOf(s).id),
      status: { is: 200 },
      checks: [equals('a revoked consent must not be active', (r) => r.data.active, () => false)],
    }),
    defineStep<S, ApiResult<ConsentStatus>>({
      title: 'The client\'s other consent stays active',
      call: (ctx, s) => ctx.nogi.getConsentStatus(need(s.debtToken, 'debt token'), need(s.other, 'second consent').id),
      status: { is: 200 },
      checks: [equals('revoking one consent leaves the client\'s other consents active (revokeConsentByID: "Revoke a consent by ID")', (r) => r.data.active, () => true)],
    }),
    defineStep<S, ApiResult<unknown>>({
      title: 'Debt is refused with the revoked consent',
      call: (ctx, s) => ctx.nogi.getDebtByConsentId(need(s.debtToken, 'debt token'), consentOf(s).id),
      status: { is: 403 },
      checks: [equals('the error is "invalid consent"', (r) => (r.body as { error?: string } | undefined)?.error, () => 'invalid consent')],
    }),
    // Last, so that a client without feed access still gets every item above checked.
    defineStep<S, string>({
      title: 'Get a token for the consents feed',
      checklist: 'token-feed',
      call: (ctx) => ctx.tokens.for('feed'),
      keep: (token, s) => void (s.feedToken = token),
    }),
    defineStep<S, FeedEvent[]>({
      title: 'The consents feed shows the consent created and archived',
      checklist: 'feed',
      call: (ctx, s) => consentEvents(ctx.nogi, need(s.feedToken, 'feed token'), consentOf(s).id),
      poll: {
        until: equals('SAMTYKKE_OPPRETTET and SAMTYKKE_ARKIVERT for this consent', eventTypes, () => ['SAMTYKKE_ARKIVERT', 'SAMTYKKE_OPPRETTET']),
        withinMs: (ctx) => ctx.feedLagMs,
      },
      checks: [
        equals('the created event names our client_consent_id', (events) => created(events)?.samtykkeOpprettetEvent?.externalConsentId, (_, s) => s.registration.client_consent_id),
        equals('the created event has the consent\'s scope', (events) => created(events)?.samtykkeOpprettetEvent?.scope, (_, s) => s.registration.scope_of_consent),
      ],
    }),
  ],
};

const created = (events: FeedEvent[]): FeedEvent | undefined => events.find((e) => e.eventType === 'SAMTYKKE_OPPRETTET');
