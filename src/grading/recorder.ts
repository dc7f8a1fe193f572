/**
 * What each client does in the sandbox, as the judge (judge.ts) needs it: one masked record per
 * exchange on the access and API hosts. The recorder listens to the simulator's exchange hook
 * (src/simulator/http.ts): each answered request arrives once, with the body the client sent
 * (before leniency rewrote it) and the value the host answered with (never re-read from the wire).
 * Tokens are never kept: a token is named by a short SHA-256 reference. Everything else goes
 * through src/reporting/redact.ts.
 */
import { createHash } from 'node:crypto';
import type { SimContext } from '../simulator/context.ts';
import type { Exchange } from '../simulator/http.ts';
import type { AccessToken } from '../simulator/state.ts';
import { LENIENCY_HEADER } from '../simulator/api/leniency.ts';
import { redactValue } from '../reporting/redact.ts';
import { clientWhoAuthenticated } from '../simulator/access/token.ts';

/** What the token an API call carried stood for, when the sandbox issued it. */
export interface TokenFacts {
  ref: string;
  grant: string;
  audience: string;
  scopes: string[];
  expiresAt: number;
  consentId?: string;
  singleUse?: boolean;
  /** Whose token it is (not recorded: the exchange names its client). */
  clientId?: string;
}

export interface RecordedExchange {
  seq: number;
  /** Wall-clock ms (retry timing) and sandbox-clock ms (token and consent expiry). */
  at: number;
  simAt: number;
  /** Wall-clock ms when the answer was sent: a retry's wait is counted from here. */
  doneAt?: number;
  host: 'access' | 'api' | 'sandbox';
  method: string;
  path: string;
  query: Record<string, string>;
  operationId?: string;
  clientId?: string;
  request: {
    contentType?: string;
    /** The Accept header as sent (which error formats the client says it reads). */
    accept?: string;
    auth: 'basic' | 'bearer' | 'none' | 'other';
    /** Client id sent in the form body (client_secret_post) or the query. */
    bodyClientId?: string;
    secretInBody?: boolean;
    body?: unknown;
    token?: TokenFacts;
    /** The contract's request validation, run on the body as sent (before masking). */
    findings?: Array<{ severity: 'error' | 'warning'; pointer: string; expected: string; actual: string }>;
  };
  response: {
    status: number;
    contentType?: string;
    leniency?: string;
    body?: unknown;
    /** Token endpoint: the token issued (by reference) and its lifetime. */
    issued?: { ref: string; expiresIn: number };
  };
  /** A sandbox event (a scenario played), not the client's request. */
  note?: string;
}

/** The recording is bounded: this many exchanges per client, strings clipped to MAX_STRING, bodies to MAX_DEPTH levels. */
const MAX_PER_CLIENT = 5000;
const MAX_STRING = 512;
const MAX_DEPTH = 32;

/**
 * A copy with long strings (a 12 kB `state`, say) clipped and levels past MAX_DEPTH replaced by a
 * note, so a client's recording stays small whatever it sends, and a body nested 5,000 deep
 * neither overflows the stack here nor later, where the recording is judged and served as JSON.
 */
function clip(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return v.length > MAX_STRING ? `${v.slice(0, 64)}… (${v.length} characters)` : v;
  if (!v || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return `(nested deeper than ${MAX_DEPTH} levels: not recorded)`;
  if (Array.isArray(v)) return v.map((x) => clip(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clip(x, depth + 1)]));
}

export class Recorder {
  private seq = 0;
  private readonly byClient = new Map<string, RecordedExchange[]>();
  /** Requests that named a client without proving to be it: counted, never graded, never in its recording. */
  private readonly unauthenticatedByClient = new Map<string, number>();

  countUnauthenticated(clientId: string): void {
    this.unauthenticatedByClient.set(clientId, (this.unauthenticatedByClient.get(clientId) ?? 0) + 1);
  }

  unauthenticated(clientId: string): number {
    return this.unauthenticatedByClient.get(clientId) ?? 0;
  }

  add(e: Omit<RecordedExchange, 'seq'>): void {
    if (!e.clientId) return;
    const list = this.byClient.get(e.clientId) ?? [];
    list.push(redactValue(clip({ ...e, seq: ++this.seq }) as RecordedExchange));
    if (list.length > MAX_PER_CLIENT) list.shift();
    this.byClient.set(e.clientId, list);
  }

  exchanges(clientId: string): RecordedExchange[] {
    return [...(this.byClient.get(clientId) ?? [])];
  }

  clients(): Array<{ clientId: string; exchanges: number }> {
    return [...this.byClient].map(([clientId, list]) => ({ clientId, exchanges: list.length }));
  }

  forget(clientId?: string): void {
    if (clientId === undefined) {
      this.byClient.clear();
      this.unauthenticatedByClient.clear();
    } else {
      this.byClient.delete(clientId);
      this.unauthenticatedByClient.delete(clientId);
    }
  }
}

const recorders = new WeakMap<SimContext, Recorder>();
/** The one recorder of a running sandbox (keyed by its context, so two simulators never mix). */
export function recorderOf(ctx: SimContext): Recorder {
  let r = recorders.get(ctx);
  if (!r) recorders.set(ctx, (r = new Recorder()));
  return r;
}

export const tokenRef = (token: string): string => `tok-${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;

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
