/**
 * Error bodies in the two shapes the contract documents: SpringErrorSchema (Agreement and Feed
 * APIs, Spring's default error body) and `error` (Debt API).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { SimContext } from '../context.ts';

export interface SimResponse {
  status: number;
  body?: unknown;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  headers?: Record<string, string>;
}

export type ErrorFamily = 'spring' | 'debt';

export const FAMILY: Record<string, ErrorFamily> = {
  createConsent: 'spring',
  feed: 'spring',
  lastSequenceNr: 'spring',
  firstSequenceNr: 'spring',
  getDebtWithAuthCodeToken: 'debt',
  getDebtWithConsentID: 'debt',
  revokeConsentByID: 'debt',
  getConsentStatusWithID: 'debt',
};

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

/** The documented error body of an operation's family. */
export function familyError(ctx: SimContext, operationId: string | undefined, status: number, req: { path: string; traceId?: string }, message: string, debtCode?: string): SimResponse {
  const family = (operationId && FAMILY[operationId]) || (req.path.startsWith('/v1/debt') ? 'debt' : 'spring');
  if (family === 'debt') {
    const code = debtCode ?? (status >= 500 ? 'server error' : status === 400 ? 'bad request' : 'invalid access token');
    return debtError(ctx, status, req.traceId, code, message);
  }
  return springError(ctx, status, req.path, message);
}
