/**
 * The provider states, in the domain's words. Consumer tests name states with these builders;
 * the verifier resolves a state by its name pattern (provider-states.ts). The parameters carry
 * the values. Names say who the person is in words, never by NIN: the Pact core prints state
 * names to the console, where no NIN may appear (the NIN travels in the parameters).
 */
import { EX } from './examples.ts';

export type DebtScope = 'debt.unsecured.presentation' | 'debt.unsecured.processing';

export const STATES = {
  /** Returns {clientConsentId}: a client_consent_id not used before. */
  agreementClient: 'the partner client has an integrated-consent agreement',
  /** Returns {consentId, clientConsentId}. */
  consentExists: (days: number) => `a consent with ${days} days duration exists for a TestID person with debt`,
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

/** Name patterns, for resolving a state on the provider side. */
export const STATE_PATTERNS = {
  agreementClient: /^the partner client has an integrated-consent agreement$/,
  consentExists: /^a consent with (\d+) days duration exists for a TestID person with debt$/,
  consentRevoked: /^the consent was revoked$/,
  authCodeToken: /^an authorization code token exists for a TestID person with debt$/,
  authCode: /^an authorization code was issued for a TestID person with debt$/,
  feedEvents: /^the partner client has consent events in the feed$/,
  debtClient: /^the partner client is registered for the debt API$/,
} as const;

export type StateKind = keyof typeof STATE_PATTERNS;

export function stateKind(name: string): StateKind | undefined {
  return (Object.keys(STATE_PATTERNS) as StateKind[]).find((k) => STATE_PATTERNS[k].test(name));
}

export const DEFAULT_PARAMS = { nin: EX.nin, scope: 'debt.unsecured.presentation' as DebtScope };
