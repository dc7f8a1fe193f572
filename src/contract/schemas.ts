/**
 * Friendly names for the generated contract types (src/contract/generated/, from contracts/). A
 * type the provider changed between versions is the union over the versions the suite knows, so
 * code that handles it handles each version.
 */
import type { components as ApiJuly } from './generated/nogi-api-b68fec2.ts';
import type { components as ApiSeptember } from './generated/nogi-api-3770c4e.ts';
import type { components as OAuth } from './generated/nogi-oauth.ts';

type ApiSchema<Name extends keyof ApiJuly['schemas'] & keyof ApiSeptember['schemas']> = ApiJuly['schemas'][Name] | ApiSeptember['schemas'][Name];
type OAuthSchemas = OAuth['schemas'];

export type CreateConsentRequest = ApiSchema<'CreateConsentRequestDTO'>;
export type CreateConsentResponse = ApiSchema<'CreateConsentResponseDTO'>;
export type DebtInformation = ApiSchema<'debt_information'>;
export type ConsentStatus = ApiSchema<'consent_status'>;
export type FeedResponse = ApiSchema<'SamtykkeFeedResponseDTO'>;
export type FeedEvent = ApiSchema<'SamtykkeFeedEventDTO'>;
export type LastSequenceNr = ApiSchema<'LastSequenceNrResponse'>;
export type FirstSequenceNr = ApiSchema<'FirstSequenceNrResponse'>;
/** The scopes an integrated consent may have (3770c4e adds `debt.unsecured.monitoring`). */
export type ConsentScope = CreateConsentRequest['scope_of_consent'];
/** The two debt scopes a token for the Debt API carries (reference/consent/scopes.md). */
export type DebtScope = ApiJuly['schemas']['CreateConsentRequestDTO']['scope_of_consent'];

export type OpenIdConfiguration = OAuthSchemas['OpenIdConfiguration'];
export type JsonWebKeySet = OAuthSchemas['JsonWebKeySet'];
export type TokenResponse = OAuthSchemas['TokenResponse'];
export type IdTokenClaims = OAuthSchemas['IdTokenClaims'];
