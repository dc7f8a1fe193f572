/**
 * The sandbox's recording of each client, for grading (src/grading): the recorder listens to the
 * exchange hook (http.ts): each answered request on the access and API hosts arrives once, with
 * the body the client sent (before leniency rewrote it) and the value the host answered with
 * (never re-read from the wire), and becomes one masked RecordedExchange of the client it proves
 * to be. Test mode only: only the admin surface (grading-routes.ts) reads the recording.
 */
import type { SimContext } from './context.ts';
import type { Exchange } from './http.ts';
import type { AccessToken } from './state.ts';
import { LENIENCY_HEADER } from './api/leniency.ts';
import { clientWhoAuthenticated } from './access/token.ts';
import { clip, Recorder, tokenRef, type RecordedExchange, type TokenFacts } from '../grading/recorder.ts';

const recorders = new WeakMap<SimContext, Recorder>();
/** The one recorder of a running sandbox (keyed by its context, so two simulators never mix). */
export function recorderOf(ctx: SimContext): Recorder {
  let r = recorders.get(ctx);
  if (!r) recorders.set(ctx, (r = new Recorder(ctx.limits.recording)));
  return r;
}

/**
 * What the store knew of a token: as the API host found it when the request came in (before the
 * handler changed anything), or looked up now where the host did not (a path no operation answers).
 */
async function tokenFacts(ctx: SimContext, raw: string, seen: AccessToken | undefined): Promise<TokenFacts | undefined> {
  const t = seen ?? await ctx.state.findToken(raw);
  if (!t) return undefined;
  const consent = t.consentId ? await ctx.state.consent(t.consentId) : undefined;
  return { ref: tokenRef(raw), grant: t.grant, audience: t.audience, scopes: [...t.scopes], expiresAt: t.expiresAt, consentId: t.consentId, singleUse: consent?.singleUse, clientId: t.clientId };
}

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function basicClientId(authorization: string | undefined): string | undefined {
  const m = /^Basic\s+(\S+)/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  try {
    return decodeURIComponent((colon < 0 ? decoded : decoded.slice(0, colon)).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}


const first = (v: unknown): string | undefined => (Array.isArray(v) ? first(v[0]) : v === undefined ? undefined : String(v));

/** Subscribes the sandbox's recorder to its exchange hook (test mode: only its admin surface reads the recording). */
export function recordExchanges(ctx: SimContext): void {
  if (!ctx.testMode) return;
  const recorder = recorderOf(ctx);
  ctx.exchanges.on((e) => {
    if (e.host === 'admin') return;
    void record(ctx, recorder, { ...e, host: e.host }).catch((err: unknown) => ctx.log(`[grading] an exchange could not be recorded: ${(err as Error).message}`));
  });
}

async function record(ctx: SimContext, recorder: Recorder, e: Exchange & { host: 'access' | 'api' }): Promise<void> {
  const { host } = e;
  const authorization = header(e.headers.authorization);
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const facts = bearer ? await tokenFacts(ctx, bearer, e.token).catch(() => undefined) : undefined;
  const token = facts && { ...facts, clientId: undefined };
  const body = clip(e.body);
  const form = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const operation = ctx.catalogue.match(host, e.method, e.path);
  const contentType = first(e.response.headers['content-type']);
  let responseBody: unknown = e.response.body;
  // A handler's answer given as JSON text (a deviation's) is read as the value it is.
  if (typeof responseBody === 'string') {
    try {
      responseBody = contentType?.includes('json') ? JSON.parse(responseBody) : undefined;
    } catch {
      responseBody = undefined;
    }
  }
  let issued: RecordedExchange['response']['issued'];
  const accessToken = (responseBody as { access_token?: unknown; expires_in?: unknown } | undefined)?.access_token;
  if (typeof accessToken === 'string') {
    issued = { ref: tokenRef(accessToken), expiresIn: Number((responseBody as { expires_in?: unknown }).expires_in) };
    // Never keep a token: the reference names it.
    responseBody = { ...(responseBody as object), access_token: issued.ref, id_token: undefined, refresh_token: undefined };
  }
  const query = Object.fromEntries(Object.entries(e.query).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]));
  // An exchange is a client's only when the client could have sent it: an API call with a token
  // issued to it, a token request with its secret (right or not in form). Anyone can name a
  // client (a wrong secret, its public id on a login): such requests are counted apart.
  const clientId = host === 'api' ? facts?.clientId
    : operation?.operationId === 'token' ? await clientWhoAuthenticated(ctx, authorization, form) : undefined;
  if (!clientId) {
    const named = facts?.clientId ?? e.clientId ?? basicClientId(authorization)
      ?? (typeof form.client_id === 'string' ? form.client_id : undefined) ?? query.client_id;
    // Only the clients the sandbox knows: a made-up client_id must not open a counter.
    if (named && (await ctx.state.client(named).catch(() => undefined))) recorder.countUnauthenticated(named);
    return;
  }
  const findings = host === 'api' && operation
    ? ctx.contracts.api.validateRequest(operation.operationId, { query, headers: e.headers as Record<string, string>, contentType: header(e.headers['content-type']), body })
      .map((f) => ({ severity: f.severity, pointer: f.pointer, expected: String(f.expected), actual: String(f.actual) }))
    : undefined;
  recorder.add({
    at: e.receivedAt, simAt: e.simAt, doneAt: e.doneAt, host, method: e.method, path: e.path, query, operationId: operation?.operationId, clientId,
    request: {
      contentType: header(e.headers['content-type']),
      accept: header(e.headers.accept),
      auth: !authorization ? 'none' : /^Basic\s/i.test(authorization) ? 'basic' : bearer ? 'bearer' : 'other',
      bodyClientId: typeof form.client_id === 'string' ? form.client_id : undefined,
      secretInBody: 'client_secret' in form,
      body: host === 'access' ? { ...form, client_secret: form.client_secret === undefined ? undefined : '[redacted]', code: form.code === undefined ? undefined : '[redacted]' } : body,
      token,
      findings,
    },
    response: { status: e.response.status, contentType, leniency: first(e.response.headers[LENIENCY_HEADER.toLowerCase()]), body: responseBody, issued },
  });
}
