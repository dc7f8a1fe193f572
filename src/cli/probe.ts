/**
 * What the onboarding checklist and the health subset need from each call: did it work, and if
 * not, what was seen (operation, status, the OAuth or Spring error) and how long it took. The
 * calls themselves go through the typed client (src/client/nogi-client.ts) from the fixtures
 * (fixtures/nogi.ts), which validates every response against the contract and attaches each
 * request and response, masked and capped, inside the step that made it.
 */
import type { ApiResult, NoGiClient } from '../client/nogi-client.ts';
import type { Target } from '../config/target.ts';
import { redact } from '../reporting/redact.ts';

export interface Observation {
  operation: string;
  method: string;
  /** Path only: no query string (it may hold codes or NINs). */
  path: string;
  status: number;
  /** OAuth `error` or Spring `error`, when the body has one. */
  error?: string;
  description?: string;
  /** Location of a redirect, masked. */
  location?: string;
  /** The provider showed (or redirected to) its own error page instead of the callback. */
  errorPage?: boolean;
  ms: number;
}

export interface Call<T = unknown> {
  ok: boolean;
  observation: Observation;
  json: T;
}

export function observe<T>(result: ApiResult<T>): Call<T> {
  const body = (result.body && typeof result.body === 'object' ? result.body : {}) as Record<string, unknown>;
  const error = typeof body.error === 'string' ? body.error : undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : typeof body.message === 'string' ? body.message : undefined;
  const location = result.headers['location'];
  const observation: Observation = {
    operation: result.operationId,
    method: result.method,
    path: new URL(result.url).pathname,
    status: result.status,
    ...(error ? { error } : {}),
    ...(description ? { description: redact(description) } : {}),
    ...(location ? { location: redact(location.replace(/([?&](code|login_challenge|state)=)[^&]+/g, '$1[redacted]')) } : {}),
    ms: Math.round(result.durationMs * 10) / 10,
  };
  return { ok: result.ok, observation, json: (result.ok ? result.data : result.body) as T };
}

export const DEBT_SCOPE = (process.env.NOGI_DEBT_SCOPE ?? 'debt.unsecured.presentation') as
  | 'debt.unsecured.presentation'
  | 'debt.unsecured.processing';

/** The partner-facing calls, each as a Call. */
export class Probe {
  constructor(readonly nogi: NoGiClient, readonly target: Target) {}

  async token(audience: string, scope: string): Promise<Call<{ access_token?: string }>> {
    return observe(await this.nogi.clientCredentialsToken(this.target.client, audience, scope));
  }

  async exchangeCode(code: string, redirectUri: string): Promise<Call<{ access_token?: string; id_token?: string }>> {
    return observe(await this.nogi.exchangeCode(this.target.client, code, redirectUri));
  }

  async registerAgreement(token: string, body: Record<string, unknown>): Promise<Call<{ consent?: { id?: string } }>> {
    return observe(await this.nogi.registerAgreement(token, body));
  }

  async debtById(token: string, id: string): Promise<Call> {
    return observe(await this.nogi.getDebtByConsentId(token, id));
  }

  async debtWithCodeToken(token: string): Promise<Call<{ consent?: { id?: string } }>> {
    return observe(await this.nogi.getDebt(token));
  }

  async status(token: string, id: string): Promise<Call<{ active?: boolean }>> {
    return observe(await this.nogi.getConsentStatus(token, id));
  }

  async revoke(token: string, id: string): Promise<Call> {
    return observe(await this.nogi.revokeConsent(token, id));
  }

  async lastSequenceNr(token: string): Promise<Call<{ lastSequenceNr?: number }>> {
    return observe(await this.nogi.lastSequenceNr(token));
  }

  async feed(token: string, fromSequenceNr: number, limit = 10): Promise<Call> {
    return observe(await this.nogi.feed(token, fromSequenceNr, limit));
  }

  /** GET /oauth2/auth without following redirects: where does the provider send the browser? */
  async authorize(params: { scope: string; state: string; redirectUri: string }): Promise<Call> {
    const url = new URL(this.nogi.authorizationUrl({ clientId: this.target.client.clientId, ...params }));
    return observe(await this.nogi.raw('oauth', 'authorize', { path: url.pathname, query: Object.fromEntries(url.searchParams) }));
  }
}
