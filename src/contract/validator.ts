/**
 * AJV validators compiled once from an effective OpenAPI 3.0 or 3.1 contract (3.0 schemas are
 * converted to JSON Schema; 3.1 schemas are JSON Schema 2020-12 and go to AJV's 2020 dialect).
 * A validator only compiles and runs schemas, keyed by operation, status and content type, for the
 * operations of the catalogue (src/contract/catalogue.ts: the one operation table). What a response
 * is judged by (status, content type, headers, schema, invariants) is the check registry's
 * (src/contract/checks.ts); `validateResponse` runs its response checks.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
import { openapiSchemaToJsonSchema as toJsonSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import type { OpenAPIV3 } from 'openapi-types';
import type { CatalogueOperation } from './catalogue.ts';
import { matchesMediaRange, mediaType, responseFindings } from './checks.ts';
import type { CheckName, ContractFinding, InvariantOptions, RequestToCheck, ResponseToCheck } from './findings.ts';
import { openapiLine } from './load.ts';

export type { ResponseToCheck } from './findings.ts';

export interface ValidatorOptions extends InvariantOptions {
  /**
   * Properties the schema does not list are errors instead of warnings. Not part of the gate's
   * strict profile (`rfcMusts`): a provider may add a property without breaking a client.
   */
  strict?: boolean;
  /** Checks switched off by name (NOGI_CHECKS_OFF, --checks-off): they produce no finding. */
  checksOff?: readonly CheckName[];
}

/** OpenAPI 3.0 `nullable` without a `type` (beside allOf/anyOf) is dropped by the converter; make it explicit. */
function explicitNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(explicitNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = explicitNullable(v);
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _n, description, ...rest } = out;
    return { description, anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

/**
 * AJV's `discriminator` picks the oneOf branch whose `properties.<tag>` enum holds the value, but
 * refuses OpenAPI's `mapping`; the contract keeps the mapping (OpenAPI needs it when the values are
 * not schema names, E11) and AJV gets the same choice from the branches' enums.
 */
function withoutDiscriminatorMapping(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDiscriminatorMapping);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withoutDiscriminatorMapping(v);
  const discriminator = out.discriminator as { propertyName?: string; mapping?: unknown } | undefined;
  if (discriminator && typeof discriminator === 'object' && 'mapping' in discriminator) {
    out.discriminator = { propertyName: discriminator.propertyName };
  }
  return out;
}

/** A contract's schema as AJV reads it: 3.0 converted to JSON Schema, 3.1 as it is (2020-12). */
function toAjvSchema(schema: unknown, docId: string, line: '3.0' | '3.1'): Record<string, unknown> {
  const converted = (line === '3.1'
    ? withoutDiscriminatorMapping(schema)
    : toJsonSchema(withoutDiscriminatorMapping(explicitNullable(schema)) as object, { cloneSchema: true })) as Record<string, unknown>;
  delete converted.$schema;
  return JSON.parse(JSON.stringify(converted).replaceAll('"$ref":"#/', `"$ref":"${docId}#/`)) as Record<string, unknown>;
}

function pointerGet(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return cur;
}

/** How much of a value a finding shows: a client's body may nest without end (5,000 levels overflow the stack). */
const SHOW = { depth: 8, entries: 50, chars: 1000 };

/** A value as JSON for a finding, cut at SHOW's bounds (deeper levels as {…} or […]). */
function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const cut = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return v.length > SHOW.chars ? `${v.slice(0, SHOW.chars)}…` : v;
    if (!v || typeof v !== 'object') return v;
    if (depth >= SHOW.depth) return Array.isArray(v) ? '[…]' : '{…}';
    if (Array.isArray(v)) return v.slice(0, SHOW.entries).map((x) => cut(x, depth + 1));
    return Object.fromEntries(Object.entries(v).slice(0, SHOW.entries).map(([k, x]) => [k, cut(x, depth + 1)]));
  };
  const text = JSON.stringify(cut(value, 0)) ?? String(value);
  return text.length > SHOW.chars ? `${text.slice(0, SHOW.chars)}…` : text;
}

export class ContractValidator {
  private readonly ajv: Ajv | Ajv2020;
  private readonly docId: string;
  /** The OpenAPI line of the document: which JSON Schema dialect its schemas are. */
  readonly line: '3.0' | '3.1';
  private readonly compiled = new Map<string, ValidateFunction>();
  /** The catalogue's operations of this contract, by operationId (the catalogue's rows, not a table of its own). */
  private readonly byId: ReadonlyMap<string, CatalogueOperation>;

  constructor(
    readonly document: OpenAPIV3.Document,
    readonly name: string,
    operations: readonly CatalogueOperation[],
    private readonly options: ValidatorOptions = {},
  ) {
    this.docId = `contract:${name}`;
    this.line = openapiLine(document);
    // validateSchema: false: checking each schema against the JSON Schema meta-schema compiles the
    // meta-schema first (about 0.35 s of CPU in every process); compileAll() checks them instead.
    const ajvOptions = { allErrors: true, strict: false, verbose: true, discriminator: true, validateSchema: false };
    this.ajv = this.line === '3.1' ? new Ajv2020(ajvOptions) : new Ajv(ajvOptions);
    addFormats(this.ajv as Ajv);
    const schemas = document.components?.schemas ?? {};
    this.ajv.addSchema({ $id: this.docId, components: { schemas: toAjvSchema(schemas, this.docId, this.line) } });
    this.byId = new Map(operations.map((o) => [o.operationId, o]));
  }

  /**
   * Checks the document's schemas against the meta-schema and compiles every schema of every
   * operation: what `contract update` and the contract tests run, so that a document whose schemas
   * are not valid or AJV cannot compile is refused before it is vendored. A run compiles only the
   * schemas it meets (with the meta-schema, about 0.7 s of CPU saved in every process that loads
   * the contract: each Playwright worker, the simulator, the CLI).
   */
  compileAll(): void {
    for (const [name, schema] of Object.entries(toAjvSchema(this.document.components?.schemas ?? {}, this.docId, this.line))) {
      if (!this.ajv.validateSchema(schema as object)) throw new Error(`${this.name}: components.schemas.${name} is not valid JSON Schema: ${this.ajv.errorsText(this.ajv.errors)}`);
    }
    for (const op of this.byId.values()) this.compileOperation(op.spec);
  }

  private compileOperation(op: OpenAPIV3.OperationObject): void {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      for (const [ct, media] of Object.entries((response as OpenAPIV3.ResponseObject).content ?? {})) {
        if (media.schema) this.compile(`${op.operationId} ${status} ${ct}`, media.schema);
      }
    }
    const body = op.requestBody as OpenAPIV3.RequestBodyObject | undefined;
    for (const [ct, media] of Object.entries(body?.content ?? {})) {
      if (media.schema) this.compile(`${op.operationId} request ${ct}`, media.schema);
    }
    for (const p of (op.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
      if (p.schema) this.compile(`${op.operationId} ${p.in}:${p.name}`, p.schema);
    }
  }

  private compile(key: string, schema: unknown): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(toAjvSchema(schema, this.docId, this.line));
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /** A schema of `components.schemas`, for checks the operations do not carry (ID token claims, callbacks). */
  schemaValidator(component: string): ValidateFunction {
    return this.compile(`component ${component}`, { $ref: `#/components/schemas/${component}` });
  }

  /** The catalogue's row of an operation of this contract. */
  private operation(operationId: string): CatalogueOperation {
    const op = this.byId.get(operationId);
    if (!op) throw new Error(`Unknown operationId "${operationId}" in the ${this.name} contract`);
    return op;
  }

  /** The compiled schema of a documented response (operation, status, content type as the contract writes it); undefined when it has none. */
  responseSchema(operationId: string, status: number, contentType: string): ValidateFunction | undefined {
    const key = `${operationId} ${status} ${contentType}`;
    const known = this.compiled.get(key);
    if (known) return known;
    const schema = ((this.operation(operationId).spec.responses?.[String(status)] as OpenAPIV3.ResponseObject | undefined)?.content?.[contentType])?.schema;
    return schema ? this.compile(key, schema) : undefined;
  }

  /**
   * Every response check of the registry (src/contract/checks.ts) that applies: status, headers,
   * content type and schema against the contract, then the invariants the docs state for this
   * operation. Checks switched off (`checksOff`) produce nothing.
   */
  validateResponse(operationId: string, response: ResponseToCheck): ContractFinding[] {
    return responseFindings(this.operation(operationId), response, { schemas: this, rfcMusts: this.options.rfcMusts, checksOff: this.options.checksOff });
  }

  /** The request against the operation's parameters and request body (the check `request_schema_conformance`). */
  validateRequest(operationId: string, request: RequestToCheck): ContractFinding[] {
    const op = this.operation(operationId);
    const findings: ContractFinding[] = [];
    for (const p of (op.spec.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
      if (p.in !== 'query' && p.in !== 'header') continue;
      const source = p.in === 'query' ? request.query : request.headers;
      const raw = source?.[p.in === 'header' ? p.name.toLowerCase() : p.name];
      const rule = `${operationId} ${p.in}:${p.name}`;
      if (raw === undefined) {
        if (p.required) findings.push({ check: 'request_schema_conformance', severity: 'error', rule, pointer: `${p.in}:${p.name}`, expected: 'present', actual: '(absent)' });
        continue;
      }
      const schema = p.schema as OpenAPIV3.SchemaObject | undefined;
      // 3.1 may write a type as a list (`[integer, "null"]`).
      const numeric = [schema?.type].flat().some((t) => t === 'integer' || t === 'number');
      const value = numeric ? (/^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw) : raw;
      findings.push(...this.schemaFindings(this.compile(rule, schema ?? {}), value, 'request_schema_conformance', rule, `${p.in}:${p.name}`));
    }
    const body = op.spec.requestBody as OpenAPIV3.RequestBodyObject | undefined;
    if (body) {
      const ranges = Object.keys(body.content);
      const range = ranges.find((r) => matchesMediaRange(r, mediaType(request.contentType)));
      if (request.body === undefined) {
        if (body.required) findings.push({ check: 'request_schema_conformance', severity: 'error', rule: `${operationId} requestBody`, pointer: 'body', expected: 'a body', actual: '(absent)' });
      } else if (!range) {
        findings.push({ check: 'request_schema_conformance', severity: 'error', rule: `${operationId} requestBody`, pointer: 'content-type', expected: ranges.join(' or '), actual: mediaType(request.contentType) || '(none)' });
      } else {
        const schema = body.content[range]?.schema;
        if (schema) findings.push(...this.schemaFindings(this.compile(`${operationId} request ${range}`, schema), request.body, 'request_schema_conformance', `${operationId} requestBody ${range}`));
      }
    }
    return findings;
  }

  /** Runs a compiled schema; unlisted properties are warnings (errors when strict). */
  schemaFindings(validate: ValidateFunction, data: unknown, check: CheckName, rule: string, pointerPrefix = ''): ContractFinding[] {
    const findings: ContractFinding[] = [];
    if (!validate(data)) {
      for (const e of this.relevantErrors(validate.errors ?? [])) findings.push(this.toFinding(e, data, check, rule, pointerPrefix));
      return findings;
    }
    for (const pointer of this.unlistedProperties(validate.schema, data, '')) {
      findings.push({
        check, severity: this.options.strict ? 'error' : 'warning', rule: `${rule} #/properties`, pointer: pointerPrefix + pointer,
        expected: 'only properties the schema lists', actual: `unlisted property ${show(pointerGet(data, pointer))?.slice(0, 80)}`,
      });
    }
    return findings;
  }

  /** Under anyOf, AJV reports every branch; when one branch fails only on a nested error, keep that branch's errors. */
  private relevantErrors(errors: ErrorObject[]): ErrorObject[] {
    // The `null` branch of a nullable value always fails beside the real error: drop it.
    const deepest = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && !(e.keyword === 'type' && (e.params as { type?: string }).type === 'null'));
    return deepest.length ? dedupe(deepest) : errors;
  }

  private toFinding(e: ErrorObject, data: unknown, check: CheckName, rule: string, pointerPrefix: string): ContractFinding {
    if (e.keyword === 'discriminator') return this.discriminatorFinding(e, data, check, rule, pointerPrefix);
    const parent = e.parentSchema as { description?: string } | undefined;
    const pointer = e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.instancePath;
    return {
      check,
      severity: 'error',
      rule: `${rule} ${e.schemaPath}`,
      pointer: pointerPrefix ? pointerPrefix + pointer : pointer || '/',
      expected: expectedText(e),
      actual: e.keyword === 'required' ? '(absent)' : show(pointerGet(data, e.instancePath)),
      description: parent?.description,
    };
  }

  /** A tag naming no oneOf branch: point at the tag and list the values the branches accept. */
  private discriminatorFinding(e: ErrorObject, data: unknown, check: CheckName, rule: string, pointerPrefix: string): ContractFinding {
    const { tag } = e.params as { tag: string };
    const branches = asArray((e.parentSchema as { oneOf?: unknown } | undefined)?.oneOf);
    const accepted = branches.flatMap((b) => {
      const property = (this.resolve(b as Record<string, unknown>).properties as Record<string, { enum?: unknown[]; const?: unknown }> | undefined)?.[tag];
      return property?.enum ?? (property?.const !== undefined ? [property.const] : []);
    });
    const pointer = `${e.instancePath}/${tag.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    return {
      check,
      severity: 'error',
      rule: `${rule} ${e.schemaPath}`,
      pointer: pointerPrefix + pointer,
      expected: `one of ${JSON.stringify(accepted)}`,
      actual: show(pointerGet(data, pointer)),
    };
  }

  private resolve(schema: Record<string, unknown>): Record<string, unknown> {
    let s = schema;
    for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) {
      s = (this.ajv.getSchema(s.$ref as string)?.schema ?? {}) as Record<string, unknown>;
    }
    return s;
  }

  /** JSON pointers of object properties that no applicable schema lists. */
  private unlistedProperties(schema: unknown, data: unknown, at: string): string[] {
    if (!schema || typeof schema !== 'object' || data === null || typeof data !== 'object') return [];
    const { listed, open, subSchemas } = this.applicable(schema as Record<string, unknown>, data);
    const out: string[] = [];
    if (Array.isArray(data)) {
      data.forEach((item, i) => subSchemas.get('[]')?.forEach((s) => out.push(...this.unlistedProperties(s, item, `${at}/${i}`))));
      return [...new Set(out)];
    }
    for (const [key, value] of Object.entries(data)) {
      const path = `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!open && !listed.has(key)) out.push(path);
      subSchemas.get(key)?.forEach((s) => out.push(...this.unlistedProperties(s, value, path)));
    }
    return [...new Set(out)];
  }

  /** Properties listed by a schema and every branch that applies to the data (allOf, matching anyOf/oneOf). */
  private applicable(schemaIn: Record<string, unknown>, data: unknown) {
    const listed = new Set<string>();
    const subSchemas = new Map<string, unknown[]>();
    let open = false;
    let closedSomewhere = false;
    const add = (key: string, s: unknown) => subSchemas.set(key, [...(subSchemas.get(key) ?? []), s]);
    const visit = (raw: Record<string, unknown>): void => {
      const s = this.resolve(raw);
      if (s.items) add('[]', s.items);
      if (s.properties) {
        closedSomewhere = true;
        for (const [k, sub] of Object.entries(s.properties as object)) {
          listed.add(k);
          add(k, sub);
        }
      }
      if (s.additionalProperties !== undefined && s.additionalProperties !== false) open = true;
      for (const b of asArray(s.allOf)) visit(b as Record<string, unknown>);
      for (const b of [...asArray(s.anyOf), ...asArray(s.oneOf)]) {
        if (this.ajv.validate(b as object, data)) visit(b as Record<string, unknown>);
      }
    };
    visit(schemaIn);
    return { listed, open: open || !closedSomewhere, subSchemas };
  }
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function expectedText(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return `required property "${String(p.missingProperty)}"`;
    case 'type': return `type ${String(p.type)}`;
    case 'enum': return `one of ${JSON.stringify(p.allowedValues)}`;
    case 'format': return `format ${String(p.format)}`;
    case 'additionalProperties': return `no property "${String(p.additionalProperty)}"`;
    default: return `${e.keyword}: ${e.message ?? ''}`.trim();
  }
}

export function formatFinding(f: ContractFinding): string {
  const desc = f.description ? ` (${f.description})` : '';
  return `[${f.check}] ${f.rule}: at ${f.pointer} expected ${f.expected}, got ${f.actual}${desc}`;
}
