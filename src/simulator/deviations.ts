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
  | 'registered-redirect-uri';

/** What the response wrapper knows about an answer. */
export interface Answer {
  operation: CatalogueOperation;
  response: SimResponse;
  /** False when the request had no usable token (the answer is the security handler's). */
  authenticated: boolean;
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
} satisfies Record<string, DeviationSpec>;

export type DeviationName = keyof typeof table;
export const DEVIATION_TABLE: Readonly<Record<DeviationName, DeviationSpec>> = table;
/** Name → what it does (GET /deviations, error messages). */
export const DEVIATIONS = Object.fromEntries(Object.entries(table).map(([name, d]) => [name, d.description])) as Record<DeviationName, string>;
export const isDeviation = (name: string): name is DeviationName => Object.hasOwn(table, name);

/** The deviations switched on in one simulator. */
export class Deviations {
  private enabled: Set<DeviationName>;

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
  }

  /** Whether a behavioural deviation that is on skips this rule. */
  skips(rule: Rule): boolean {
    return this.names.some((name) => DEVIATION_TABLE[name].skips === rule);
  }

  /** The answer as the deviating provider would send it: every response deviation that is on, in table order. */
  applyToResponse(answer: Answer): SimResponse {
    let response = answer.response;
    for (const name of Object.keys(table) as DeviationName[]) {
      const d = DEVIATION_TABLE[name];
      if (!this.enabled.has(name) || !d.rewrite || !d.appliesTo?.(answer.operation)) continue;
      response = d.rewrite({ ...answer, response }) ?? response;
    }
    return response;
  }
}
