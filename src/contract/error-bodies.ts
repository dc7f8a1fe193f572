/**
 * What an error answer says, read the way its family writes it (the catalogue's `errorFamily`):
 * the request path it names, its message, and the reference the provider's support looks it up by.
 * 3770c4e's problem details carry `errorReference` ("used for support"); Spring's body a
 * `requestId`; the Debt API a `trace_id`. A report logs the reference as it would a trace id.
 */
import type { ErrorFamily } from './catalogue.ts';

export interface ErrorBody {
  /** The request path the body names (Spring `path`, problem `instance`). */
  path?: string;
  message?: string;
  /** The id a support desk looks the error up by. */
  reference?: string;
  /** The field that carries the reference, for messages (`errorReference`, `requestId`, `trace_id`). */
  referenceField?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function readErrorBody(family: ErrorFamily, body: unknown): ErrorBody {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  switch (family) {
    case 'problem': return { path: text(b.instance), message: text(b.detail) ?? text(b.title), reference: text(b.errorReference), referenceField: 'errorReference' };
    case 'spring': return { path: text(b.path), message: text(b.message) ?? text(b.error), reference: text(b.requestId), referenceField: 'requestId' };
    case 'debt': return { message: text(b.error_description) ?? text(b.error), reference: text(b.trace_id), referenceField: 'trace_id' };
    case 'oauth': return { message: text(b.error_description) ?? text(b.error) };
    default: return {};
  }
}
