/**
 * The simulator's one HTTP stack, for its three hosts (access, API, admin): Express, with
 *   - the request log and metrics (log.ts);
 *   - one body limit (BODY_LIMIT) and one JSON depth bound (MAX_JSON_DEPTH, in any charset) for every parser;
 *   - one exchange hook: each answered request is emitted once, as an Exchange (the request,
 *     and the response's status, headers and body as the host sent it), to whoever subscribed
 *     (grading's recorder, the contract check of test mode);
 *   - one end of the chain (finishHost): the host's 404, and its error answer, never a stack trace;
 *   - one server per host (hostServer), whose requests and responses have the app's prototypes from the start.
 */
import { createServer, IncomingMessage, ServerResponse, type OutgoingHttpHeaders, type Server } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { AccessToken } from './store/types.ts';
import { requestLogger, type LogFn, type ObserveFn } from './log.ts';

export type HostName = 'access' | 'api' | 'admin';

/** Every body parser of the simulator reads at most this much. */
export const BODY_LIMIT = '64kb';

/**
 * Jackson (the provider's Spring) refuses a JSON document nested deeper than this: its
 * StreamReadConstraints' default maxNestingDepth since 2.15. Refused before parsing (UTF-8), or
 * right after it, before any handler (other UTFs): nothing after the parser walks an unbounded depth.
 */
const MAX_JSON_DEPTH = 1000;
const tooDeep = () => Object.assign(new Error(`nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, type: 'entity.too.deep' });

/**
 * Requests whose JSON is in another UTF than UTF-8 (the parser takes any `charset=utf-*`): the
 * byte scan below reads UTF-8 only (in UTF-16 an escaped quote, `\"`, ends a string for it, and
 * the brackets after it were never counted), so their depth is checked on the value parsed.
 */
const notScanned = new WeakSet<object>();

/** Throws when the JSON text nests deeper than MAX_JSON_DEPTH: one pass over the bytes, brackets outside strings. */
function checkJsonDepth(req: object, _res: unknown, buf: Buffer, encoding: string | null): void {
  if (encoding !== null && encoding !== 'utf-8') {
    notScanned.add(req);
    return;
  }
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw tooDeep();
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** Whether a parsed value nests deeper than MAX_JSON_DEPTH: without recursion (JSON.parse itself does not recurse). */
function nestsTooDeep(value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth + 1 > MAX_JSON_DEPTH) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The JSON body parser (application/json and +json), BODY_LIMIT and MAX_JSON_DEPTH in any charset. */
export const jsonBody = (): RequestHandler => {
  const parse = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: checkJsonDepth });
  return (req, res, next) => parse(req, res, (err?: unknown) => {
    if (err) return next(err);
    if (notScanned.has(req) && nestsTooDeep(req.body)) {
      req.body = undefined;
      return next(tooDeep());
    }
    next();
  });
};
/** The form body parser (application/x-www-form-urlencoded), BODY_LIMIT. */
export const formBody = (): RequestHandler => express.urlencoded({ extended: false, limit: BODY_LIMIT });

/** What the exchange hook emits: one request and its answer, as sent. */
export interface Exchange {
  host: HostName;
  method: string;
  path: string;
  query: Request['query'];
  headers: Request['headers'];
  /** The request body as parsed, before any handler or leniency changed it (a JSON body on the access host too). */
  body: unknown;
  /** Wall-clock and simulator-clock ms when the request came in; wall-clock ms when the answer was sent. */
  receivedAt: number;
  simAt: number;
  doneAt: number;
  /** The client the host identified (a token's, an authenticated client's), if any. */
  clientId?: string;
  /** API host: the stored token the request carried, as it was before the handler ran (expired or not). */
  token?: AccessToken;
  /** The contract operation whose answer this is, when the host checks answers against a contract. */
  check?: { contract: 'api' | 'oauth'; operationId: string };
  response: {
    status: number;
    headers: OutgoingHttpHeaders;
    /** The value the host answered with: a JSON value (not its text), a string, or undefined (no body, or a page). */
    body: unknown;
  };
}

export type ExchangeListener = (e: Exchange) => void;

/** The exchange hook of one running simulator. */
export class ExchangeHook {
  private readonly listeners: ExchangeListener[] = [];

  on(listener: ExchangeListener): void {
    this.listeners.push(listener);
  }

  get active(): boolean {
    return this.listeners.length > 0;
  }

  emit(e: Exchange, log: LogFn): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        log(`[${e.host}] an exchange listener failed: ${(err as Error).message}`);
      }
    }
  }
}

/** What a host's handlers leave in res.locals for the stack (the log, the exchange). */
export interface HostLocals {
  clientId?: string;
  logNote?: string;
  /** The request body before anything changed it (set by the host after its parser). */
  receivedBody?: unknown;
  /** The value answered (set by the host's answer function). */
  body?: unknown;
  token?: AccessToken;
  check?: Exchange['check'];
}

export interface HostDeps {
  log: LogFn;
  observe: ObserveFn;
  exchanges: ExchangeHook;
  /** The simulator clock's ms (Exchange.simAt). */
  simNow: () => number;
}

/** An Express app with the stack's head: settings, request log, and the exchange hook. */
export function createHost(host: HostName, deps: HostDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogger(host, deps.log, deps.observe));
  app.use((req: Request, res: Response, next: NextFunction) => {
    // Only a subscribed hook costs anything (test mode): the benchmark's sandbox has none.
    if (!deps.exchanges.active) return next();
    const receivedAt = Date.now();
    const simAt = deps.simNow();
    res.on('finish', () => {
      const locals = res.locals as HostLocals;
      deps.exchanges.emit({
        host, method: req.method, path: req.path, query: req.query, headers: req.headers,
        body: 'receivedBody' in locals ? locals.receivedBody : req.body,
        receivedAt, simAt, doneAt: Date.now(), clientId: locals.clientId, token: locals.token, check: locals.check,
        response: { status: res.statusCode, headers: res.getHeaders(), body: locals.body },
      }, deps.log);
    });
    next();
  });
  return app;
}

/**
 * The node:http server of a host. Express gives every request and response its app's prototypes
 * (Object.setPrototypeOf in app.handle), and V8 then treats each as an object of a shape of its
 * own wherever Node and Express touch it: measured, most of a status lookup's CPU. Node builds them
 * here (createServer's IncomingMessage and ServerResponse options) from classes whose prototypes
 * are the app's request and response, so Express's swap finds them in place and changes nothing.
 */
export function hostServer(app: express.Express): Server {
  class HostRequest extends IncomingMessage {}
  class HostResponse extends ServerResponse {}
  Object.setPrototypeOf(HostRequest.prototype, app.request);
  Object.setPrototypeOf(HostResponse.prototype, app.response);
  app.request = HostRequest.prototype as express.Request;
  app.response = HostResponse.prototype as unknown as express.Response;
  return createServer({ IncomingMessage: HostRequest, ServerResponse: HostResponse }, app);
}

/** Sends a JSON answer and hands its value to the exchange hook. */
export function answerJson(res: Response, status: number, body: unknown): void {
  (res.locals as HostLocals).body = body;
  res.status(status).json(body);
}

export type ClientError = Error & { status?: number; type?: string };
/** A client error's reason as logged: its first line, at most 200 characters (it may quote what the client sent). */
const clipReason = (message: string): string => {
  const line = message.split('\n')[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};
export const isClientError = (err: ClientError): boolean => typeof err.status === 'number' && err.status >= 400 && err.status < 500;

/**
 * The end of a host's chain: its 404, and its answer to an error (a body that cannot be read, or
 * a failure): logged when it is not the client's, never a stack trace to the client.
 */
export function finishHost(app: express.Express, host: HostName, log: LogFn, ends: {
  notFound: (req: Request, res: Response) => void;
  error: (err: ClientError, req: Request, res: Response) => void;
}): void {
  app.use(ends.notFound);
  app.use((err: ClientError, req: Request, res: Response, _next: NextFunction) => {
    // A client's error is the client's: one line with its status and reason (clipped), no stack.
    if (isClientError(err)) log(`[${host}] client error ${err.status} on ${req.method} ${req.path}: ${clipReason(err.message)}`);
    else log(`[${host}] internal error on ${req.method} ${req.path}: ${err.stack ?? err.message}`);
    if (res.headersSent) return;
    ends.error(err, req, res);
  });
}
