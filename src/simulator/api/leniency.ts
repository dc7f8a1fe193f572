/**
 * Lenient where the provider (a Spring Boot service, Jackson defaults) is: values the contract does
 * not allow but Jackson/Spring coerce are accepted, normalised before validation, and reported in
 * the response header X-NoGi-Leniency and the request's log line, so partners learn that their
 * client deviates from the contract.
 *   - a numeric string for an integer body field   ("consent_duration_days": "30")
 *   - a number for a string body field              ("nin": 14842249091) (Jackson scalar coercion)
 *   - whitespace around an integer query parameter  (fromSequenceNr=%205)
 * Which fields are integers or strings comes from each operation's request schema in the contract.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { SimContext } from '../context.ts';
import type { Request, Response } from 'express';

export const LENIENCY_HEADER = 'X-NoGi-Leniency';

interface LenientFields {
  integerBody: string[];
  stringBody: string[];
  integerQuery: string[];
}

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject | undefined;

/** A local `#/components/...` reference followed to its schema. */
function resolve(doc: OpenAPIV3.Document, schema: Schema): OpenAPIV3.SchemaObject | undefined {
  let s: unknown = schema;
  for (let i = 0; i < 20 && s && typeof s === 'object' && '$ref' in s; i++) {
    s = (s as OpenAPIV3.ReferenceObject).$ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
  }
  return s as OpenAPIV3.SchemaObject | undefined;
}

/** The coercible fields of every operation of the API contract, by operationId. */
function lenientFields(ctx: SimContext): Map<string, LenientFields> {
  const doc = ctx.contracts.api.document;
  const out = new Map<string, LenientFields>();
  for (const { operationId, spec } of ctx.catalogue.operations.filter((o) => o.contract === 'api')) {
    const body = resolve(doc, ((spec.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content?.['application/json']?.schema));
    const properties = Object.entries(body?.properties ?? {}).map(([name, p]) => [name, resolve(doc, p)?.type] as const);
    const parameters = (spec.parameters ?? []) as OpenAPIV3.ParameterObject[];
    out.set(operationId, {
      integerBody: properties.filter(([, type]) => type === 'integer').map(([name]) => name),
      stringBody: properties.filter(([, type]) => type === 'string').map(([name]) => name),
      integerQuery: parameters.filter((p) => p.in === 'query' && resolve(doc, p.schema)?.type === 'integer').map((p) => p.name),
    });
  }
  return out;
}

/** Normalises a routed request of the operation, and notes what it accepted (header, log line). */
export function leniency(ctx: SimContext): (operationId: string, req: Request, res: Response) => void {
  const byOperation = lenientFields(ctx);
  return (operationId, req, res) => {
    const fields = byOperation.get(operationId);
    if (!fields) return;
    const notes: string[] = [];
    const body = req.body as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      // A copy: the body as the client sent it stays what the exchange hook reports.
      const record = { ...(body as Record<string, unknown>) };
      req.body = record;
      for (const f of fields.integerBody) {
        const v = record[f];
        if (typeof v === 'string' && /^\s*[+-]?\d{1,9}\s*$/.test(v)) {
          record[f] = Number(v.trim());
          notes.push(`${f}: string "${v}" accepted as integer`);
        }
      }
      for (const f of fields.stringBody) {
        const v = record[f];
        if (typeof v === 'number' && Number.isFinite(v)) {
          record[f] = String(v);
          notes.push(`${f}: number accepted as string`);
        }
      }
    }
    for (const q of fields.integerQuery) {
      const v = req.query[q];
      if (typeof v === 'string' && /^\s+[+-]?\d+\s*$|^[+-]?\d+\s+$/.test(v)) notes.push(`${q}: whitespace around "${v.trim()}" ignored`);
    }
    if (notes.length > 0) {
      res.setHeader(LENIENCY_HEADER, notes.join('; '));
      res.locals.logNote = `leniency="${notes.join('; ')}"`;
    }
  };
}
