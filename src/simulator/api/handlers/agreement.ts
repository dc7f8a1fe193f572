/** PUT /v1/consent/agreement (createConsent): integrated consent, howto/external-consent-management.md. */
import type { CreateConsentRequest } from '../../../contract/schemas.ts';
import { isValidNin, MAX_CONSENT_DAYS } from '../../rules.ts';
import type { Consent } from '../../state.ts';
import { familyError, type SimResponse } from '../errors.ts';
import type { Call } from './types.ts';

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function created(consent: Consent): SimResponse {
  return {
    status: 200,
    body: {
      client_consent_id: consent.clientConsentId,
      consent: { id: consent.id, expires_at: isoSeconds(consent.expiresAt), scope_of_consent: consent.scope },
    },
  };
}

export async function createConsent(call: Call): Promise<SimResponse> {
  const { sim, token } = call;
  // The error body of the contract version served: Spring's (b68fec2) or problem details (3770c4e).
  const fail = (status: number, message: string) => familyError(sim, call.operation.operationId, status, call, message);
  const client = (await sim.state.client(token.clientId))!;
  if (!client.integratedConsent) return fail(403, 'The client has no integrated-consent agreement with Norsk Gjeldsinformasjon');

  const body = call.request.body as CreateConsentRequest;
  if (!isValidNin(body.nin)) return fail(400, 'nin is not a valid Norwegian national identity number');
  if (body.client_consent_id.trim() === '') return fail(400, 'client_consent_id must not be empty');
  if (body.consent_duration_days < 1) return fail(400, 'consent_duration_days must be at least 1');
  // Above the scope's maximum the duration is clamped to it, as the auth endpoint does
  // (scopes.md: "if provided a number higher than this we will default to the boundary value").
  const days = Math.min(body.consent_duration_days, MAX_CONSENT_DAYS[body.scope_of_consent]);

  const sameAs = (existing: Consent): SimResponse => {
    const same = existing.nin === body.nin && existing.scope === body.scope_of_consent && existing.requestedDays === body.consent_duration_days;
    if (!same) return fail(409, `client_consent_id ${body.client_consent_id} is already registered with other data`);
    return created(existing);
  };
  // An index lookup on (client, client_consent_id); a registration racing this one is caught by the store.
  const existing = await sim.state.consentByClientId(client.client_id, body.client_consent_id);
  if (existing) return sameAs(existing);
  const { consent, created: isNew } = await sim.state.createConsent({
    clientId: client.client_id, nin: body.nin, scope: body.scope_of_consent, source: 'integrated', singleUse: false,
    clientConsentId: body.client_consent_id, requestedDays: body.consent_duration_days,
    expiresAt: sim.state.now(client.client_id) + days * 86400 * 1000,
  });
  return isNew ? created(consent) : sameAs(consent);
}
