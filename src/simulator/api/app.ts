/** The API host (createApiApp below says how it is built). */
import addFormatsModule from 'ajv-formats';
import type { Request, Response } from 'express';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { OpenAPIBackend, type Document } from 'openapi-backend';
import type { CatalogueOperation } from '../../contract/catalogue.ts';
import type { SimContext } from '../context.ts';
import { BODY_LIMIT, createHost, finishHost, jsonBody, type HostLocals } from '../http.ts';
import type { AccessToken } from '../state.ts';
import { refuse } from './auth.ts';
import { errorFamily, familyError, inFormat, unauthorized, type SimResponse } from './errors.ts';
import { createConsent } from './handlers/agreement.ts';
import { getConsentStatusWithID, getDebtWithAuthCodeToken, getDebtWithConsentID, revokeConsentByID } from './handlers/debt.ts';
import { feed, firstSequenceNr, lastSequenceNr } from './handlers/feed.ts';
import type { Call, OperationHandler } from './handlers/types.ts';
import { leniency } from './leniency.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const handlers: Record<string, OperationHandler> = {
  createConsent, feed, firstSequenceNr, lastSequenceNr,
  getDebtWithConsentID, getDebtWithAuthCodeToken, revokeConsentByID, getConsentStatusWithID,
};

/** Every operation the catalogue puts on the API host has a handler, and every handler an operation. */
function checkHandlers(ctx: SimContext): void {
  const documented = ctx.catalogue.operations.filter((o) => o.host === 'api').map((o) => o.operationId);
  const missing = documented.filter((id) => !Object.hasOwn(handlers, id));
  const unknown = Object.keys(handlers).filter((id) => !documented.includes(id));
  if (missing.length || unknown.length) {
    throw new Error(`The simulator's API handlers do not match the contract: ${[
      missing.length ? `no handler for ${missing.join(', ')}` : '',
      unknown.length ? `handlers for operations the contract does not have: ${unknown.join(', ')}` : '',
    ].filter(Boolean).join('; ')}`);
  }
}

/**
 * openapi-backend validates requests; responses are validated by src/contract (the one compiler
 * that handles the errata's OpenAPI 3.0 `nullable` beside allOf/anyOf). So openapi-backend gets
 * the effective contract without response schemas, which it would otherwise compile at start.
 */
function forRequestValidation(definition: Document): Document {
  const copy = structuredClone(definition);
  for (const item of Object.values(copy.paths ?? {})) {
    for (const op of Object.values(item ?? {})) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      for (const response of Object.values((op as { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }).responses)) {
        for (const media of Object.values(response.content ?? {})) delete media.schema;
      }
    }
  }
  return copy;
}

/**
 * error-format-migration (src/grading/scenarios.ts): the client's next Agreement API errors come
 * alternately in Spring's format and as problem details, whatever version the sandbox serves.
 */
function errorFormatScenario(ctx: SimContext, operationId: string, clientId: string | undefined, r: SimResponse, path: string): SimResponse | undefined {
  const family = ctx.catalogue.operation(operationId).errorFamily;
  const formats = clientId ? ctx.state.scenariosOf(clientId).errorFormats : undefined;
  if (!formats || formats.remaining <= 0 || r.status < 400 || (family !== 'spring' && family !== 'problem') || ctx.catalogue.operation(operationId).service !== 'agreement') return undefined;
  const format = formats.next;
  formats.remaining--;
  formats.next = format === 'spring' ? 'problem' : 'spring';
  return inFormat(ctx, format, r, path);
}

/**
 * A request against its operation's request validators, compiled by openapi-backend at init
 * (`validator.getRequestValidatorsForOperation`, public), given the request as Express parsed it:
 * the parameters object validateRequest builds (path, query, header, requestBody) without parsing
 * the request a second time (validateRequest's parseRequest: about 40 µs a status lookup, measured).
 */
function requestErrors(validators: ReadonlyArray<ValidateFunction>, req: Request): ErrorObject[] {
  const parameters: Record<string, unknown> = { path: req.params, query: req.query, header: req.headers };
  // As validateRequest: the body is validated when there is one, or when the request says JSON.
  if (typeof req.body === 'object' || req.headers['content-type'] === 'application/json') parameters.requestBody = req.body;
  const errors: ErrorObject[] = [];
  for (const validate of validators) if (!validate(parameters)) errors.push(...(validate.errors ?? []));
  return errors;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The API host: the one HTTP stack (../http.ts), one Express route per operation of the catalogue,
 * and openapi-backend for what it is for here, through its public API: init() once over the
 * effective contract, then per request the request validators it compiled for the operation the
 * route already names (requestErrors). Each route runs the steps of openapi-backend's own
 * handleRequest in its order (security, validation, handler), but without its per-request router:
 * its public `router.matchOperation` alone costs about 35 µs of CPU a status lookup (measured alone,
 * over the effective contract), about as much as the whole answer otherwise (closing note of issue 19). Nothing of the library
 * is replaced or patched. `answer()` is the one place an answer leaves: deviations and scenarios
 * change it there, it is sent there, and it is marked there for the contract check the exchange
 * hook runs in test mode (context.ts checkAnswers).
 */
export async function createApiApp(ctx: SimContext, definition: Document): Promise<ReturnType<typeof createHost>> {
  checkHandlers(ctx);
  const api = new OpenAPIBackend({
    definition: forRequestValidation(definition),
    // openapi-backend 5 validates a definition as OpenAPI 3.0 only; the contract loader has validated
    // it at its own line (3.0 or 3.1: src/contract/load.ts), so init() skips that (`quick`). Quick
    // mode also compiles an operation's request validators when a request first needs them: a test
    // run starts dozens of simulators that each serve a few operations (compiling all of them up
    // front cost about 0.3 s of CPU each); the bench measures after a warm-up.
    quick: true,
    // openapi-backend makes an Ajv instance per operation validator; checking a schema against the
    // meta-schema compiles the meta-schema in each (about 0.1 s of CPU apiece). The contract's
    // schemas are checked once, as the suite's validators check them (src/contract/validator.ts compileAll).
    ajvOpts: { validateSchema: false },
    customizeAjv: (ajv) => addFormats(ajv),
    strict: true,
    validate: true,
    apiRoot: '/',
  });
  await api.init();

  /** The stored token a request carries (expired or not, for grading), and whether it is usable. */
  const bearer = async (req: Request, res: Response): Promise<AccessToken | undefined> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const stored = m ? await ctx.state.findToken(m[1]!) : undefined;
    if (!stored) return undefined;
    const locals = res.locals as HostLocals;
    locals.token = stored;
    if (stored.expiresAt <= ctx.state.now(stored.clientId)) return undefined;
    locals.clientId = stored.clientId;
    return stored;
  };

  /** No usable token: Spring's operations 401 (bare, or with the version's body); the Debt API 403, or 400 for a malformed header. */
  const unauthorizedAnswer = (operationId: string, req: Request, m: ReturnType<typeof meta>): SimResponse => {
    if (errorFamily(ctx, operationId, req.path) !== 'debt') {
      return unauthorized(ctx, operationId, m, 'A valid Bearer access token with the operation\'s audience and scope is required');
    }
    const has = req.get('authorization');
    if (has !== undefined && !/^Bearer\s+\S+\s*$/i.test(has)) {
      return familyError(ctx, operationId, 400, m, 'The Authorization header must be "Bearer <access token>"', 'bad request');
    }
    return familyError(ctx, operationId, 403, m, has ? 'The access token is unknown, malformed or expired' : 'The Authorization header with a Bearer access token is missing', 'invalid access token');
  };

  const invalidAnswer = (operationId: string, res: Response, errors: Array<{ instancePath?: string; message?: string }>, m: ReturnType<typeof meta>): SimResponse => {
    const bodyError = res.locals.bodyError as (Error & { type?: string }) | undefined;
    const message = bodyError
      ? bodyError.type === 'entity.too.large' ? `The request body is larger than ${BODY_LIMIT}` : `The request body is not valid JSON: ${bodyError.message}`
      : errors.map((e) => `${e.instancePath || '(request)'} ${e.message ?? 'is invalid'}`.replace(/^\/requestBody/, 'body').replace(/^\/(query|params|headers)\/?/, '$1 ')).join('; ');
    return familyError(ctx, operationId, 400, m, message || 'Bad request', 'bad request');
  };

  /** The operation's own answer: fault switches, the blank id, audience and scope, then its handler. */
  const operationAnswer = async (operation: CatalogueOperation, token: AccessToken, request: Call['request'], m: ReturnType<typeof meta>): Promise<SimResponse> => {
    const { operationId } = operation;
    const fault = ctx.state.takeFault(operationId, token.clientId);
    if (fault?.latencyMs) await sleep(Math.min(fault.latencyMs, 120_000));
    if (fault?.status) {
      if (fault.status === 401 && operation.errorFamily !== 'debt') return unauthorized(ctx, operationId, m, 'Simulated 401 (fault switch)');
      const [message, code] = fault.status >= 500
        ? ['An unexpected server error occurred (simulated by a fault switch)', 'server error']
        : [`Simulated ${fault.status} (fault switch)`, fault.status === 400 ? 'bad request' : 'invalid access token'];
      return familyError(ctx, operationId, fault.status, m, message, code);
    }
    const id = request.params.id;
    if (typeof id === 'string' && id.trim() === '') return familyError(ctx, operationId, 400, m, 'The consent id is missing', 'bad request');
    const why = refuse(ctx, token, operation);
    if (why) return familyError(ctx, operationId, 403, m, why, 'invalid access token');
    return handlers[operationId]!({ sim: ctx, request, operation, token, fault, ...m });
  };

  /** The one exit of an operation's answer: deviations, scenarios, the check mark, then the wire. */
  const answer = (operation: CatalogueOperation, req: Request, res: Response, answered: SimResponse, authenticated: boolean): void => {
    const { operationId } = operation;
    // The one place where response deviations (test mode) change what an operation answers.
    const deviated = ctx.deviations.applyToResponse({ operation, response: answered, authenticated, params: { ...req.params } as Record<string, string> });
    const migrated = errorFormatScenario(ctx, operationId, res.locals.clientId as string | undefined, deviated, req.path);
    // A scenario's answer in the other version's format breaks this version's contract on purpose: not checked.
    if (!migrated) (res.locals as HostLocals).check = { contract: 'api', operationId };
    send(req, res, migrated ?? deviated);
  };

  // The stack's head (log, exchange hook), the JSON body, then the operations.
  const app = createHost('api', { log: ctx.log, observe: (...m) => ctx.metrics.observe(...m), exchanges: ctx.exchanges, simNow: () => ctx.state.clock.now() });
  app.use(jsonBody());
  // A body that cannot be read is remembered, not thrown: the token is checked first (as Spring's
  // security filter does), then the validation step answers 400 in the operation's error shape.
  app.use((err: unknown, req: Request, res: Response, next: () => void) => {
    res.locals.bodyError = err;
    req.body = undefined;
    next();
  });
  const lenient = leniency(ctx);
  const meta = (req: Request) => ({ path: req.path, traceId: req.get('x-trace-id') });
  // One route per operation, matched here in one step (the catalogue's patterns, compiled once)
  // rather than as eight Express routes: each layer of Express's router costs a call per request.
  const routes = ctx.catalogue.operations.filter((o) => o.host === 'api').map((operation) => {
    if (!api.getOperation(operation.operationId)) throw new Error(`openapi-backend does not know ${operation.operationId}`);
    return {
      operation,
      validators: api.validator.getRequestValidatorsForOperation(operation.operationId) ?? [],
      pattern: new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '([^/]+)')}/?$`),
    };
  });
  app.use(async (req: Request, res: Response) => {
    (res.locals as HostLocals).receivedBody = req.body;
    const requestPath = req.path;
    let path: string;
    try {
      path = decodeURIComponent(requestPath);
    } catch {
      // Spring rejects a malformed percent-encoding before routing: 400 in the path's error shape.
      return send(req, res, familyError(ctx, undefined, 400, meta(req), 'The request path is not valid percent-encoding', 'bad request'));
    }
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    let route: (typeof routes)[number] | undefined;
    let values: RegExpExecArray | null = null;
    for (const r of routes) {
      if (r.operation.method === method && (values = r.pattern.exec(requestPath))) {
        route = r;
        break;
      }
    }
    if (!route || !values) {
      // A path the contract documents, with another method: 405; any other path: 404 (Spring's body).
      const [status, error, message] = routes.some((r) => r.pattern.test(requestPath)) ? [405, 'Method Not Allowed', `${req.method} is not allowed on ${path}`] : [404, 'Not Found', `No operation at ${req.method} ${path}`];
      return send(req, res, { status, body: { timestamp: ctx.state.clock.date().toISOString(), status, error, message, path: requestPath, requestId: '-' } });
    }
    const { operation, validators } = route;
    const params: Record<string, string> = {};
    for (let i = 0; i < operation.pathParams.length; i++) params[operation.pathParams[i]!] = decodeURIComponent(values[i + 1]!);
    req.params = params;
    // Coercions are noted (header, log line) on every answer of the operation, a refused one too.
    lenient(operation.operationId, req, res);
    const m = meta(req);
    const token = operation.secured ? await bearer(req, res) : undefined;
    if (operation.secured && !token) return answer(operation, req, res, unauthorizedAnswer(operation.operationId, req, m), false);
    const errors = requestErrors(validators, req);
    if (errors.length) return answer(operation, req, res, invalidAnswer(operation.operationId, res, errors, m), true);
    answer(operation, req, res, await operationAnswer(operation, token!, { params, query: req.query as Record<string, unknown>, body: req.body }, m), true);
  });
  finishHost(app, 'api', ctx.log, {
    // The dispatch above answers every path (404/405 included); this end is never reached.
    notFound: (req, res) => send(req, res, familyError(ctx, undefined, 404, { path: req.path }, 'Not Found')),
    error: (_err, req, res) => {
      const operationId = ctx.catalogue.match('api', req.method, req.path)?.operationId;
      send(req, res, familyError(ctx, operationId, 500, { path: req.path, traceId: req.get('x-trace-id') }, 'An unexpected server error occurred', 'server error'));
    },
  });
  return app;
}

/**
 * Sends an operation's answer (Content-Type with charset, Content-Length; Node leaves the body out
 * of a HEAD answer) and hands its value to the exchange hook. Plain Node on Express's response:
 * res.send's content negotiation and freshness checks are work an API answer never needs.
 */
function send(_req: Request, res: Response, r: SimResponse): void {
  if (res.headersSent) return;
  (res.locals as HostLocals).body = r.body;
  res.statusCode = r.status;
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, String(v));
  if (r.body === undefined) {
    res.end();
    return;
  }
  const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  res.setHeader('Content-Type', `${r.contentType ?? 'application/json'}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
