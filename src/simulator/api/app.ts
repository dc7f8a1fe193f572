/**
 * The API host: openapi-backend over the effective contract (upstream + errata), handlers keyed
 * by operationId, request validation from the contract, and every response checked against it
 * in test mode (postResponseHandler). Around every handler, from the catalogue: fault switches,
 * the token's audience and scopes, the error family, and (test mode) the response deviations.
 */
import addFormatsModule from 'ajv-formats';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { OpenAPIBackend, type Context, type Document } from 'openapi-backend';
import { Validator as OpenApiDocumentValidator } from '@seriousme/openapi-schema-validator';
import { openapiLine } from '../../contract/load.ts';
import type { SimContext } from '../context.ts';
import { checkResponse } from '../context.ts';
import { requestLogger } from '../log.ts';
import type { AccessToken } from '../state.ts';
import { refuse } from './auth.ts';
import { errorFamily, familyError, inFormat, unauthorized, type SimResponse } from './errors.ts';
import { createConsent } from './handlers/agreement.ts';
import { getConsentStatusWithID, getDebtWithAuthCodeToken, getDebtWithConsentID, revokeConsentByID } from './handlers/debt.ts';
import { feed, firstSequenceNr, lastSequenceNr } from './handlers/feed.ts';
import type { OperationHandler } from './handlers/types.ts';
import { leniency } from './leniency.ts';
import { precompileRouter } from './routing.ts';
import { adopt, sendBody, type ApiRequest, type ApiResponse } from './http.ts';
import { recordExchanges } from '../../grading/recorder.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const BODY_LIMIT = '64kb';

/**
 * Jackson (the provider's Spring) refuses a JSON document nested deeper than this: its
 * StreamReadConstraints' default maxNestingDepth since 2.15. Refused before parsing, so nothing
 * after the parser walks an unbounded depth.
 */
export const MAX_JSON_DEPTH = 1000;

/** Throws when the JSON text nests deeper than MAX_JSON_DEPTH: one pass over the bytes, brackets outside strings. */
function checkJsonDepth(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw Object.assign(new Error(`nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400, type: 'entity.too.deep' });
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

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

/** The API host's request listener (node:http). */
export async function createApiApp(ctx: SimContext, definition: Document): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  checkHandlers(ctx);
  const meta = (c: Context, res: ApiResponse) => ({
    path: c.request.path, traceId: header(c.request.headers['x-trace-id']) ?? (res.locals.traceId as string | undefined),
  });

  const bearer = async (c: Context, _req: ApiRequest, res: ApiResponse): Promise<AccessToken | false> => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header(c.request.headers.authorization) ?? '');
    const token = (m && (await ctx.state.lookupToken(m[1]))) || false;
    if (token) res.locals.clientId = token.clientId;
    return token;
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
        async (c: Context, _req: ApiRequest, res: ApiResponse): Promise<SimResponse> => {
          const operation = ctx.catalogue.operation(operationId);
          const token = schemes.map((name) => c.security[name]).find(Boolean) as AccessToken;
          res.locals.clientId = token.clientId;
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
      unauthorizedHandler: (c: Context, _req: ApiRequest, res: ApiResponse): SimResponse => {
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
      validationFail: (c: Context, _req: ApiRequest, res: ApiResponse): SimResponse => {
        const bodyError = res.locals.bodyError as (Error & { type?: string }) | undefined;
        const message = bodyError
          ? bodyError.type === 'entity.too.large' ? `The request body is larger than ${BODY_LIMIT}` : `The request body is not valid JSON: ${bodyError.message}`
          : (c.validation.errors ?? []).map((e) => `${e.instancePath || '(request)'} ${e.message ?? 'is invalid'}`.replace(/^\/requestBody/, 'body').replace(/^\/(query|params|headers)\/?/, '$1 ')).join('; ');
        return familyError(ctx, c.operation.operationId, 400, meta(c, res), message || 'Bad request', 'bad request');
      },
      notFound: (c: Context): SimResponse => ({ status: 404, body: { timestamp: ctx.state.clock.date().toISOString(), status: 404, error: 'Not Found', message: `No operation at ${c.request.method.toUpperCase()} ${c.request.path}`, path: c.request.path, requestId: '-' } }),
      methodNotAllowed: (c: Context): SimResponse => ({ status: 405, body: { timestamp: ctx.state.clock.date().toISOString(), status: 405, error: 'Method Not Allowed', message: `${c.request.method.toUpperCase()} is not allowed on ${c.request.path}`, path: c.request.path, requestId: '-' } }),
      postResponseHandler: (c: Context, req: ApiRequest, res: ApiResponse): void => {
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
        const r = migrated ?? deviated;
        send(req, res, r);
        // A scenario's answer in the other version's format breaks this version's contract on purpose.
        if (operationId && !migrated && r.status !== 404 && r.status !== 405) {
          const contentType = r.body === undefined ? undefined : r.contentType ?? 'application/json';
          const body = typeof r.body === 'string' && contentType?.startsWith('application/json') ? JSON.parse(r.body) : r.body;
          checkResponse(ctx, 'api', operationId, r.status, contentType, body, r.headers);
        }
      },
    },
  });
  await api.init();
  api.validator.preCompileRequestValidators();
  precompileRouter(api);

  // The request goes through what were Express middleware, in the same order, as plain functions
  // on the node:http request (http.ts says why): the request log, the JSON body, the exchange
  // recording (test mode), leniency, then openapi-backend.
  const logRequest = requestLogger('api', ctx.log, (...m) => ctx.metrics.observe(...m));
  const json = express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: checkJsonDepth }) as unknown as (req: ApiRequest, res: ApiResponse, next: (err?: unknown) => void) => void;
  const record = recordExchanges(ctx, 'api') as unknown as (req: ApiRequest, res: ApiResponse, next: () => void) => void;
  const lenient = leniency(ctx);
  const handle = async (req: ApiRequest, res: ApiResponse): Promise<void> => {
    try {
      decodeURIComponent(req.path);
    } catch {
      // Spring rejects a malformed percent-encoding before routing: 400 in the path's error shape.
      send(req, res, familyError(ctx, undefined, 400, { path: req.path, traceId: req.get('x-trace-id') }, 'The request path is not valid percent-encoding', 'bad request'));
      return;
    }
    await api.handleRequest({ method: req.method, path: req.path, query: req.query as Record<string, string>, headers: req.headers as Record<string, string>, body: req.body }, req, res);
  };
  const failed = (req: ApiRequest, res: ApiResponse, e: unknown): void => {
    ctx.log(`[api] internal error on ${req.method} ${req.path}: ${(e as Error).stack ?? e}`);
    if (!res.headersSent) {
      const operationId = api.router.matchOperation({ method: req.method, path: req.path, headers: {}, query: {} })?.operationId;
      send(req, res, familyError(ctx, operationId, 500, { path: req.path, traceId: req.get('x-trace-id') }, 'An unexpected server error occurred', 'server error'));
    }
  };
  return (raw: IncomingMessage, rawRes: ServerResponse): void => {
    const { req, res } = adopt(raw, rawRes);
    try {
      logRequest(req, res, () => undefined);
      // A body that cannot be read is remembered, not thrown: the token is checked first (as Spring's
      // security filter does), then validationFail answers 400 in the operation's error shape.
      json(req, res, (err?: unknown) => {
        if (err) {
          res.locals.bodyError = err;
          req.body = undefined;
        }
        try {
          record(req, res, () => lenient(req, res, () => void handle(req, res).catch((e: unknown) => failed(req, res, e))));
        } catch (e) {
          failed(req, res, e);
        }
      });
    } catch (e) {
      failed(req, res, e);
    }
  };
}

function send(req: ApiRequest, res: ApiResponse, r: SimResponse): void {
  if (res.headersSent) return;
  res.statusCode = r.status;
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, String(v));
  if (r.body === undefined) {
    res.end();
    return;
  }
  sendBody(req, res, r.status, r.contentType ?? 'application/json', typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
}
