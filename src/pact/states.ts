/**
 * The provider states, in the domain's words. Consumer tests name states with these builders;
 * the verifier resolves a state by its name pattern (provider-states.ts). The parameters carry
 * the values; the name says them too, for people reading the pact.
 */
import { EX } from './examples.ts';

export type DebtScope = 'debt.unsecured.presentation' | 'debt.unsecured.processing';

export const STATES = {
  /** Returns {clientConsentId}: a client_consent_id not used before. */
  agreementClient: 'the partner client has an integrated-consent agreement',
  /** Returns {consentId, clientConsentId}. */
  consentExists: (days: number, nin: string) => `a consent with ${days} days duration exists for NIN ${nin}`,
  /** After consentExists: revokes that consent. Returns {consentId}. */
  consentRevoked: 'the consent was revoked',
  /** Regular consent, accepted by the person. Returns {accessToken, consentId}. */
  authCodeToken: (nin: string) => `an authorization code token exists for NIN ${nin}`,
  /** Regular consent, accepted, code not yet exchanged. Returns {code, redirectUri}. */
  authCode: (nin: string) => `an authorization code was issued for NIN ${nin}`,
  /** Client credentials for the debt API. Returns {audience} (the target's debt audience). */
  debtClient: 'the partner client is registered for the debt API',
  /** The partner's consent events: one created and one archived. Returns {fromSequenceNr}. */
  feedEvents: 'the partner client has consent events in the feed',
} as const;

/** Name patterns, for resolving a state on the provider side. */
export const STATE_PATTERNS = {
  agreementClient: /^the partner client has an integrated-consent agreement$/,
  consentExists: /^a consent with (\d+) days duration exists for NIN (\d{11})$/,
  consentRevoked: /^the consent was revoked$/,
  authCodeToken: /^an authorization code token exists for NIN (\d{11})$/,
  authCode: /^an authorization code was issued for NIN (\d{11})$/,
  feedEvents: /^the partner client has consent events in the feed$/,
  debtClient: /^the partner client is registered for the debt API$/,
} as const;

export type StateKind = keyof typeof STATE_PATTERNS;

export function stateKind(name: string): StateKind | undefined {
  return (Object.keys(STATE_PATTERNS) as StateKind[]).find((k) => STATE_PATTERNS[k].test(name));
}

export const DEFAULT_PARAMS = { nin: EX.nin, scope: 'debt.unsecured.presentation' as DebtScope };
