/**
 * The calls the onboarding checklist and the health subset make, over Playwright's request
 * context (so each call is in the report), recording what was observed: operation, status, the
 * OAuth or Spring error, and the time taken. Each call is attached, masked by redact() and capped.
 *
 * This is deliberately small: the conformance specs use the typed client and validate every
 * response; these runs only need to know whether each partner-facing step works, and why not.
 */
import { test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { resolveTarget, type ClientCredentials, type Target } from '../config/target.ts';
import { redact, registerSecret } from '../reporting/redact.ts';
import { fixtureClients } from '../simulator/fixtures.ts';

/** The target for a run's worker; mock uses the simulator's fixture clients. */
export function runTarget(env: NodeJS.ProcessEnv = process.env): Target {
  const target = resolveTarget(env, () => {
    const c = fixtureClients();
    const creds = (s: typeof c.a): ClientCredentials => ({ clientId: s.client_id, clientSecret: s.client_secret, redirectUri: s.redirect_uris[0] });
    return { client: creds(c.a), secondClient: creds(c.b), clientWithoutAgreement: creds(c.withoutAgreement) };
  });
  registerSecret(target.client.clientSecret);
  registerSecret(target.secondClient?.clientSecret);
  registerSecret(target.clientWithoutAgreement?.clientSecret);
  return target;
}

export interface Observation {
  operation: string;
  method: string;
  /** Path only: no query string (it may hold codes or NINs). */
  path: string;
  status: number;
  /** OAuth `error` or Spring `error`/`message`, when the body has one. */
  error?: string;
  description?: string;
  /** Location of a redirect, masked. */
  location?: string;
  /** The provider showed (or redirected to) its own error page instead of the callback. */
  errorPage?: boolean;
  ms: number;
}

/** Recorded on the test as an annotation, so results.json carries it to the run summary. */
export function recordObservation(o: Observation): void {
  test.info().annotations.push({ type: 'observed', description: redact(JSON.stringify(o)) });
}

const ATTACHMENT_CAP = 8 * 1024;
const cap = (text: string): string => (text.length > ATTACHMENT_CAP ? `${text.slice(0, ATTACHMENT_CAP)}\n… [truncated at ${ATTACHMENT_CAP} bytes]` : text);

async function observe(operation: string, method: string, url: string, requestBody: unknown, response: APIResponse, ms: number): Promise<{ observation: Observation; json: unknown }> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const body = (json ?? {}) as Record<string, unknown>;
  const error = typeof body.error === 'string' ? body.error : undefined;
  const description =
    typeof body.error_description === 'string' ? body.error_description : typeof body.message === 'string' ? body.message : undefined;
  const location = response.headers()['location'];
  const observation: Observation = {
    operation,
    method,
    path: new URL(url).pathname,
    status: response.status(),
    ...(error ? { error } : {}),
    ...(description ? { description: redact(description) } : {}),
    ...(location ? { location: redact(location.replace(/([?&](code|login_challenge)=)[^&]+/g, '$1[redacted]')) } : {}),
    ms: Math.round(ms * 10) / 10,
  };
  await test.info().attach(`${method} ${observation.path} → ${observation.status}`, {
    contentType: 'text/plain',
    body: redact(cap(`${method} ${new URL(url).pathname}\n${requestBody ? `${JSON.stringify(requestBody, null, 2)}\n` : ''}\n← ${response.status()}\n${text}`)),
  });
  return { observation, json };
}

export interface Call<T = unknown> {
  ok: boolean;
  observation: Observation;
  json: T;
}

export class Probe {
  constructor(readonly request: APIRequestContext, readonly target: Target, readonly client: ClientCredentials = target.client) {}

  private async call<T>(operation: string, method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, init: { token?: string; data?: unknown; form?: Record<string, string>; basic?: boolean; redirects?: number } = {}): Promise<Call<T>> {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.client.clientId)}:${encodeURIComponent(this.client.clientSecret)}`).toString('base64')}`;
    const started = performance.now();
    const response = await this.request.fetch(url, { method, headers, data: init.data, form: init.form, maxRedirects: init.redirects ?? 0, failOnStatusCode: false });
    const { observation, json } = await observe(operation, method, url, init.data ?? init.form, response, performance.now() - started);
    return { ok: response.status() >= 200 && response.status() < 300, observation, json: json as T };
  }

  /** POST /oauth2/token, client_credentials (token-endpoint.md). */
  async token(audience: string, scope: string): Promise<Call<{ access_token?: string }>> {
    const call = await this.call<{ access_token?: string }>(`token (${scope})`, 'POST', `${this.target.accessBaseUrl}/oauth2/token`, {
      basic: true,
      form: { grant_type: 'client_credentials', audience, scope },
    });
    registerSecret(call.json?.access_token);
    return call;
  }

  async exchangeCode(code: string, redirectUri: string): Promise<Call<{ access_token?: string; id_token?: string }>> {
    registerSecret(code);
    const call = await this.call<{ access_token?: string; id_token?: string }>('token (authorization_code)', 'POST', `${this.target.accessBaseUrl}/oauth2/token`, {
      basic: true,
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
    });
    registerSecret(call.json?.access_token);
    registerSecret(call.json?.id_token);
    return call;
  }

  /** PUT /v1/consent/agreement (createConsent). */
  registerAgreement(token: string, body: Record<string, unknown>): Promise<Call<{ consent?: { id?: string } }>> {
    return this.call('createConsent', 'PUT', `${this.target.apiBaseUrl}/v1/consent/agreement`, { token, data: body });
  }

  debtById(token: string, id: string): Promise<Call> {
    return this.call('getDebtWithConsentID', 'GET', `${this.target.apiBaseUrl}/v1/debt/${encodeURIComponent(id)}`, { token });
  }

  debtWithCodeToken(token: string): Promise<Call> {
    return this.call('getDebtWithAuthCodeToken', 'GET', `${this.target.apiBaseUrl}/v1/debt`, { token });
  }

  status(token: string, id: string): Promise<Call<{ active?: boolean }>> {
    return this.call('getConsentStatusWithID', 'GET', `${this.target.apiBaseUrl}/v1/debt/${encodeURIComponent(id)}/status`, { token });
  }

  revoke(token: string, id: string): Promise<Call> {
    return this.call('revokeConsentByID', 'DELETE', `${this.target.apiBaseUrl}/v1/debt/${encodeURIComponent(id)}`, { token });
  }

  lastSequenceNr(token: string): Promise<Call<{ lastSequenceNr?: number }>> {
    return this.call('lastSequenceNr', 'GET', `${this.target.apiBaseUrl}/feed/v1/consent/lastSequenceNr`, { token });
  }

  feed(token: string, fromSequenceNr: number, limit = 10): Promise<Call> {
    return this.call('feed', 'GET', `${this.target.apiBaseUrl}/feed/v1/consent?fromSequenceNr=${fromSequenceNr}&limit=${limit}`, { token });
  }

  /** GET /oauth2/auth without following redirects: where does the provider send the browser? */
  authorize(params: Record<string, string>): Promise<Call> {
    const url = new URL(`${this.target.accessBaseUrl}/oauth2/auth`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return this.call('authorize', 'GET', url.toString());
  }

  /** Follows a redirect inside the provider's pages (login page reachable?). */
  get(url: string): Promise<Call> {
    return this.call('page', 'GET', url, { redirects: 5 });
  }
}

export const DEBT_SCOPE = (process.env.NOGI_DEBT_SCOPE ?? 'debt.unsecured.presentation') as
  | 'debt.unsecured.presentation'
  | 'debt.unsecured.processing';
