/**
 * POST /oauth2/token (reference/consent/token-endpoint.md): client_secret_basic, one handler per
 * grant, and one place (OAuthError) that maps every refusal to an RFC 6749 section 5.2 body.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ServiceName } from '../../contract/catalogue.ts';
import type { SimContext } from '../context.ts';
import { answerJson } from '../http.ts';
import { matchesHash } from '../secrets.ts';
import type { StoredClient } from '../store/types.ts';

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

export class OAuthError extends Error {
  constructor(readonly error: OAuthErrorCode, readonly description: string) {
    super(description);
  }
  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

export function sendOAuthError(ctx: SimContext, res: Response, e: OAuthError): void {
  const body = { error: e.error, error_description: e.description };
  if (e.status === 401 && !ctx.deviations.skips('token-www-authenticate')) res.set('WWW-Authenticate', 'Basic realm="nogi", charset="UTF-8"');
  // Cache-Control: no-store is set for every token answer in access/app.ts.
  answerJson(res, e.status, body);
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
/** Constant time, also in the length: both sides are hashed to 32 bytes first. */
const safeEqual = (a: string, b: string): boolean => timingSafeEqual(sha256(a), sha256(b));

/** RFC 6749 section 2.3.1: id and secret are form-urlencoded inside the Basic credentials. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** The client whose id and secret these are; the one place a secret is compared. */
async function clientWithSecret(ctx: SimContext, id: string, secret: string): Promise<StoredClient | undefined> {
  const client = await ctx.state.client(id);
  return client && matchesHash(secret, client.client_secret_sha256) ? client : undefined;
}

/**
 * The client that proved who it is on a token request, however it sent its secret: Basic (the one
 * way the endpoint accepts), or client_id and client_secret in the body (a mistake the grading
 * reports, but made by the client itself). A request that only names a client proves nothing.
 */
export async function clientWhoAuthenticated(ctx: SimContext, authorization: string | undefined, body: Record<string, unknown>): Promise<string | undefined> {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  const decoded = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon >= 0) {
    const client = await clientWithSecret(ctx, formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1)));
    if (client) return client.client_id;
  }
  if (typeof body.client_id === 'string' && typeof body.client_secret === 'string') return (await clientWithSecret(ctx, body.client_id, body.client_secret))?.client_id;
  return undefined;
}

async function authenticate(ctx: SimContext, req: Request, body: Record<string, string>): Promise<StoredClient> {
  const header = req.get('authorization') ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) throw new OAuthError('invalid_client', 'Client authentication failed: use HTTP Basic (client_secret_basic) with your client id and secret');
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'Client authentication failed: malformed Basic credentials');
  const client = await clientWithSecret(ctx, formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1)));
  if (!client) throw new OAuthError('invalid_client', 'Client authentication failed: unknown client or wrong secret');
  if (body.client_id !== undefined && body.client_id.toLowerCase() !== client.client_id.toLowerCase()) {
    throw new OAuthError('invalid_request', 'client_id in the body does not match the authenticated client');
  }
  return client;
}

function single(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new OAuthError('invalid_request', `${name} must be given once`);
  return v;
}

async function clientCredentials(ctx: SimContext, client: StoredClient, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const audience = single(body, 'audience');
  if (!audience) throw new OAuthError('invalid_request', 'audience is required (reference/index.md: one audience per service)');
  const service = ctx.audiences.get(audience);
  if (!service) throw new OAuthError('invalid_request', `Requested audience "${audience}" has not been whitelisted for this client`);
  const scopeParam = single(body, 'scope');
  const scopes = [...new Set((scopeParam ?? '').split(' ').filter(Boolean))];
  const serviceScopes = ctx.catalogue.service(service).scopes;
  if (scopes.length === 0) throw new OAuthError('invalid_scope', `scope is required; for this audience use ${serviceScopes.join(' or ')}`);
  for (const s of scopes) {
    if (!serviceScopes.includes(s)) throw new OAuthError('invalid_scope', `Scope "${s}" does not belong to audience ${audience} (expected ${serviceScopes.join(' or ')})`);
    if (!client.allowed_scopes.includes(s)) throw new OAuthError('invalid_scope', `The client is not allowed to request scope "${s}"`);
  }
  // RFC 6749 §3.3: the requested scopes, never more (a deviation grants all the client may have).
  const granted = ctx.deviations.skips('token-scope-as-requested') ? serviceScopes.filter((s) => client.allowed_scopes.includes(s)) : scopes;
  const lifetime = ctx.state.tokenSeconds(client.client_id);
  const t = await ctx.state.issueToken({
    clientId: client.client_id, grant: 'client_credentials', service, audience, scopes: granted,
    expiresAt: ctx.state.now(client.client_id) + lifetime * 1000,
  });
  return { access_token: t.token, expires_in: lifetime, scope: granted.join(' '), token_type: 'bearer' };
}

/** The service an authorization-code token is for: that of the operation the contract secures with this grant. */
function codeGrantService(ctx: SimContext): ServiceName {
  const service = ctx.catalogue.operations.find((o) => o.grant === 'authorization_code')?.service;
  if (!service) throw new Error('The contract has no operation secured by the authorization code flow');
  return service;
}

async function authorizationCode(ctx: SimContext, client: StoredClient, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const codeValue = single(body, 'code');
  const redirectUri = single(body, 'redirect_uri');
  if (!codeValue) throw new OAuthError('invalid_request', 'code is required');
  if (!redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required');
  const code = await ctx.state.code(codeValue);
  const now = ctx.state.now(client.client_id);
  if (!code || code.clientId !== client.client_id) throw new OAuthError('invalid_grant', 'The authorization code is invalid or was issued to another client');
  if (code.used) {
    // RFC 6749 section 4.1.2: a reused code revokes the tokens issued from it.
    await ctx.state.deleteTokensOfConsent(code.consentId, 'authorization_code');
    throw new OAuthError('invalid_grant', 'The authorization code has already been used');
  }
  if (code.expiresAt <= now) throw new OAuthError('invalid_grant', 'The authorization code has expired');
  if (code.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the one of the authorization request');
  // PKCE (RFC 7636 4.6): a code issued for a challenge needs the verifier whose S256 hash it is.
  const verifier = single(body, 'code_verifier');
  if (code.codeChallenge !== undefined) {
    if (!verifier) throw new OAuthError('invalid_grant', 'code_verifier is required: the authorization request sent a code_challenge');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !safeEqual(sha256(verifier).toString('base64url'), code.codeChallenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge of the authorization request');
    }
  } else if (verifier !== undefined) {
    throw new OAuthError('invalid_grant', 'code_verifier sent, but the authorization request had no code_challenge');
  }
  // Exactly one of two racing exchanges wins the code.
  if (!(await ctx.state.useCode(code))) throw new OAuthError('invalid_grant', 'The authorization code has already been used');
  await ctx.state.createConsent({ ...code.consentTerms, id: code.consentId, clientId: client.client_id, nin: code.nin, source: 'regular' });
  const debtScope = code.scope.split(' ')[0]!;
  const service = codeGrantService(ctx);
  const lifetime = ctx.state.tokenSeconds(client.client_id);
  const t = await ctx.state.issueToken({
    clientId: client.client_id, grant: 'authorization_code', service, audience: ctx.catalogue.audience(service, ctx.apiPublicUrl),
    scopes: [debtScope], expiresAt: now + lifetime * 1000, consentId: code.consentId,
  });
  const response: Record<string, unknown> = { access_token: t.token, expires_in: lifetime, scope: code.scope, token_type: 'bearer' };
  if (code.openid) {
    const iat = Math.floor(now / 1000);
    const sub = createHmac('sha256', ctx.pairwiseSalt).update(`${client.client_id}|${code.nin}`).digest('base64url');
    response.id_token = await ctx.keys.sign(
      { iss: ctx.issuer, aud: client.client_id, sub, iat, exp: iat + 3600, auth_time: iat, pid: code.nin, consent_id: code.consentId, ...(code.nonce !== undefined ? { nonce: code.nonce } : {}) },
      { badSignature: ctx.deviations.skips('id-token-signature') },
    );
  }
  return response;
}

export async function tokenEndpoint(ctx: SimContext, req: Request, res: Response): Promise<void> {
  try {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    if (!req.is('application/x-www-form-urlencoded')) throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded');
    // RFC 6749 3.2: "Request and response parameters MUST NOT be included more than once."
    const twice = Object.keys(body).find((k) => Array.isArray(body[k]));
    if (twice) throw new OAuthError('invalid_request', `${twice} must be given once`);
    const client = await authenticate(ctx, req, body as Record<string, string>);
    res.locals.clientId = client.client_id;
    const grant = single(body, 'grant_type');
    let response: Record<string, unknown>;
    if (!grant) throw new OAuthError('invalid_request', 'grant_type is required');
    else if (grant === 'client_credentials') response = await clientCredentials(ctx, client, body);
    else if (grant === 'authorization_code') response = await authorizationCode(ctx, client, body);
    else throw new OAuthError('unsupported_grant_type', `grant_type "${grant}" is not supported (authorization_code, client_credentials)`);
    res.set('Pragma', 'no-cache');
    answerJson(res, 200, response);
  } catch (e) {
    if (e instanceof OAuthError) sendOAuthError(ctx, res, e);
    else throw e;
  }
}
