/**
 * Regular consent, as get-started/index.md "Quick start: Regular consent flow" and
 * reference/consent/*.md describe it: the person is sent to /oauth2/auth, logs in (TestID) and
 * accepts, and comes back to the callback with a code; the code is exchanged for a token that
 * fetches their debt. Two walks of it:
 *
 * - `singleUseConsent`: the default scope, a consent that gives debt once, a code that works once;
 * - `extendedConsent`: `.30 openid`, the ID token verified against the JWKS, the consent looked up
 *   by its id with client-credentials tokens, revoked, and seen in the feed.
 *
 * Described once, here: the conformance spec asserts them for the gate and onboarding (by tag)
 * and the self tests run them against deviating providers (fixtures/lifecycle.ts, the person's
 * part in a browser); the simulator's tests run them over HTTP (tests/simulator/lifecycle-data.spec.ts).
 * Each step that proves an onboarding checklist item says so.
 */
import { createLocalJWKSet, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import type { ApiResult, Exchange } from '../client/nogi-client.ts';
import { formatFinding, getContracts } from '../contract/index.ts';
import type { ConsentStatus, DebtInformation, FeedEvent, IdTokenClaims, LastSequenceNr, TokenResponse } from '../contract/schemas.ts';
import { ChecklistFailure, observedFrom } from '../reporting/checklist.ts';
import { consentEvents, eventTypes } from './feed.ts';
import { between, contains, defineStep, differs, equals, need, type AuthorizedCallback, type Lifecycle, type LifecycleStep, type LoginContext } from './lifecycle.ts';

export const presentation = 'debt.unsecured.presentation';

interface RegularConsentState {
  /** The person who logs in (the context's `nin`): the one the debt and the ID token must name. */
  nin: string;
  callback?: AuthorizedCallback;
  issued?: TokenResponse;
  /** The ID token's consent_id: the later steps look the consent up by it. */
  consentId?: string;
  debtToken?: string;
  /** The feed's last sequence number before the revoke: the archived event must come after it. */
  feedStart?: number;
}

type S = RegularConsentState;

/** A step of a regular lifecycle, its answer typed (`R`). */
const regularStep = <R>(step: LifecycleStep<S, R, LoginContext>) => defineStep(step);

const daysFromNow = (epochSeconds: number | undefined): number => ((epochSeconds ?? NaN) * 1000 - Date.now()) / 86_400_000;

const errorOf = (r: { body?: unknown }): unknown => (r.body as { error?: unknown } | undefined)?.error;

/** The code of the callback; a callback without one (an error) fails the step that needs it, saying what came instead. */
function codeOf(callback: AuthorizedCallback): string {
  const { code, error } = callback.params;
  if (!code) throw new Error(`the callback has no code${error ? ` (error=${error})` : ''}`);
  return code;
}

const accessTokenOf = (s: S): string => need(s.issued, 'access token (the code exchange)').access_token;
const consentIdOf = (s: S): string => need(s.consentId, 'consent_id (the verified ID token)');

/** The auth request's query, as the browser would send it (auth-endpoint.md). */
async function authorizeQuery(ctx: LoginContext, scope: string): Promise<Record<string, string>> {
  const url = await ctx.nogi.authorizationUrl({ clientId: ctx.client.clientId, scope, state: randomUUID(), redirectUri: ctx.client.redirectUri });
  return Object.fromEntries(new URL(url).searchParams);
}

/**
 * Why the auth endpoint did not send the browser on with the registered callback URI, with what
 * was seen (the onboarding checklist explains a failure from it); undefined when it did.
 */
function callbackRefusal(opened: Exchange, redirectUri: string): ChecklistFailure | undefined {
  const location = opened.headers.location;
  const seen = observedFrom(opened);
  if (opened.status < 300 || opened.status >= 400 || !location) {
    return new ChecklistFailure(`an error page (${opened.status}) instead of a redirect`, { ...seen, errorPage: true });
  }
  const next = new URL(location, opened.url);
  const error = next.searchParams.get('error');
  if (!error) return undefined;
  const failure = { ...seen, error, description: next.searchParams.get('error_description') ?? undefined };
  // Back at the callback with an error: the URI is registered, the request is not right.
  if (location.startsWith(redirectUri)) return new ChecklistFailure(`the provider redirected back with error=${error}`, failure);
  // To the provider's own error page (OAuth servers such as ORY Hydra redirect there).
  return new ChecklistFailure(`the provider sent the browser to its error page (error=${error}) instead of the callback`, { ...failure, errorPage: true });
}

interface VerifiedIdToken {
  claims: JWTPayload & Partial<IdTokenClaims>;
  header: JWTHeaderParameters;
  /** The key ids of the JWKS it was verified against. */
  kids: (string | undefined)[];
  /** The claims' errors against the OAuth contract's IdTokenClaims. */
  schemaErrors: string[];
}

/** The ID token verified: its signature against the JWKS the discovery names, iss, aud, exp; then its claims' schema. */
async function verifyIdToken(ctx: LoginContext, idToken: string | undefined): Promise<VerifiedIdToken> {
  if (!idToken) throw new Error('openid requested last gives an ID token (scopes.md): the token response has none');
  const discovery = await ctx.nogi.discovery();
  if (discovery.status !== 200) throw new Error(`the OpenID configuration answered ${discovery.status}: expected 200`);
  const jwks = await ctx.nogi.jwks(discovery.data.jwks_uri);
  if (jwks.status !== 200) throw new Error(`the JWKS answered ${jwks.status}: expected 200`);
  // Verified explicitly: OIDC libraries may skip the signature of an ID token from the token endpoint.
  const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(jwks.data as never), {
    issuer: discovery.data.issuer,
    audience: ctx.client.clientId,
    algorithms: ['RS256'],
  });
  const { oauth } = await getContracts();
  const findings = oauth.schemaFindings(oauth.schemaValidator('IdTokenClaims'), payload, 'response_schema_conformance', 'IdTokenClaims');
  return { claims: payload, header: protectedHeader, kids: jwks.data.keys.map((k) => k.kid), schemaErrors: findings.filter((f) => f.severity === 'error').map(formatFinding) };
}

export const singleUseConsent: Lifecycle<S, LoginContext> = {
  name: 'regular consent, single use',
  source: 'get-started/index.md "Quick start: Regular consent flow"; reference/consent/scopes.md',
  start: (ctx) => ({ nin: ctx.nin }),
  steps: [
    regularStep<AuthorizedCallback>({
      title: 'Authorize: log in with TestID and accept',
      call: (ctx) => ctx.logInAndAccept(presentation),
      keep: (callback, s) => void (s.callback = callback),
    }),
    regularStep<AuthorizedCallback>({
      title: 'The callback carries code, scope and state',
      call: async (_, s) => need(s.callback, 'callback'),
      checks: [
        equals('no error: the person accepted', (c) => c.params.error, () => undefined),
        equals('a code', (c) => Boolean(c.params.code), () => true),
        equals('scope is the one asked for', (c) => c.params.scope, () => presentation),
        equals('state is mirrored back in the callback (auth-endpoint.md)', (c) => c.params.state, (c) => c.state),
      ],
    }),
    regularStep<ApiResult<TokenResponse>>({
      title: 'Exchange the code for an access token',
      call: (ctx, s) => ctx.nogi.exchangeCode(ctx.client, codeOf(need(s.callback, 'callback')), ctx.client.redirectUri),
      status: { is: 200 },
      checks: [contains('the granted scope includes the debt scope asked for', (r) => r.data.scope.split(' '), () => presentation)],
      keep: (r, s) => void (s.issued = r.data),
    }),
    regularStep<ApiResult<DebtInformation>>({
      title: 'Fetch debt: GET /v1/debt',
      call: (ctx, s) => ctx.nogi.getDebt(accessTokenOf(s)),
      status: { is: 200 },
      checks: [
        equals('the debt is the person\'s who logged in', (r) => r.data.ssn, (_, s) => s.nin),
        equals('consent.scope is the scope asked for', (r) => r.data.consent?.scope, () => presentation),
        between('a default consent lasts 10 minutes (scopes.md)', (r) => daysFromNow(r.data.consent?.exp) * 24 * 60, 0, 10.5),
      ],
    }),
    regularStep<ApiResult<unknown>>({
      title: 'A single-use consent is refused the second time',
      call: (ctx, s) => ctx.nogi.getDebt(accessTokenOf(s)),
      status: { is: 403, because: 'a default consent allows collecting the debt info one time (scopes.md)' },
    }),
    regularStep<ApiResult<unknown>>({
      title: 'The same authorization code is refused the second time',
      call: (ctx, s) => ctx.nogi.exchangeCode(ctx.client, codeOf(need(s.callback, 'callback')), ctx.client.redirectUri),
      status: { is: 400 },
      checks: [equals('the error is "invalid_grant"', errorOf, () => 'invalid_grant')],
    }),
  ],
};

/** Thirty days, and an ID token: openid last (scopes.md). */
const extendedScope = `${presentation}.30 openid`;

export const extendedConsent: Lifecycle<S, LoginContext> = {
  name: 'regular consent, 30 days with openid',
  source: 'get-started/index.md "Quick start: Regular consent flow"; reference/consent/scopes.md, auth-endpoint.md',
  start: (ctx) => ({ nin: ctx.nin }),
  steps: [
    regularStep<ApiResult<unknown>>({
      title: 'Open the auth endpoint',
      checklist: 'auth-page',
      call: async (ctx) => ctx.nogi.call('authorize', { query: await authorizeQuery(ctx, extendedScope) }),
      checks: [
        between('the login page, or a redirect to it (auth-endpoint.md)', (r) => r.status, 0, 500),
        differs('an auth endpoint at this URL', (r) => r.status, () => 404),
      ],
    }),
    regularStep<ApiResult<unknown>>({
      title: 'The provider accepts the registered callback URI',
      checklist: 'callback',
      // A refusal is thrown with what was seen: the checklist's hint reads it (src/reporting/checklist.ts).
      call: async (ctx) => {
        const opened = await ctx.nogi.call('authorize', { query: await authorizeQuery(ctx, extendedScope) });
        const refusal = callbackRefusal(opened, ctx.client.redirectUri);
        if (refusal) throw refusal;
        return opened;
      },
    }),
    regularStep<{ callback: AuthorizedCallback; exchanged: ApiResult<TokenResponse> }>({
      title: 'Log in with TestID, accept, exchange the code: access token and ID token',
      checklist: 'code-exchange',
      call: async (ctx) => {
        const callback = await ctx.logInAndAccept(extendedScope);
        return { callback, exchanged: await ctx.nogi.exchangeCode(ctx.client, codeOf(callback), ctx.client.redirectUri) };
      },
      checks: [
        contains('the scope in the redirect has no duration (scopes.md)', () => [presentation, `${presentation} openid`], (r) => r.callback.params.scope),
        equals('the code is exchanged for tokens: status', (r) => r.exchanged.status, () => 200),
      ],
      keep: (r, s) => void (s.issued = r.exchanged.data),
    }),
    regularStep<VerifiedIdToken>({
      title: 'Verify the ID token: signature against the JWKS, iss, aud, exp, pid',
      checklist: 'id-token',
      call: (ctx, s) => verifyIdToken(ctx, need(s.issued, 'tokens (the code exchange)').id_token),
      checks: [
        equals('the ID token is signed with RS256', (v) => v.header.alg, () => 'RS256'),
        contains('the ID token names a key of the JWKS', (v) => v.kids, (v) => v.header.kid),
        { name: 'iat is not in the future', test: (v) => ((v.claims.iat ?? 0) <= Math.ceil(Date.now() / 1000) + 60 ? undefined : `iat ${v.claims.iat} is ahead of this clock`) },
        equals('the claims are IdTokenClaims (the OAuth contract)', (v) => v.schemaErrors, () => []),
        equals('pid is the NIN of the person who logged in', (v) => v.claims.pid, (_, s) => s.nin),
      ],
      keep: (v, s) => void (s.consentId = v.claims.consent_id),
    }),
    regularStep<ApiResult<DebtInformation>>({
      title: 'Fetch debt with the access token: the consent is the ID token\'s',
      call: (ctx, s) => ctx.nogi.getDebt(accessTokenOf(s)),
      status: { is: 200 },
      checks: [
        equals('consent.id is the ID token\'s consent_id', (r) => r.data.consent?.id, (_, s) => consentIdOf(s)),
        between('a .30 consent lasts 30 days', (r) => daysFromNow(r.data.consent?.exp), 29.9, 30.1),
      ],
    }),
    regularStep<string>({
      title: 'Get a client-credentials token for the debt API',
      call: (ctx) => ctx.tokens.for('debt', presentation),
      keep: (token, s) => void (s.debtToken = token),
    }),
    regularStep<ApiResult<DebtInformation>[]>({
      title: 'Look up debt by consent id, more than once',
      call: async (ctx, s) => {
        const answers: ApiResult<DebtInformation>[] = [];
        for (let i = 0; i < 2; i++) answers.push(await ctx.nogi.getDebtByConsentId(need(s.debtToken, 'debt token'), consentIdOf(s)));
        return answers;
      },
      checks: [
        equals('an extended consent can be used any number of times (scopes.md): statuses', (r) => r.map((a) => a.status), () => [200, 200]),
        equals('the debt is the consenting person\'s', (r) => r.map((a) => a.data.ssn), (_, s) => [s.nin, s.nin]),
      ],
    }),
    regularStep<ApiResult<ConsentStatus>>({
      title: 'Check the state of the consent: active',
      call: (ctx, s) => ctx.nogi.getConsentStatus(need(s.debtToken, 'debt token'), consentIdOf(s)),
      status: { is: 200 },
      checks: [equals('status of a consent just given: active', (r) => r.data.active, () => true)],
    }),
    regularStep<ApiResult<LastSequenceNr>>({
      title: 'Read where the consents feed ends, before the revoke',
      call: async (ctx) => ctx.nogi.lastSequenceNr(await ctx.tokens.for('feed')),
      status: { is: 200 },
      keep: (r, s) => void (s.feedStart = r.data.lastSequenceNr),
    }),
    regularStep<ApiResult<undefined>>({
      title: 'Revoke the consent',
      call: (ctx, s) => ctx.nogi.revokeConsent(need(s.debtToken, 'debt token'), consentIdOf(s)),
      status: { is: 204, because: '204 No Content means the consent was revoked' },
    }),
    regularStep<{ status: ApiResult<ConsentStatus>; debt: ApiResult<unknown> }>({
      title: 'The revoked consent is inactive and refused',
      call: async (ctx, s) => {
        const [token, id] = [need(s.debtToken, 'debt token'), consentIdOf(s)];
        return { status: await ctx.nogi.getConsentStatus(token, id), debt: await ctx.nogi.getDebtByConsentId(token, id) };
      },
      checks: [
        equals('a revoked consent must not be active', (r) => r.status.data.active, () => false),
        equals('debt with a revoked consent: status', (r) => r.debt.status, () => 403),
        equals('the error is "invalid consent"', (r) => errorOf(r.debt), () => 'invalid consent'),
      ],
    }),
    regularStep<FeedEvent[]>({
      title: 'The consents feed shows the consent archived',
      call: async (ctx, s) => consentEvents(ctx.nogi, await ctx.tokens.for('feed'), consentIdOf(s)),
      poll: {
        until: equals('SAMTYKKE_OPPRETTET and SAMTYKKE_ARKIVERT for this consent', eventTypes, () => ['SAMTYKKE_ARKIVERT', 'SAMTYKKE_OPPRETTET']),
        withinMs: (ctx) => ctx.feedLagMs,
      },
      checks: [
        {
          name: 'the archived event comes after the lastSequenceNr read before the revoke',
          test: (events, s) => {
            const archived = events.find((e) => e.eventType === 'SAMTYKKE_ARKIVERT')?.sequenceNr;
            const start = need(s.feedStart, 'lastSequenceNr before the revoke');
            return archived !== undefined && archived > start ? undefined : `expected a sequenceNr above ${start}, received ${archived}`;
          },
        },
      ],
    }),
  ],
};
