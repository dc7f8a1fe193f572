/**
 * The provider states, in the domain's words, each written once: consumer tests name states with
 * these builders, and the verifier resolves a name back to its kind (and its numbers) through the
 * same template. The parameters carry the values. Names say who the person is in words, never by
 * NIN: the Pact core prints state names to the console, where no NIN may appear (the NIN travels
 * in the parameters).
 */
import type { DebtScope } from '../contract/schemas.ts';
import { getCatalogue } from '../contract/catalogue.ts';
import { EX } from './examples.ts';

export type { DebtScope } from '../contract/schemas.ts';

/** Each state's name; `{days}` is a number carried in the name. What the handler returns is in its comment. */
const TEMPLATES = {
  /** Returns {clientConsentId}: a client_consent_id not used before. */
  agreementClient: 'the partner client has an integrated-consent agreement',
  /** Returns {consentId, clientConsentId}. */
  consentExists: 'a consent with {days} days duration exists for a TestID person with debt',
  /** After consentExists: revokes that consent. Returns {consentId}. */
  consentRevoked: 'the consent was revoked',
  /** Regular consent, accepted by the person. Returns {accessToken, consentId}. */
  authCodeToken: 'an authorization code token exists for a TestID person with debt',
  /** Regular consent, accepted, code not yet exchanged. Returns {code, redirectUri}. */
  authCode: 'an authorization code was issued for a TestID person with debt',
  /** Client credentials for the debt API. Returns {audience} (the target's debt audience). */
  debtClient: 'the partner client is registered for the debt API',
  /** The partner's consent events: one created and one archived. Returns {fromSequenceNr}. */
  feedEvents: 'the partner client has consent events in the feed',
} as const;

export type StateKind = keyof typeof TEMPLATES;

export const STATES = {
  agreementClient: TEMPLATES.agreementClient,
  consentExists: (days: number) => TEMPLATES.consentExists.replace('{days}', String(days)),
  consentRevoked: TEMPLATES.consentRevoked,
  authCodeToken: TEMPLATES.authCodeToken,
  authCode: TEMPLATES.authCode,
  debtClient: TEMPLATES.debtClient,
  feedEvents: TEMPLATES.feedEvents,
} as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const patterns = Object.entries(TEMPLATES).map(([kind, template]) => ({
  kind: kind as StateKind,
  pattern: new RegExp(`^${escape(template).replace(/\\\{(\w+)\\\}/g, '(?<$1>\\d+)')}$`),
}));

export const stateKinds = Object.keys(TEMPLATES) as StateKind[];

/** The kind of a state name, and the numbers its name carries (`days`). */
export function parseState(name: string): { kind: StateKind; numbers: Record<string, number> } | undefined {
  for (const { kind, pattern } of patterns) {
    const m = pattern.exec(name);
    if (m) return { kind, numbers: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, Number(v)])) };
  }
  return undefined;
}

/** The contract's first debt scope, as a state's scope when the pact names none. */
export const DEFAULT_PARAMS: { nin: string; scope: DebtScope } = { nin: EX.nin, scope: (await getCatalogue()).service('debt').scopes[0] as DebtScope };
