/** The API host (createApiApp below says how it is built). */
import addFormatsModule from 'ajv-formats';
import type { Request, Response } from 'express';
import { OpenAPIBackend, type Context, type Document } from 'openapi-backend';
import { Validator as OpenApiDocumentValidator } from '@seriousme/openapi-schema-validator';
import { openapiLine } from '../../contract/load.ts';
import type { SimContext } from '../context.ts';
import { BODY_LIMIT, createHost, finishHost, jsonBody, type HostLocals } from '../http.ts';
import type { AccessToken } from '../state.ts';
import { refuse } from './auth.ts';
import { errorFamily, familyError, inFormat, unauthorized, type SimResponse } from './errors.ts';
import { createConsent } from './handlers/agreement.ts';
import { getConsentStatusWithID, getDebtWithAuthCodeToken, getDebtWithConsentID, revokeConsentByID } from './handlers/debt.ts';
import { feed, firstSequenceNr, lastSequenceNr } from './handlers/feed.ts';
import type { OperationHandler } from './handlers/types.ts';
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

/** The effective contract must be a valid OpenAPI document of its own line (3.0 or 3.1). */
async function checkDefinition(definition: Document): Promise<void> {
  const line = openapiLine(definition);
  const { valid, errors } = await new OpenApiDocumentValidator().validate(structuredClone(definition) as never);
  if (!valid) {
    const list = typeof errors === 'string' ? [errors] : (errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    throw new Error(`The effective contract is not valid OpenAPI ${line}:\n  ${list.join('\n  ')}`);
  }
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const header = (h: unknown): string | undefined => (Array.isArray(h) ? h[0] : typeof h === 'string' ? h : undefined);

/**
 * The API host: the one HTTP stack (../http.ts) in front of openapi-backend, used as its docs
 * describe it: init() once, then handleRequest() per request, handlers keyed by operationId, the
 * security handlers, and the reserved handlers (unauthorizedHandler, validationFail, notFound,
 * methodNotAllowed, postResponseHandler). postResponseHandler is the one place an answer leaves:
 * deviations and scenarios change it there, it is sent there, and it is marked there for the
 * contract check the exchange hook runs in test mode (context.ts checkAnswers).
 */
export async function createApiApp(ctx: SimContext, definition: Document): Promise<ReturnType<typeof createHost>> {
  checkHandlers(ctx);
  const meta = (c: Context, res: Response) => ({
    path: c.request.path, traceId: header(c.request.headers['x-trace-id']) ?? (res.locals.traceId as string | undefined),
  });

  const bearer = async (c: Context, _req: Request, res: Response): Promise<AccessToken | false> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header(c.request.headers.authorization) ?? '');
    const stored = m ? await ctx.state.findToken(m[1]!) : undefined;
    if (!stored) return false;
    // The token as the request found it (expired or not), for the exchange hook (grading).
    const locals = res.locals as HostLocals;
    locals.token = stored;
    if (stored.expiresAt <= ctx.state.now(stored.clientId)) return false;
    locals.clientId = stored.clientId;
    return stored;
  };

  const schemes = Object.keys(definition.components?.securitySchemes ?? {});
  await checkDefinition(definition);
  const api = new OpenAPIBackend({
    definition: forRequestValidation(definition),
    // openapi-backend 5 validates a definition as OpenAPI 3.0 only; checkDefinition() has validated
    // it at its own line (3.0 or 3.1), so init() skips that (`quick`), and the request validators
    // are compiled right after, as init() would.
    quick: true,
    customizeAjv: (ajv) => addFormats(ajv),
    strict: true,
    validate: true,
    apiRoot: '/',
    // Every scheme of the contract version served takes a bearer token (3770c4e adds `NOGI Oauth service`).
    securityHandlers: Object.fromEntries(schemes.map((name) => [name, bearer])),
    handlers: {
      ...Object.fromEntries(Object.entries(handlers).map(([operationId, handler]) => [
        operationId,
        async (c: Context, _req: Request, res: Response): Promise<SimResponse> => {
          const operation = ctx.catalogue.operation(operationId);
          const token = schemes.map((name) => c.security[name]).find(Boolean) as AccessToken;
          const fault = ctx.state.takeFault(operationId, token.clientId);
          if (fault?.latencyMs) await sleep(Math.min(fault.latencyMs, 120_000));
          if (fault?.status) {
            if (fault.status === 401 && operation.errorFamily !== 'debt') return unauthorized(ctx, operationId, meta(c, res), 'Simulated 401 (fault switch)');
            const [message, code] = fault.status >= 500
              ? ['An unexpected server error occurred (simulated by a fault switch)', 'server error']
              : [`Simulated ${fault.status} (fault switch)`, fault.status === 400 ? 'bad request' : 'invalid access token'];
            return familyError(ctx, operationId, fault.status, meta(c, res), message, code);
          }
          const id = (c.request.params as Record<string, unknown>).id;
          if (typeof id === 'string' && safeDecode(id).trim() === '') return familyError(ctx, operationId, 400, meta(c, res), 'The consent id is missing', 'bad request');
          const why = refuse(ctx, token, operation);
          if (why) return familyError(ctx, operationId, 403, meta(c, res), why, 'invalid access token');
          return handler({ sim: ctx, c, operation, token, fault, ...meta(c, res) });
        },
      ])),
      unauthorizedHandler: (c: Context, _req: Request, res: Response): SimResponse => {
        const op = c.operation.operationId!;
        if (errorFamily(ctx, op, c.request.path) !== 'debt') {
          return unauthorized(ctx, op, meta(c, res), 'A valid Bearer access token with the operation\'s audience and scope is required');
        }
        const m = meta(c, res);
        const has = header(c.request.headers.authorization);
        // A header that is not "Bearer <token>" is a malformed request (400), not a bad token.
        if (has !== undefined && !/^Bearer\s+\S+\s*$/i.test(has)) {
          return familyError(ctx, op, 400, m, 'The Authorization header must be "Bearer <access token>"', 'bad request');
        }
        return familyError(ctx, op, 403, m, has ? 'The access token is unknown, malformed or expired' : 'The Authorization header with a Bearer access token is missing', 'invalid access token');
      },
      validationFail: (c: Context, _req: Request, res: Response): SimResponse => {
        const bodyError = res.locals.bodyError as (Error & { type?: string }) | undefined;
        const message = bodyError
          ? bodyError.type === 'entity.too.large' ? `The request body is larger than ${BODY_LIMIT}` : `The request body is not valid JSON: ${bodyError.message}`
          : (c.validation.errors ?? []).map((e) => `${e.instancePath || '(request)'} ${e.message ?? 'is invalid'}`.replace(/^\/requestBody/, 'body').replace(/^\/(query|params|headers)\/?/, '$1 ')).join('; ');
        return familyError(ctx, c.operation.operationId, 400, meta(c, res), message || 'Bad request', 'bad request');
      },
      notFound: (c: Context): SimResponse => ({ status: 404, body: { timestamp: ctx.state.clock.date().toISOString(), status: 404, error: 'Not Found', message: `No operation at ${c.request.method.toUpperCase()} ${c.request.path}`, path: c.request.path, requestId: '-' } }),
      methodNotAllowed: (c: Context): SimResponse => ({ status: 405, body: { timestamp: ctx.state.clock.date().toISOString(), status: 405, error: 'Method Not Allowed', message: `${c.request.method.toUpperCase()} is not allowed on ${c.request.path}`, path: c.request.path, requestId: '-' } }),
      postResponseHandler: (c: Context, req: Request, res: Response): void => {
        const operationId = c.operation?.operationId;
        const answered = c.response as SimResponse;
        // The one place where response deviations (test mode) change what an operation answers.
        const deviated = operationId && answered.status !== 404 && answered.status !== 405
          ? ctx.deviations.applyToResponse({
            operation: ctx.catalogue.operation(operationId), response: answered, authenticated: c.security?.authorized !== false,
            params: Object.fromEntries(Object.entries(c.request.params ?? {}).map(([k, v]) => [k, String(v)])),
          })
          : answered;
        const migrated = operationId ? errorFormatScenario(ctx, operationId, res.locals.clientId as string | undefined, deviated, c.request.path) : undefined;
        // A scenario's answer in the other version's format breaks this version's contract on purpose: not checked.
        if (operationId && !migrated && deviated.status !== 404 && deviated.status !== 405) (res.locals as HostLocals).check = { contract: 'api', operationId };
        send(req, res, migrated ?? deviated);
      },
    },
  });
  await api.init();
  api.validator.preCompileRequestValidators();

  // The stack's head (log, exchange hook), the JSON body, leniency, then openapi-backend.
  const app = createHost('api', { log: ctx.log, observe: (...m) => ctx.metrics.observe(...m), exchanges: ctx.exchanges, simNow: () => ctx.state.clock.now() });
  app.use(jsonBody());
  // A body that cannot be read is remembered, not thrown: the token is checked first (as Spring's
  // security filter does), then validationFail answers 400 in the operation's error shape.
  app.use((err: unknown, req: Request, res: Response, next: () => void) => {
    res.locals.bodyError = err;
    req.body = undefined;
    next();
  });
  app.use((req: Request, res: Response, next: () => void) => {
    (res.locals as HostLocals).receivedBody = req.body;
    next();
  });
  app.use(leniency(ctx));
  app.use(async (req: Request, res: Response) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      // Spring rejects a malformed percent-encoding before routing: 400 in the path's error shape.
      send(req, res, familyError(ctx, undefined, 400, { path: req.path, traceId: req.get('x-trace-id') }, 'The request path is not valid percent-encoding', 'bad request'));
      return;
    }
    await api.handleRequest({ method: req.method, path: req.path, query: req.query as Record<string, string>, headers: req.headers as Record<string, string>, body: req.body }, req, res);
  });
  finishHost(app, 'api', ctx.log, {
    // openapi-backend answers every path (notFound); this end is never reached.
    notFound: (req, res) => send(req, res, familyError(ctx, undefined, 404, { path: req.path }, 'Not Found')),
    error: (_err, req, res) => {
      const operationId = ctx.catalogue.match('api', req.method, req.path)?.operationId;
      send(req, res, familyError(ctx, operationId, 500, { path: req.path, traceId: req.get('x-trace-id') }, 'An unexpected server error occurred', 'server error'));
    },
  });
  return app;
}

/** Sends an operation's answer as Express's res.send does (charset, Content-Length, 304, HEAD), and hands its value to the exchange hook. */
function send(_req: Request, res: Response, r: SimResponse): void {
  if (res.headersSent) return;
  (res.locals as HostLocals).body = r.body;
  res.status(r.status);
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, String(v));
  if (r.body === undefined) {
    res.end();
    return;
  }
  res.type(r.contentType ?? 'application/json').send(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
}
