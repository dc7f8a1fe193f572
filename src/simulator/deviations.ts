/**
 * Test-mode deviations: ways the simulator breaks the provider's rules on purpose, so the suite can
 * prove that it notices (tests/self switches them on by name). All of them are in the one table
 * below, each with what it does and the rule it breaks. There are two kinds:
 *
 * - a response deviation rewrites an operation's answer just before it is sent, in the one
 *   wrapper the API host calls (`applyToResponse`), so no handler knows about it;
 * - a behavioural deviation makes the simulator skip one named rule; the place that enforces that
 *   rule asks `skips(rule)` (revoke, consuming a single-use consent, ...).
 */
import { randomUUID } from 'node:crypto';
import type { CatalogueOperation } from '../contract/catalogue.ts';
import type { SimResponse } from './api/errors.ts';

/** The rules a behavioural deviation can skip; each is enforced in exactly one place. */
export type Rule =
  /** DELETE /v1/debt/{id} ends the consent (api/handlers/debt.ts). */
  | 'revoke'
  /** A default (single-use) consent is used up by its first debt fetch (api/handlers/debt.ts). */
  | 'consume-single-use'
  /** The feed carries SAMTYKKE_ARKIVERT events (api/handlers/feed.ts). */
  | 'feed-archived-events'
  /** An API call needs a token of the operation's service with one of its scopes (api/auth.ts). */
  | 'audience-and-scope'
  /** ID tokens are signed with a key the JWKS publishes (access/token.ts). */
  | 'id-token-signature'
  /** The auth endpoint redirects only to a registered redirect_uri (access/authorize.ts). */
  | 'registered-redirect-uri'
  /** Token answers carry Cache-Control: no-store (access/app.ts). */
  | 'token-no-store'
  /** A token 401 carries WWW-Authenticate (access/token.ts sendOAuthError). */
  | 'token-www-authenticate'
  /** A client-credentials token carries no scope beyond the requested ones (access/token.ts). */
  | 'token-scope-as-requested'
  /** The feed's page starts at fromSequenceNr, included (api/handlers/feed.ts). */
  | 'feed-from-included'
  /** DELETE /v1/debt/{id} revokes that consent only (api/handlers/debt.ts). */
  | 'revoke-only-the-named-consent';

/** What the response wrapper knows about an answer. */
export interface Answer {
  operation: CatalogueOperation;
  response: SimResponse;
  /** False when the request had no usable token (the answer is the security handler's). */
  authenticated: boolean;
  /** The request's path parameters (`id`), as routed. */
  params: Record<string, string>;
  /** What the deviations of this simulator remember between answers (a deviating cache), by key. */
  memory: Map<string, SimResponse>;
}

interface DeviationSpec {
  description: string;
  /** The documented rule it breaks, and where the documentation says so. */
  breaks: string;
  /** Behavioural: the rule the simulator skips while it is on. */
  skips?: Rule;
  /** Response: the operations whose answers it rewrites, and how (undefined: leave the answer). */
  appliesTo?: (operation: CatalogueOperation) => boolean;
  rewrite?: (answer: Answer) => SimResponse | undefined;
}

const jsonObject = (body: unknown): Record<string, unknown> | undefined =>
  body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;

/** A 200 feed page with each event rewritten (undefined for any other answer). */
function feedEventsRewritten(response: SimResponse, rewrite: (event: Record<string, unknown>, index: number) => Record<string, unknown>): SimResponse | undefined {
  const body = jsonObject(response.body);
  if (response.status !== 200 || !body || !Array.isArray(body.result)) return undefined;
  return { ...response, body: { ...body, result: body.result.map((e, i) => rewrite(jsonObject(e) ?? {}, i)) } };
}

/** The body of an application/problem+json error answer (undefined for any other answer). */
const problemBody = (response: SimResponse): Record<string, unknown> | undefined =>
  response.status >= 400 && response.contentType === 'application/problem+json' ? jsonObject(response.body) : undefined;

/** An id no client of the simulator has: the "other client" of feed-foreign-client-id. */
const FOREIGN_CLIENT_ID = '0b3a7c52-9d41-4e8f-a6b2-5c1d9e7f3a08';

const table = {
  'debt-missing-ssn': {
    description: 'Debt responses drop `ssn` and send numberOfCreditorsAnswered as a string',
    breaks: 'debt_information requires ssn and an integer numberOfCreditorsAnswered (the contract\'s schema)',
    appliesTo: (op) => op.service === 'debt',
    rewrite: ({ response }) => {
      const body = jsonObject(response.body);
      if (response.status !== 200 || !body || !('ssn' in body)) return undefined;
      const { ssn: _dropped, ...rest } = body;
      return { ...response, body: { ...rest, numberOfCreditorsAnswered: String(rest.numberOfCreditorsAnswered) } };
    },
  },
  'status-wrong-content-type': {
    description: 'GET /v1/debt/{id}/status answers text/plain',
    breaks: 'getConsentStatusWithID answers application/json (the contract)',
    appliesTo: (op) => op.operationId === 'getConsentStatusWithID',
    rewrite: ({ response }) => (response.status === 200 ? { ...response, body: JSON.stringify(response.body), contentType: 'text/plain' } : undefined),
  },
  'revoke-ignored': {
    description: 'DELETE /v1/debt/{id} answers 204 but the consent stays active',
    breaks: 'a revoked consent is no longer active (reference/consent/revoke-consent.md)',
    skips: 'revoke',
  },
  'single-use-reusable': {
    description: 'A single-use consent is not consumed by the first debt fetch',
    breaks: 'a default consent allows collecting the debt info one time within 10 minutes (scopes.md)',
    skips: 'consume-single-use',
  },
  'feed-drops-archived': {
    description: 'The feed leaves out SAMTYKKE_ARKIVERT events',
    breaks: 'the feed shows every consent event of the last 7 days, archived ones too (consent-feed.md)',
    skips: 'feed-archived-events',
  },
  'wrong-audience-accepted': {
    description: 'The API accepts a token issued for another service audience',
    breaks: 'one audience and its scopes per service (reference/index.md)',
    skips: 'audience-and-scope',
  },
  'id-token-bad-signature': {
    description: 'ID tokens are signed with a key that is not in the JWKS',
    breaks: 'ID tokens verify against the published JWKS (openid-configuration.md, OpenID Connect Core 3.1.3.7)',
    skips: 'id-token-signature',
  },
  'agreement-wrong-status': {
    description: 'PUT /v1/consent/agreement answers 201 instead of 200',
    breaks: 'createConsent answers 200 (the contract)',
    appliesTo: (op) => op.operationId === 'createConsent',
    rewrite: ({ response }) => (response.status === 200 ? { ...response, status: 201 } : undefined),
  },
  'debt-invalid-token-401': {
    description: 'The Debt API answers 401 (undocumented) instead of 403 for an invalid token',
    breaks: 'the Debt API documents 403 for a missing or invalid token, not 401 (the contract)',
    appliesTo: (op) => op.errorFamily === 'debt',
    rewrite: ({ authenticated }) => (authenticated ? undefined : { status: 401 }),
  },
  'problem-without-error-reference': {
    description: 'Problem-details errors (3770c4e\'s Agreement API) leave out errorReference',
    breaks: 'ProblemDetailWithErrorReference carries errorReference, "used for support" (3770c4e; errata S5 requires it)',
    appliesTo: (op) => op.errorFamily === 'problem',
    rewrite: ({ response }) => {
      const body = jsonObject(response.body);
      if (response.status < 400 || !body || !('errorReference' in body)) return undefined;
      const { errorReference: _dropped, ...rest } = body;
      return { ...response, body: rest };
    },
  },
  'problem-status-mismatch': {
    description: 'Problem-details errors (3770c4e\'s Agreement API) carry a `status` member other than the HTTP status: 500 in the body of a 4xx (400 in the body of a 500)',
    breaks: 'a problem\'s "status" member is the HTTP status: "Generators MUST use the same status code in the actual HTTP response" (RFC 9457 §3.1.2)',
    appliesTo: (op) => op.errorFamily === 'problem',
    rewrite: ({ response }) => {
      const body = problemBody(response);
      return body && typeof body.status === 'number' ? { ...response, body: { ...body, status: response.status === 500 ? 400 : 500 } } : undefined;
    },
  },
  'problem-empty-error-reference': {
    description: 'Problem-details errors (3770c4e\'s Agreement API) carry an empty errorReference ("")',
    breaks: 'errorReference is the "Error reference used for support", and an empty one cannot be looked up (3770c4e ProblemDetailWithErrorReference)',
    appliesTo: (op) => op.errorFamily === 'problem',
    rewrite: ({ response }) => {
      const body = problemBody(response);
      return body && 'errorReference' in body ? { ...response, body: { ...body, errorReference: '' } } : undefined;
    },
  },
  'monitoring-debt-refused': {
    description: 'A debt lookup with a debt.unsecured.monitoring consent answers 403 invalid consent',
    breaks: 'nothing the docs state: in the simulator a monitoring consent gives its debt, so the suite warns, never fails (contracts/versions/3770c4e errata header)',
    appliesTo: (op) => op.debtLookup,
    rewrite: ({ response }) => {
      const consent = jsonObject(jsonObject(response.body)?.consent);
      if (response.status !== 200 || consent?.scope !== 'debt.unsecured.monitoring') return undefined;
      return { status: 403, body: { error: 'invalid consent', error_description: 'The consent does not allow debt lookups (deviation)', trace_id: randomUUID(), timestamp: new Date().toISOString() } };
    },
  },
  'redirect-unregistered': {
    description: 'GET /oauth2/auth redirects to an unregistered redirect_uri instead of an error page',
    breaks: 'the auth endpoint redirects only to a registered redirect_uri (auth-endpoint.md, RFC 6749 section 3.1.2.4)',
    skips: 'registered-redirect-uri',
  },
  'token-no-cache-control': {
    description: 'Token responses come without Cache-Control: no-store',
    breaks: 'the token endpoint MUST answer with Cache-Control: no-store (RFC 6749 section 5.1; an error in the strict profile)',
    skips: 'token-no-store',
  },
  'token-401-without-www-authenticate': {
    description: 'A 401 from the token endpoint comes without WWW-Authenticate',
    breaks: 'a 401 invalid_client MUST include WWW-Authenticate (RFC 6749 section 5.2; an error in the strict profile)',
    skips: 'token-www-authenticate',
  },
  'token-scope-widened': {
    description: 'A client-credentials token carries every scope of the audience the client may have, not only the requested one',
    breaks: 'the granted scope stays within the requested one (RFC 6749 section 3.3; an error in the strict profile)',
    skips: 'token-scope-as-requested',
  },
  'feed-from-exclusive': {
    description: 'The feed answers the events after fromSequenceNr, leaving out the event numbered fromSequenceNr',
    breaks: "the feed returns the events from 'fromSequenceNr' (included) (the feed operation's summary)",
    skips: 'feed-from-included',
  },
  'feed-event-ids-reused': {
    description: 'Feed events take their eventId from their place on the page: the first event of every page has the same id',
    breaks: 'each event has an eventId of its own (SamtykkeFeedEventDTO eventId: "This events id")',
    appliesTo: (op) => op.operationId === 'feed',
    rewrite: ({ response }) => feedEventsRewritten(response, (e, i) => ({ ...e, eventId: `5e1f0000-0000-4000-8000-${String(i).padStart(12, '0')}` })),
  },
  'feed-first-sequence-wrong': {
    description: 'firstSequenceNr names the number after the oldest event the feed serves',
    breaks: "firstSequenceNr is the first ('oldest') sequence number in the event feed (the firstSequenceNr operation's summary)",
    appliesTo: (op) => op.operationId === 'firstSequenceNr',
    rewrite: ({ response }) => {
      const body = jsonObject(response.body);
      if (response.status !== 200 || typeof body?.firstSequenceNr !== 'number' || body.firstSequenceNr < 1) return undefined;
      return { ...response, body: { ...body, firstSequenceNr: body.firstSequenceNr + 1 } };
    },
  },
  'feed-foreign-client-id': {
    description: 'Feed events name another client in samtykkeOpprettetEvent / samtykkeArkivertEvent clientId',
    breaks: 'the events on a client\'s own feed name that client (SamtykkeOpprettetEventDTO clientId: "The client that this consent has been given to")',
    appliesTo: (op) => op.operationId === 'feed',
    rewrite: ({ response }) => feedEventsRewritten(response, (e) => {
      const nested = (key: string) => (jsonObject(e[key]) ? { [key]: { ...jsonObject(e[key]), clientId: FOREIGN_CLIENT_ID } } : {});
      return { ...e, ...nested('samtykkeOpprettetEvent'), ...nested('samtykkeArkivertEvent') };
    }),
  },
  'feed-event-after-generated': {
    description: 'Feed events are stamped an hour ahead (local time written as UTC), after the generatedAt of their page',
    breaks: 'timestamp is "When the event occurred", generatedAt "when this response was generated" (SamtykkeFeedEventDTO, SamtykkeFeedResponseDTO)',
    appliesTo: (op) => op.operationId === 'feed',
    rewrite: ({ response }) => feedEventsRewritten(response, (e) =>
      (typeof e.timestamp === 'string' ? { ...e, timestamp: new Date(Date.parse(e.timestamp) + 3_600_000).toISOString() } : e)),
  },
  'debt-cached-after-expiry': {
    description: 'Debt answers are cached by consent id: a consent looked up once gives its debt after it expired (or was revoked)',
    breaks: 'an expired consent gives no debt (consent_duration_days: "The consent duration (in days)"; getDebtWithConsentID 403: "no valid consent present")',
    appliesTo: (op) => op.operationId === 'getDebtWithConsentID',
    rewrite: ({ response, params, memory }) => {
      const key = `debt ${params.id ?? ''}`;
      if (response.status === 200) memory.set(key, response);
      return response.status === 403 ? memory.get(key) : undefined;
    },
  },
  'revoke-revokes-all': {
    description: 'DELETE /v1/debt/{id} revokes every consent of the client, not only the one named',
    breaks: 'a revoke ends the consent named, and no other of the client (revokeConsentByID: "Revoke a consent by ID")',
    skips: 'revoke-only-the-named-consent',
  },
} satisfies Record<string, DeviationSpec>;

export type DeviationName = keyof typeof table;
export const DEVIATION_TABLE: Readonly<Record<DeviationName, DeviationSpec>> = table;
/** Name → what it does (GET /deviations, error messages). */
export const DEVIATIONS = Object.fromEntries(Object.entries(table).map(([name, d]) => [name, d.description])) as Record<DeviationName, string>;
export const isDeviation = (name: string): name is DeviationName => Object.hasOwn(table, name);

/** The deviations switched on in one simulator. */
export class Deviations {
  private enabled: Set<DeviationName>;
  /** What response deviations remember between answers (Answer.memory); forgotten on reset. */
  private readonly memory = new Map<string, SimResponse>();

  constructor(private readonly initial: readonly DeviationName[] = []) {
    this.enabled = new Set(initial);
  }

  get names(): DeviationName[] {
    return [...this.enabled];
  }

  enable(names: readonly DeviationName[]): void {
    for (const name of names) this.enabled.add(name);
  }

  disable(names: readonly DeviationName[]): void {
    for (const name of names) this.enabled.delete(name);
  }

  /** Back to the deviations the simulator started with. */
  reset(): void {
    this.enabled = new Set(this.initial);
    this.memory.clear();
  }

  /** Whether a behavioural deviation that is on skips this rule. */
  skips(rule: Rule): boolean {
    return this.names.some((name) => DEVIATION_TABLE[name].skips === rule);
  }

  /** The answer as the deviating provider would send it: every response deviation that is on, in table order. */
  applyToResponse(answer: Omit<Answer, 'memory'>): SimResponse {
    let response = answer.response;
    for (const name of Object.keys(table) as DeviationName[]) {
      const d = DEVIATION_TABLE[name];
      if (!this.enabled.has(name) || !d.rewrite || !d.appliesTo?.(answer.operation)) continue;
      response = d.rewrite({ ...answer, response, memory: this.memory }) ?? response;
    }
    return response;
  }
}
