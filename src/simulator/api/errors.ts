/**
 * Error bodies in the shapes the contract documents: SpringErrorSchema (Spring's default error
 * body: the Feed API, and b68fec2's Agreement API), ProblemDetailWithErrorReference (RFC 9457
 * problem details, 3770c4e's Agreement API) and `error` (Debt API). Which one an operation answers
 * is its error family in the catalogue of the contract version the simulator serves.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { ErrorFamily } from '../../contract/catalogue.ts';
import type { SimContext } from '../context.ts';

export interface SimResponse {
  status: number;
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  headers?: Record<string, string>;
}

const iso = (ctx: SimContext): string => ctx.state.clock.date().toISOString();

function springError(ctx: SimContext, status: number, path: string, message: string): SimResponse {
  return {
    status,
    body: {
      timestamp: iso(ctx), status, error: STATUS_CODES[status] ?? 'Error', message, path,
      requestId: randomBytes(4).toString('hex'),
    },
  };
}

/**
 * RFC 9457 problem details as Spring's ProblemDetail writes them, plus `errorReference`, the id
 * NoGi's support looks an error up by (3770c4e: "Error reference used for support").
 */
function problemError(status: number, path: string, detail: string): SimResponse {
  return {
    status,
    contentType: 'application/problem+json',
    body: { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, instance: path, errorReference: randomUUID() },
  };
}

/** Debt API `error` body; trace_id is the X-Trace-ID request header when given. */
export function debtError(ctx: SimContext, status: number, traceId: string | undefined, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description, trace_id: traceId || randomUUID(), timestamp: iso(ctx) } };
}

/**
 * The error family of an operation; for a request no operation answered (a path Spring rejects
 * before routing), the family of the operations on that path.
 */
export function errorFamily(ctx: SimContext, operationId: string | undefined, path: string): ErrorFamily {
  if (operationId) return ctx.catalogue.operation(operationId).errorFamily;
  return ctx.catalogue.operations.find((o) => o.host === 'api' && o.pathPattern.test(path))?.errorFamily ?? 'spring';
}

/** The documented error body of an operation's family. */
export function familyError(ctx: SimContext, operationId: string | undefined, status: number, req: { path: string; traceId?: string }, message: string, debtCode?: string): SimResponse {
  const family = errorFamily(ctx, operationId, req.path);
  if (family === 'debt') {
    const code = debtCode ?? (status >= 500 ? 'server error' : status === 400 ? 'bad request' : 'invalid access token');
    return debtError(ctx, status, req.traceId, code, message);
  }
  if (family === 'problem') return problemError(status, req.path, message);
  return springError(ctx, status, req.path, message);
}

/**
 * The same error in the other version's format: Spring's body (b68fec2) as problem details with an
 * errorReference (3770c4e), or back. For error-format-migration, which lets a partner's client see
 * both while the provider moves from one to the other.
 */
export function inFormat(ctx: SimContext, format: 'spring' | 'problem', response: SimResponse, path: string): SimResponse {
  const body = (response.body && typeof response.body === 'object' ? response.body : {}) as Record<string, unknown>;
  const message = String(body.detail ?? body.message ?? body.title ?? body.error ?? STATUS_CODES[response.status] ?? 'Error');
  return format === 'problem' ? problemError(response.status, path, message) : springError(ctx, response.status, path, message);
}

/**
 * A 401: bare where the contract documents no body for it (b68fec2's Spring operations), else the
 * family's body (3770c4e's Agreement API documents problem details on 401).
 */
export function unauthorized(ctx: SimContext, operationId: string, req: { path: string; traceId?: string }, message: string): SimResponse {
  return ctx.catalogue.operation(operationId).unauthorizedBody ? familyError(ctx, operationId, 401, req, message) : { status: 401 };
}
