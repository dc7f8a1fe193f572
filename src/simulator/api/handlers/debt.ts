/** The Debt API: getDebtWithConsentID, getDebtWithAuthCodeToken, revokeConsentByID, getConsentStatusWithID. */
import type { Consent } from '../../state.ts';
import { debtError, type SimResponse } from '../errors.ts';
import type { Call } from './types.ts';

const invalidConsent = (call: Call, description: string): SimResponse => debtError(call.sim, 403, call.traceId, 'invalid consent', description);

/** The caller's consent by id; another client's consent is reported exactly like an unknown id. */
async function ownConsent(call: Call): Promise<Consent | SimResponse> {
  const id = call.request.params.id ?? '';
  const consent = await call.sim.state.consent(id);
  if (!consent || consent.clientId !== call.token.clientId) return invalidConsent(call, 'No consent with this id for this client');
  return consent;
}

async function debtBody(call: Call, consent: Consent): Promise<SimResponse> {
  const { sim } = call;
  const person = sim.state.fixtures.people.find((p) => p.nin === consent.nin);
  const creditors = [...new Set((person?.loans ?? []).map((l) => l.creditorName))];
  const missing = Math.min(call.fault?.creditorTimeout ?? 0, creditors.length);
  const timedOut = new Set(creditors.slice(creditors.length - missing));
  const loans = (person?.loans ?? []).map((l) => (timedOut.has(l.creditorName) ? { creditorName: l.creditorName, loan: null } : structuredClone(l)));
  const body: Record<string, unknown> = {
    ssn: consent.nin,
    loans,
    numberOfCreditorsAnswered: creditors.length - missing,
    numberOfcreditorsMissing: missing,
    consent: { id: consent.id, exp: Math.floor(consent.expiresAt / 1000), scope: consent.scope },
  };
  if (consent.singleUse && !sim.deviations.skips('consume-single-use')) await sim.state.markConsumed(consent.id);
  return { status: 200, body };
}

function usable(call: Call, consent: Consent): SimResponse | undefined {
  const reason = call.sim.state.inactiveReason(consent);
  return reason ? invalidConsent(call, reason) : undefined;
}

/**
 * Whether the token may read the consent's debt: it carries the consent's scope. A monitoring
 * consent (3770c4e) has no token scope of its own; the docs are silent, and the simulator's choice
 * (contracts/versions/3770c4e/errata.overlay.yaml, header) is a token of either debt scope.
 */
function tokenAllows(call: Call, consent: Consent): boolean {
  if (consent.scope === 'debt.unsecured.monitoring') return call.token.scopes.some((s) => s === 'debt.unsecured.presentation' || s === 'debt.unsecured.processing');
  return call.token.scopes.includes(consent.scope);
}

export async function getDebtWithConsentID(call: Call): Promise<SimResponse> {
  const consent = await ownConsent(call);
  if ('status' in consent) return consent;
  const inactive = usable(call, consent);
  if (inactive) return inactive;
  if (!tokenAllows(call, consent) && !call.sim.deviations.skips('audience-and-scope')) {
    return invalidConsent(call, `The consent has scope ${consent.scope}, which the access token does not carry`);
  }
  return debtBody(call, consent);
}

export async function getDebtWithAuthCodeToken(call: Call): Promise<SimResponse> {
  const consent = call.token.consentId ? await call.sim.state.consent(call.token.consentId) : undefined;
  if (!consent) return debtError(call.sim, 403, call.traceId, 'no valid consent', 'The access token carries no consent: use a token from the authorization code flow');
  return usable(call, consent) ?? debtBody(call, consent);
}

/** Every consent of the caller the feed still names (the store lists consents by id only). */
async function consentsOf(call: Call): Promise<Consent[]> {
  const events = await call.sim.state.feedPage(call.sim.state.feedWindow(call.token.clientId), 0, 10_000);
  const ids = [...new Set(events.filter((e) => e.eventType === 'SAMTYKKE_OPPRETTET').map((e) => e.consentId))];
  return (await Promise.all(ids.map((id) => call.sim.state.consent(id)))).filter((c): c is Consent => c !== undefined);
}

export async function revokeConsentByID(call: Call): Promise<SimResponse> {
  const consent = await ownConsent(call);
  if ('status' in consent) return consent;
  // Revoking twice is idempotent: 204 again, one SAMTYKKE_ARKIVERT event. Only the named consent
  // ends (a deviation ends every consent of the client).
  if (call.sim.deviations.skips('revoke')) return { status: 204 };
  const revoked = call.sim.deviations.skips('revoke-only-the-named-consent') ? await consentsOf(call) : [consent];
  for (const c of revoked) await call.sim.state.revokeConsent(c);
  return { status: 204 };
}

export async function getConsentStatusWithID(call: Call): Promise<SimResponse> {
  const consent = await ownConsent(call);
  if ('status' in consent) return consent;
  return { status: 200, body: { active: call.sim.state.isActive(consent), expires_at: Math.floor(consent.expiresAt / 1000) } };
}
