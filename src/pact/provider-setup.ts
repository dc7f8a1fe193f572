/**
 * What the verifier needs to build provider states and fresh tokens on a target, through the
 * target's PUBLIC endpoints: the token endpoint (client credentials), PUT /v1/consent/agreement,
 * DELETE /v1/debt/{id}, the feed's lastSequenceNr, and for an authorization code the login and
 * consent pages driven over HTTP (the simulator's; a target whose login is ID-porten cannot be
 * driven without a browser, and the state then fails loudly saying so).
 *
 * Plain fetch, to 127.0.0.1 unless the environment names another target. Every token obtained is
 * registered with redact() so it never reaches a log line.
 */
import { randomBytes } from 'node:crypto';
import type { Target } from '../config/target.ts';
import { suiteTarget } from '../config/suite-target.ts';
import { redact, registerSecret } from '../reporting/redact.ts';
import type { DebtScope } from './states.ts';

/** The target named by the environment; the simulator's fixture client when NOGI_TARGET=mock. */
export function pactTarget(env: Record<string, string | undefined> = process.env): Target {
  const target = suiteTarget(env);
  registerSecret(target.client.clientSecret);
  return target;
}

export class SetupError extends Error {
  constructor(step: string, detail: string) {
    super(redact(`${step}: ${detail}`));
    this.name = 'SetupError';
  }
}

interface CachedToken { token: string; expiresAt: number }

const formEncode = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');

export class ProviderSetup {
  private readonly tokens = new Map<string, CachedToken>();
  /** Every token this setup obtained: the request filter leaves these alone (state-injected). */
  readonly issued = new Set<string>();

  constructor(readonly target: Target) {}

  basicAuth(): string {
    const { clientId, clientSecret } = this.target.client;
    return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
  }

  private async json(step: string, res: Response): Promise<Record<string, unknown>> {
    const text = await res.text();
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new SetupError(step, `expected JSON, got ${res.status} ${text.slice(0, 200)}`);
    }
  }

  /** A client-credentials token (reference/index.md: one audience and scope per service), cached until near expiry. */
  async clientCredentials(service: 'agreement' | 'debt' | 'feed'): Promise<string> {
    const scope = { agreement: 'consent.create', feed: 'client.access.consent.events', debt: 'debt.unsecured.presentation debt.unsecured.processing' }[service];
    const cached = this.tokens.get(service);
    if (cached && cached.expiresAt > Date.now() + 30_000) return cached.token;
    const res = await fetch(`${this.target.accessBaseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: this.basicAuth(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', audience: this.target.audiences[service], scope }).toString(),
    });
    const body = await this.json(`client-credentials token for ${service}`, res);
    if (res.status !== 200 || typeof body.access_token !== 'string') {
      throw new SetupError(`client-credentials token for ${service}`, `${res.status} ${JSON.stringify(body)}`);
    }
    registerSecret(body.access_token);
    this.issued.add(body.access_token);
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 60;
    this.tokens.set(service, { token: body.access_token, expiresAt: Date.now() + expiresIn * 1000 });
    return body.access_token;
  }

  newClientConsentId(): string {
    return `pact-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  /** PUT /v1/consent/agreement; returns the consent id. */
  async registerAgreement(nin: string, days: number, scope: DebtScope, clientConsentId = this.newClientConsentId()): Promise<{ consentId: string; clientConsentId: string }> {
    const token = await this.clientCredentials('agreement');
    const res = await fetch(`${this.target.apiBaseUrl}/v1/consent/agreement`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ nin, scope_of_consent: scope, consent_duration_days: days, client_consent_id: clientConsentId }),
    });
    const body = await this.json('register agreement', res);
    const consent = body.consent as { id?: unknown } | undefined;
    // Set-up only needs the consent; the status itself is what an interaction verifies.
    if ((res.status !== 200 && res.status !== 201) || typeof consent?.id !== 'string') throw new SetupError('register agreement', `${res.status} ${JSON.stringify(body)}`);
    return { consentId: consent.id, clientConsentId };
  }

  /** DELETE /v1/debt/{id} with the debt client-credentials token. */
  async revoke(consentId: string): Promise<void> {
    const token = await this.clientCredentials('debt');
    const res = await fetch(`${this.target.apiBaseUrl}/v1/debt/${encodeURIComponent(consentId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 204) throw new SetupError('revoke consent', `${res.status} ${(await res.text()).slice(0, 200)}`);
  }

  async lastSequenceNr(): Promise<number> {
    const token = await this.clientCredentials('feed');
    const res = await fetch(`${this.target.apiBaseUrl}/feed/v1/consent/lastSequenceNr`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const body = await this.json('lastSequenceNr', res);
    if (res.status !== 200 || typeof body.lastSequenceNr !== 'number') throw new SetupError('lastSequenceNr', `${res.status} ${JSON.stringify(body)}`);
    return body.lastSequenceNr;
  }

  /**
   * Regular consent without a browser: GET /oauth2/auth, then the login and consent pages over
   * HTTP (their form fields), accepted; returns the code from the callback URL (never followed).
   */
  async authorizationCode(nin: string, scope: DebtScope): Promise<{ code: string; redirectUri: string }> {
    const redirectUri = this.target.client.redirectUri;
    if (!redirectUri) throw new SetupError('authorization code', 'no registered callback URI (set NOGI_REDIRECT_URI or NOGI_CLIENT_REDIRECT_URI)');
    const state = randomBytes(12).toString('hex');
    const auth = new URL(`${this.target.accessBaseUrl}/oauth2/auth`);
    auth.search = new URLSearchParams({ client_id: this.target.client.clientId, response_type: 'code', scope, redirect_uri: redirectUri, state }).toString();
    const step = async (url: string, init: RequestInit, name: string): Promise<URL> => {
      const res = await fetch(url, { ...init, redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) {
        throw new SetupError(`authorization code (${name})`,
          `expected a redirect, got ${res.status}. This state drives the simulator's login and consent pages over HTTP; a target with ID-porten login needs a browser`);
      }
      return new URL(location, url);
    };
    const form = (fields: Record<string, string>): RequestInit => ({
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
    });
    const login = await step(auth.toString(), {}, 'auth request');
    const challenge = login.searchParams.get('login_challenge');
    if (!challenge) throw new SetupError('authorization code (login page)', `no login_challenge in ${login.pathname}`);
    const consent = await step(`${this.target.accessBaseUrl}/login`, form({ login_challenge: challenge, nin }), 'login');
    const consentChallenge = consent.searchParams.get('consent_challenge');
    if (!consentChallenge) throw new SetupError('authorization code (consent page)', `no consent_challenge in ${consent.pathname}`);
    const callback = await step(`${this.target.accessBaseUrl}/consent`, form({ consent_challenge: consentChallenge, action: 'accept' }), 'consent');
    const code = callback.searchParams.get('code');
    if (callback.searchParams.get('state') !== state) throw new SetupError('authorization code', 'the callback state does not match the request');
    if (!code) throw new SetupError('authorization code', `callback without code: error=${callback.searchParams.get('error')}`);
    registerSecret(code);
    return { code, redirectUri };
  }

  /** Exchanges a code at the token endpoint; returns the access token. */
  async exchangeCode(code: string, redirectUri: string): Promise<string> {
    const res = await fetch(`${this.target.accessBaseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: this.basicAuth(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: this.target.client.clientId, redirect_uri: redirectUri, code }).toString(),
    });
    const body = await this.json('authorization code token', res);
    if (res.status !== 200 || typeof body.access_token !== 'string') throw new SetupError('authorization code token', `${res.status} ${JSON.stringify(body)}`);
    registerSecret(body.access_token);
    this.issued.add(body.access_token);
    return body.access_token;
  }
}
