/** Friendly names for the generated contract types (src/contract/generated/, from contracts/). */
import type { components as Api } from './generated/nogi-api.ts';
import type { components as OAuth } from './generated/nogi-oauth.ts';

type ApiSchemas = Api['schemas'];
type OAuthSchemas = OAuth['schemas'];

export type CreateConsentRequest = ApiSchemas['CreateConsentRequestDTO'];
export type CreateConsentResponse = ApiSchemas['CreateConsentResponseDTO'];
export type DebtInformation = ApiSchemas['debt_information'];
export type ConsentStatus = ApiSchemas['consent_status'];
export type DebtApiError = ApiSchemas['error'];
export type SpringError = ApiSchemas['SpringErrorSchema'];
export type FeedResponse = ApiSchemas['SamtykkeFeedResponseDTO'];
export type FeedEvent = ApiSchemas['SamtykkeFeedEventDTO'];
export type LastSequenceNr = ApiSchemas['LastSequenceNrResponse'];
export type FirstSequenceNr = ApiSchemas['FirstSequenceNrResponse'];
export type DebtScope = CreateConsentRequest['scope_of_consent'];

export type OpenIdConfiguration = OAuthSchemas['OpenIdConfiguration'];
export type JsonWebKeySet = OAuthSchemas['JsonWebKeySet'];
export type TokenResponse = OAuthSchemas['TokenResponse'];
export type OAuthError = OAuthSchemas['OAuthError'];
export type IdTokenClaims = OAuthSchemas['IdTokenClaims'];
export type AuthorizationCallbackSuccess = OAuthSchemas['AuthorizationCallbackSuccess'];
export type AuthorizationCallbackError = OAuthSchemas['AuthorizationCallbackError'];
