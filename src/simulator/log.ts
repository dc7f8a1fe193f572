/** One log line per request: host, method, path (no query), status, ms, client. Never secrets or NINs. */
import type { NextFunction, Request, Response } from 'express';
import { redact } from '../reporting/redact.ts';

export type LogFn = (line: string) => void;

/** A log line with credentials, tokens and NINs masked (by the project's one redaction module). */
export const sanitize = redact;

/** Called once per answered request (metrics). */
export type ObserveFn = (host: string, method: string, path: string, status: number, seconds: number) => void;

export function requestLogger(host: string, log: LogFn, observe?: ObserveFn) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      observe?.(host, req.method, req.path, res.statusCode, ms / 1000);
      const client = (res.locals.clientId as string | undefined) ?? '-';
      const extra = res.locals.logNote ? ` ${res.locals.logNote as string}` : '';
      log(sanitize(`[${host}] ${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms client=${client}${extra}`));
    });
    next();
  };
}
