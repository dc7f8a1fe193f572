/**
 * Lenient where the provider (a Spring Boot service, Jackson defaults) is: values the contract does
 * not allow but Jackson/Spring coerce are accepted, normalised before validation, and reported in
 * the response header X-NoGi-Leniency and the request's log line, so partners learn that their
 * client deviates from the contract.
 *   - a numeric string for an integer body field   ("consent_duration_days": "30")
 *   - a number for a string body field              ("nin": 14842249091) (Jackson scalar coercion)
 *   - whitespace around an integer query parameter  (fromSequenceNr=%205)
 */
import type { NextFunction, Request, Response } from 'express';

const INTEGER_FIELDS: Record<string, string[]> = { '/v1/consent/agreement': ['consent_duration_days'] };
const STRING_FIELDS: Record<string, string[]> = { '/v1/consent/agreement': ['nin', 'client_consent_id', 'scope_of_consent'] };
const INTEGER_QUERY: Record<string, string[]> = { '/feed/v1/consent': ['fromSequenceNr', 'limit'] };

export const LENIENCY_HEADER = 'X-NoGi-Leniency';

export function leniency(req: Request, res: Response, next: NextFunction): void {
  const notes: string[] = [];
  const body = req.body as unknown;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    for (const f of INTEGER_FIELDS[req.path] ?? []) {
      const v = record[f];
      if (typeof v === 'string' && /^\s*[+-]?\d{1,9}\s*$/.test(v)) {
        record[f] = Number(v.trim());
        notes.push(`${f}: string "${v}" accepted as integer`);
      }
    }
    for (const f of STRING_FIELDS[req.path] ?? []) {
      const v = record[f];
      if (typeof v === 'number' && Number.isFinite(v)) {
        record[f] = String(v);
        notes.push(`${f}: number accepted as string`);
      }
    }
  }
  for (const q of INTEGER_QUERY[req.path] ?? []) {
    const v = req.query[q];
    if (typeof v === 'string' && /^\s+[+-]?\d+\s*$|^[+-]?\d+\s+$/.test(v)) notes.push(`${q}: whitespace around "${v.trim()}" ignored`);
  }
  if (notes.length > 0) {
    res.set(LENIENCY_HEADER, notes.join('; '));
    res.locals.logNote = `leniency="${notes.join('; ')}"`;
  }
  next();
}
