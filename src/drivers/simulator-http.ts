/**
 * The simulator's login and consent pages walked over plain HTTP (their form fields), for
 * callers without a browser: Pact provider states and the simulator's own tests. The browser walk
 * of the same pages is src/drivers/idporten-testid.ts; both post the login form's field `nin`
 * (the `pid` input's name). A target whose login is ID-porten cannot be walked this way: the
 * first page that is not the simulator's fails, saying a browser is needed.
 */
import { randomBytes } from 'node:crypto';
import type { NoGiClient } from '../client/nogi-client.ts';
import { registerSecret } from '../reporting/redact.ts';
import type { Decision } from './types.ts';

export interface HttpAuthorization {
  clientId: string;
  redirectUri: string;
  scope: string;
  state?: string;
  nin: string;
  decision?: Exclude<Decision, 'cancel-login'>;
  /** More query parameters for /oauth2/auth (nonce, PKCE). */
  extra?: Record<string, string>;
}

class HttpLoginError extends Error {
  override name = 'HttpLoginError';
}

/** The `name=value` pairs of Set-Cookie (fetch joins several with ", "), as a Cookie request header. */
function cookieHeader(setCookie: string | undefined): Record<string, string> {
  if (!setCookie) return {};
  const pairs = setCookie.split(/,\s*(?=[A-Za-z0-9_-]+=)/).map((c) => c.split(';')[0]!.trim()).filter((c) => c.includes('='));
  return pairs.length ? { cookie: pairs.join('; ') } : {};
}

/** Walks /oauth2/auth → login → consent; returns where the provider finally redirects (the callback, or an error). */
export async function authorizeOverHttp(client: NoGiClient, a: HttpAuthorization): Promise<URL> {
  const state = a.state ?? randomBytes(12).toString('hex');
  const authUrl = new URL(await client.authorizationUrl({ clientId: a.clientId, scope: a.scope, state, redirectUri: a.redirectUri, extra: a.extra }));
  const redirect = (r: { status: number; headers: Record<string, string> }, step: string): URL => {
    const location = r.headers.location;
    if (r.status < 300 || r.status >= 400 || !location) {
      throw new HttpLoginError(`${step}: expected a redirect, got ${r.status}. This walks the simulator's login and consent pages over HTTP; a target with ID-porten login needs a browser`);
    }
    return new URL(location, authUrl);
  };
  const started = await client.call('authorize', { query: Object.fromEntries(authUrl.searchParams) });
  const login = redirect(started, 'auth request');
  const loginChallenge = login.searchParams.get('login_challenge');
  if (!loginChallenge) return login;
  // A minimal cookie jar: the challenges are bound to the browser by the cookie the auth request sets.
  const headers = cookieHeader(started.headers['set-cookie']);
  const consent = redirect(await client.request('access', 'POST', '/login', { form: { login_challenge: loginChallenge, nin: a.nin }, headers }), 'login page');
  const consentChallenge = consent.searchParams.get('consent_challenge');
  if (!consentChallenge) return consent;
  const callback = redirect(await client.request('access', 'POST', '/consent', { form: { consent_challenge: consentChallenge, action: a.decision ?? 'accept' }, headers }), 'consent page');
  const code = callback.searchParams.get('code');
  if (code) registerSecret(code);
  if (callback.searchParams.get('state') !== state && callback.searchParams.has('state')) {
    throw new HttpLoginError('the callback state does not match the request');
  }
  return callback;
}
