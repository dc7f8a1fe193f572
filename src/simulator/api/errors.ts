/**
 * Error bodies in the two shapes the contract documents: SpringErrorSchema (Agreement and Feed
 * APIs, Spring's default error body) and `error` (Debt API). Which one an operation answers is its
 * error family in the catalogue.
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

export function springError(ctx: SimContext, status: number, path: string, message: string): SimResponse {
  return {
    status,
    body: {
      timestamp: iso(ctx), status, error: STATUS_CODES[status] ?? 'Error', message, path,
      requestId: randomBytes(4).toString('hex'),
    },
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
  if (errorFamily(ctx, operationId, req.path) === 'debt') {
    const code = debtCode ?? (status >= 500 ? 'server error' : status === 400 ? 'bad request' : 'invalid access token');
    return debtError(ctx, status, req.traceId, code, message);
  }
  return springError(ctx, status, req.path, message);
}
