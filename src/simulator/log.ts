/** One log line per request: host, method, path (no query), status, ms, client. Never secrets or NINs. */
import type { NextFunction, Request, Response } from 'express';
import { maskNins } from './rules.ts';

export type LogFn = (line: string) => void;

/** Masks bearer/basic credentials, token-looking strings and NINs in a free-text line. */
export function sanitize(line: string): string {
  return maskNins(line)
    .replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}(\.[A-Za-z0-9_-]+)?\b/g, '***');
}

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
