/**
 * GET /oauth2/auth (reference/consent/auth-endpoint.md, scopes.md) and the pages behind it:
 * TestID-like login, then the NoGi consent page, then a redirect to the registered redirect_uri
 * with `code, scope, state` or `error, error_description, state`. An unknown client or an
 * unregistered redirect_uri gets a 400 error page, never a redirect.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { SimContext } from '../context.ts';
import { AUTH_CODE_SECONDS, isValidNin, MAX_DAYS, parseAuthScope, SINGLE_USE_SECONDS } from '../rules.ts';
import type { AuthSession } from '../state.ts';
import { consentPage, errorPage, loginPage } from './pages.ts';

const SESSION_SECONDS = 30 * 60;

const q = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The login and consent challenges are bound to the browser that started the flow, as Hydra's
 * CSRF cookies do: a random value in a SameSite=Lax, HttpOnly cookie, its hash in the session.
 * A challenge used without that cookie (another browser, or a cross-site POST, which a Lax
 * cookie does not accompany) is refused. The value carries a MAC under the binding key, so the
 * simulator tells a cookie it issued from one a client made up (the pending-login cap: below).
 */
const BINDING_COOKIE = 'nogi_login_binding';
const hash = (v: string): Buffer => createHash('sha256').update(v).digest();
const mac = (ctx: SimContext, random: string): string => createHmac('sha256', ctx.bindingKey).update(random).digest('base64url').slice(0, 22);

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The binding cookie this browser carries, when this simulator (or one sharing its key) issued it. */
function issuedBinding(ctx: SimContext, req: Request): string | undefined {
  const value = cookie(req, BINDING_COOKIE);
  const m = value === undefined ? null : /^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{22})$/.exec(value);
  return m && timingSafeEqual(Buffer.from(mac(ctx, m[1]!)), Buffer.from(m[2]!)) ? value : undefined;
}

/** Sets the browser's binding cookie: the one it already has (several logins in one browser), or a new one; either way with a fresh Max-Age. */
function bindBrowser(ctx: SimContext, res: Response, issued: string | undefined): string {
  const random = randomBytes(24).toString('base64url');
  const value = issued ?? `${random}.${mac(ctx, random)}`;
  const secure = ctx.accessPublicUrl.startsWith('https:') ? '; Secure' : '';
  res.append('Set-Cookie', `${BINDING_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}${secure}`);
  return value;
}

/**
 * Whose budget of unfinished logins an auth request spends. Anyone can start a login without
 * credentials, so a cap per client would let a stranger lock a client's users out. Instead:
 *  - a browser with a binding cookie issued here spends its own budget (keyed by the cookie);
 *  - a request without one (a new browser, a script, a made-up cookie) spends the budget of its
 *    remote address.
 * A flood without cookies so exhausts only its address's budget, never that of a browser that
 * already holds its cookie; a made-up cookie buys nothing, and each issued one costs a request
 * charged to the address. A new browser behind the flooding address (or behind the same reverse
 * proxy) waits with it: nothing tells the two apart. A total cap bounds memory across sources;
 * when it is full, the busiest source gives way to one holding fewer (authorize, below).
 */
function loginSource(req: Request, issued: string | undefined): string {
  return issued ? `browser:${hash(issued).toString('base64url')}` : `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

function boundToThisBrowser(req: Request, s: AuthSession): boolean {
  if (!s.browserBinding) return false;
  const value = cookie(req, BINDING_COOKIE);
  if (!value) return false;
  // Both sides hashed: equal lengths for timingSafeEqual, nothing learned from timing.
  return timingSafeEqual(hash(value), Buffer.from(s.browserBinding, 'base64url'));
}

/**
 * Where a request for a page may come from, as at a real authorization server (Hydra, ID-porten).
 * The flow starts on the partner's site, so the browser sends `Sec-Fetch-Site: cross-site` for the
 * whole redirect chain: the pages (GETs) accept a top-level navigation from any site, and the Lax
 * binding cookie does accompany one. Anything else cross-site (a fetch, an image, a frame) is no
 * navigation and is refused. The POSTs are the pages' own forms, always same-origin: a POST from
 * another site is refused, `same-site` too (another port on the same host is the same site, and a
 * Lax cookie accompanies it). The CSRF proof of a POST is then the binding cookie bound to the
 * challenge plus the challenge itself, the form's token (random, hidden in the form, useless
 * without the cookie). Browsers that send no Sec-Fetch-* headers rely on the cookie alone.
 * Returns why the request is refused, or undefined.
 */
function siteRefusal(req: Request): string | undefined {
  const site = req.get('sec-fetch-site');
  if (req.method === 'POST') return site === undefined || site === 'same-origin' ? undefined : `posted from another site (Sec-Fetch-Site: ${site})`;
  const mode = req.get('sec-fetch-mode');
  return site === 'cross-site' && mode !== undefined && mode !== 'navigate' ? `fetched cross-site without a navigation (Sec-Fetch-Mode: ${mode})` : undefined;
}

/** Any query or form parameter given more than once (RFC 6749 3.1: parameters must not be repeated). */
const repeated = (params: Record<string, unknown>): string | undefined => Object.keys(params).find((k) => Array.isArray(params[k]));

function callback(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

function showError(res: Response, message: string): void {
  res.status(400).type('html').send(errorPage(message));
}

export async function authorize(ctx: SimContext, req: Request, res: Response): Promise<void> {
  const twice = repeated(req.query as Record<string, unknown>);
  if (twice) return showError(res, `Parameteren ${twice} er gitt mer enn én gang (invalid_request).`);
  const clientId = q(req.query.client_id);
  const redirectUri = q(req.query.redirect_uri);
  const state = q(req.query.state);
  const client = await ctx.state.client(clientId);
  if (!client) return showError(res, clientId ? 'Ukjent klient (client_id).' : 'client_id mangler.');
  res.locals.clientId = client.client_id;
  if (!redirectUri) return showError(res, 'redirect_uri mangler.');
  if (!client.redirect_uris.includes(redirectUri) && !ctx.deviations.skips('registered-redirect-uri')) {
    return showError(res, 'redirect_uri er ikke registrert for denne klienten.');
  }
  if (q(req.query.response_type) !== 'code') return showError(res, 'response_type må være "code".');
  if (!state) return showError(res, 'state mangler.');
  const fail = (error: string, description: string): void => res.redirect(302, callback(redirectUri, { error, error_description: description, state }));
  // PKCE (RFC 7636): only S256 (Hydra refuses plain by default); the challenge is 43 base64url characters.
  const challenge = q(req.query.code_challenge);
  const method = q(req.query.code_challenge_method);
  if (challenge !== undefined && (method ?? 'plain') !== 'S256') return showError(res, 'code_challenge_method må være S256 (PKCE plain støttes ikke).');
  if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return showError(res, 'code_challenge må være 43 tegn base64url (S256 av code_verifier).');
  if (challenge === undefined && method !== undefined) return showError(res, 'code_challenge_method uten code_challenge.');
  const nonce = q(req.query.nonce);
  const parsed = parseAuthScope(q(req.query.scope));
  if ('error' in parsed) return fail('invalid_scopes', parsed.error);
  // Every scope granted (openid too: it brings an ID token with the person's pid) must be one the client is allowed.
  const notAllowed = [parsed.scope, ...(parsed.openid ? ['openid'] : [])].filter((s) => !client.allowed_scopes.includes(s));
  if (notAllowed.length) return fail('invalid_scopes', `The client may not request ${notAllowed.join(' ')}`);
  const fault = ctx.state.takeFault('authorize', client.client_id);
  if (fault?.status) return fail('server_error', 'Simulated server error (fault switch)');
  const issued = issuedBinding(ctx, req);
  const source = loginSource(req, issued);
  const now = ctx.state.now(client.client_id);
  const refuse = (why: string, cap: number, text: string): void => {
    ctx.log(`[access] pending logins ${why} at the cap (${cap}): refused`);
    // A page, not a redirect: the callback's error values are the contract's, and this is none of them.
    res.status(429).set('Retry-After', String(SESSION_SECONDS)).type('html').send(errorPage(text));
  };
  if (await ctx.state.countSessions(source, now) >= ctx.limits.pendingLogins) {
    return refuse(`of one ${source.split(':')[0]}`, ctx.limits.pendingLogins,
      `For mange påbegynte innlogginger fra denne nettleseren eller adressen (høyst ${ctx.limits.pendingLogins} på ${SESSION_SECONDS / 60} minutter). Too many unfinished logins from this browser or address; try again later.`);
  }
  // The total full: a source holding fewer than the busiest one gets in, in place of that one's
  // oldest pending login, so a few sources that fill the total lock no one else out for the
  // sessions' 30 minutes (each source's own cap bounds how much of it one may hold). Only a source
  // among the busiest is refused.
  if (await ctx.state.countSessions(undefined, now) >= ctx.limits.pendingLoginsTotal) {
    if (!(await ctx.state.evictForSource(source, now))) {
      return refuse('of the sandbox', ctx.limits.pendingLoginsTotal,
        `For mange påbegynte innlogginger i sandkassen (høyst ${ctx.limits.pendingLoginsTotal}). Too many unfinished logins in this sandbox; try again later.`);
    }
    ctx.log(`[access] pending logins of the sandbox at the cap (${ctx.limits.pendingLoginsTotal}): the oldest of the busiest source's evicted for a ${source.split(':')[0]} holding fewer`);
  }
  const session: AuthSession = {
    id: randomBytes(24).toString('base64url'), clientId: client.client_id, redirectUri, state,
    scope: parsed.scope, days: parsed.days, requestedDays: parsed.requestedDays, openid: parsed.openid,
    stage: 'login', expiresAt: now + SESSION_SECONDS * 1000, source,
    browserBinding: hash(bindBrowser(ctx, res, issued)).toString('base64url'),
    ...(challenge !== undefined ? { codeChallenge: challenge } : {}),
    ...(nonce !== undefined ? { nonce } : {}),
  };
  await ctx.state.putSession(session);
  res.redirect(302, `${ctx.accessPublicUrl}/login?login_challenge=${encodeURIComponent(session.id)}`);
}

async function session(ctx: SimContext, req: Request, id: unknown, stage: AuthSession['stage'], res: Response): Promise<AuthSession | undefined> {
  const s = typeof id === 'string' ? await ctx.state.session(id) : undefined;
  if (!s || s.expiresAt <= ctx.state.now(s.clientId) || s.stage !== stage) {
    showError(res, 'Økten er ukjent eller utløpt. Start innloggingen på nytt fra tjenesten du kom fra.');
    return undefined;
  }
  const refusal = siteRefusal(req);
  if (refusal || !boundToThisBrowser(req, s)) {
    ctx.log(`[access] ${stage} challenge ${refusal ?? 'used without its browser binding'}: refused`);
    res.status(403).type('html').send(errorPage('Forespørselen kom ikke fra nettleseren som startet innloggingen. Start innloggingen på nytt fra tjenesten du kom fra.'));
    return undefined;
  }
  res.locals.clientId = s.clientId;
  return s;
}

async function renderLogin(ctx: SimContext, res: Response, s: AuthSession, error?: string, nin?: string): Promise<void> {
  const client = (await ctx.state.client(s.clientId))!;
  res.status(200).type('html').send(loginPage({
    action: `${ctx.accessPublicUrl}/login`,
    cancelUrl: `${ctx.accessPublicUrl}/login/cancel?login_challenge=${encodeURIComponent(s.id)}`,
    challenge: s.id, clientName: client.name, error, nin,
  }));
}

export async function loginGet(ctx: SimContext, req: Request, res: Response): Promise<void> {
  const s = await session(ctx, req, req.query.login_challenge, 'login', res);
  if (s) await renderLogin(ctx, res, s);
}

export async function loginPost(ctx: SimContext, req: Request, res: Response): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const s = await session(ctx, req, body.login_challenge, 'login', res);
  if (!s) return;
  const nin = typeof body.nin === 'string' ? body.nin.replace(/\s+/g, '') : '';
  if (!isValidNin(nin)) return renderLogin(ctx, res, s, 'Ugyldig fødselsnummer. Skriv inn 11 siffer, for eksempel et syntetisk TestID-nummer.');
  s.nin = nin;
  s.stage = 'consent';
  await ctx.state.putSession(s);
  res.redirect(303, `${ctx.accessPublicUrl}/consent?consent_challenge=${encodeURIComponent(s.id)}`);
}

export async function loginCancel(ctx: SimContext, req: Request, res: Response): Promise<void> {
  const s = await session(ctx, req, req.query.login_challenge, 'login', res);
  if (!s) return;
  await ctx.state.deleteSession(s.id);
  res.redirect(302, callback(s.redirectUri, { error: 'login_cancelled', error_description: 'The user cancelled the login', state: s.state }));
}

export async function consentGet(ctx: SimContext, req: Request, res: Response): Promise<void> {
  const s = await session(ctx, req, req.query.consent_challenge, 'consent', res);
  if (!s) return;
  const client = (await ctx.state.client(s.clientId))!;
  const duration = s.days === undefined
    ? 'Engangssamtykke (10 minutter)'
    : `${s.days} dager${s.requestedDays !== s.days ? ` (maksimum for dette formålet; forespurt ${s.requestedDays})` : ''}`;
  res.status(200).type('html').send(consentPage({
    action: `${ctx.accessPublicUrl}/consent`, challenge: s.id, clientName: client.name, scope: s.scope, duration,
    purpose: s.scope.endsWith('presentation') ? 'Presentasjon av gjeldsinformasjon for deg' : `Kredittvurdering (maks ${MAX_DAYS[s.scope]} dager)`,
  }));
}

export async function consentPost(ctx: SimContext, req: Request, res: Response): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const s = await session(ctx, req, body.consent_challenge, 'consent', res);
  if (!s) return;
  await ctx.state.deleteSession(s.id);
  if (body.action !== 'accept') {
    return res.redirect(303, callback(s.redirectUri, { error: 'consent_denied', error_description: '', state: s.state }));
  }
  const now = ctx.state.now(s.clientId);
  const consentTerms = {
    scope: s.scope, singleUse: s.days === undefined, requestedDays: s.requestedDays,
    expiresAt: now + (s.days === undefined ? SINGLE_USE_SECONDS : s.days * 86400) * 1000,
  };
  const scope = s.openid ? `${s.scope} openid` : s.scope;
  const code = await ctx.state.issueCode({
    clientId: s.clientId, redirectUri: s.redirectUri, consentId: randomUUID(), consentTerms, scope, openid: s.openid,
    nin: s.nin!, expiresAt: now + AUTH_CODE_SECONDS * 1000, used: false,
    ...(s.codeChallenge !== undefined ? { codeChallenge: s.codeChallenge } : {}),
    ...(s.nonce !== undefined ? { nonce: s.nonce } : {}),
  });
  res.redirect(303, callback(s.redirectUri, { code, scope, state: s.state }));
}
