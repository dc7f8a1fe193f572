/** One log line per request: host, method, path (no query), status, ms, client. Never secrets or NINs. */
import type { NextFunction, Request, Response } from 'express';
import { redact } from '../reporting/redact.ts';

export type LogFn = (line: string) => void;

/** A log line with credentials, tokens and NINs masked (by the project's one redaction module). */
export const sanitize = redact;

export function requestLogger(host: string, log: LogFn) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      const client = (res.locals.clientId as string | undefined) ?? '-';
      const extra = res.locals.logNote ? ` ${res.locals.logNote as string}` : '';
      log(sanitize(`[${host}] ${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms client=${client}${extra}`));
    });
    next();
  };
}
