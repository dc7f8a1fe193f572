/**
 * A semantic diff of two raw provider documents (OpenAPI 3.0 or 3.1): what changed for a partner's
 * client and for the provider, each change once, with notation that means the same counted and
 * set aside. Used by `nogi-conformance contract diff|update` and by health's drift section.
 *
 * Why our own differ: the maintained JS differs do not fit. api-smart-diff (used here before)
 * reads a 3.1 document as 3.0 (a `type: [..., "null"]` is "type changed", every moved `servers`
 * a change), and reports a schema change once per operation that references it; openapi-diff
 * (Atlassian) reads Swagger 2.0 and OpenAPI 3.0 only; oasdiff, the reference for the rules below,
 * is a Go binary. NoGi's documents are small (8 operations, ~20 schemas), so this module
 * normalises both documents to one notation and compares them itself.
 *
 * The rules (oasdiff's and Specmatic's backward-compatibility rules, stated for both sides):
 * a change is breaking for a CLIENT when a client written against `from` may fail against a
 * provider of `to` (it may now receive something it does not expect, or send something refused);
 * it is breaking for the PROVIDER when a provider written against `from` no longer conforms to
 * `to` (it must now accept, or stop sending, something). Data a client sends (request bodies,
 * parameters) and data it reads (responses) are mirror images: a response enum value added
 * breaks clients, a request enum value added obliges the provider.
 */
import type { Overlay } from './load.ts';

type Node = Record<string, unknown>;
const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export type ChangeKind =
  | 'operation-added' | 'operation-removed'
  | 'security-added' | 'security-removed' | 'security-changed'
  | 'scheme-added' | 'scheme-removed' | 'scheme-changed'
  | 'servers-added' | 'servers-removed'
  | 'status-added' | 'status-removed'
  | 'media-added' | 'media-removed' | 'media-changed'
  | 'body-required' | 'body-optional'
  | 'parameter-added' | 'parameter-required-added' | 'parameter-removed' | 'parameter-required-removed'
  | 'schema-added' | 'schema-removed'
  | 'enum-added' | 'enum-removed' | 'nullable-added' | 'nullable-removed'
  | 'property-added' | 'required-property-added' | 'property-removed' | 'required-property-removed'
  | 'required-added' | 'required-removed' | 'tightened' | 'loosened' | 'changed';

/** Which way data flows where a change is: a client sends requests and reads responses. */
type Flow = 'request' | 'response';

export interface Breaking {
  client: boolean;
  provider: boolean;
}

export interface ContractChange {
  /** `PUT /v1/consent/agreement`, `schema consent_status`, `security scheme OAuth2`. */
  where: string;
  /** Within it: `401`, `400, 403 application/json`, `.scope_of_consent`; empty for the whole. */
  at: string;
  /** What changed, in a few words: `enum value added: debt.unsecured.monitoring`. */
  what: string;
  kind: ChangeKind;
  breaking: Breaking;
  operation?: string;
  operationId?: string;
  schema?: string;
  /** Where in the documents (JSON path segments), to match the errata's targets. */
  pointers: string[][];
  /** The ids of the from-version's errata whose targets this change touches (E5, S1 ...). */
  errata: string[];
}

export interface ContractDiff {
  from: string;
  to: string;
  changes: ContractChange[];
  /** Differences of notation only, ignored: in schemas (3.0 nullable vs 3.1 null types, $ref vs allOf [$ref]) and servers moved between levels. */
  notationOnly: { schemas: number; servers: number };
  addedOperations: string[];
  removedOperations: string[];
}

// ---------------------------------------------------------------------------------------------
// Normalisation: one notation for what 3.0 and 3.1 write differently.

/** Documentation only: never a change. */
const ANNOTATIONS = new Set(['description', 'summary', 'example', 'examples', 'title', 'externalDocs', '$comment', 'deprecated', 'xml']);
/** The rewrites applied to a normalised schema node (compared to count notation-only differences). */
const notations = new WeakMap<object, string>();

const stripped = (s: Node): Node => Object.fromEntries(Object.entries(s).filter(([k]) => !ANNOTATIONS.has(k) && !k.startsWith('x-')));
const isNullSchema = (b: unknown): boolean => isNode(b) && b.type === 'null' && Object.keys(stripped(b)).length === 1;

/** A schema in one notation: nullable as `nullable: true`, single-branch wrappers unwrapped, no annotations. */
function normaliseSchema(input: unknown): unknown {
  if (!isNode(input)) return input;
  const s = stripped(input);
  const applied: string[] = [];
  let nullable = false;
  if ('nullable' in s) {
    if (s.nullable === true) { nullable = true; applied.push('nullable'); }
    delete s.nullable;
  }
  if (Array.isArray(s.type)) {
    const types = (s.type as string[]).filter((t) => t !== 'null').sort();
    if (types.length < s.type.length && types.length > 0) { nullable = true; applied.push('type-null'); }
    s.type = types.length === 0 ? 'null' : types.length === 1 ? types[0] : types;
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = s[key];
    if (!Array.isArray(branches)) continue;
    const rest = branches.filter((b) => !isNullSchema(b));
    if (rest.length < branches.length && rest.length > 0) { nullable = true; applied.push(`${key}-null`); s[key] = rest; }
  }
  if (Array.isArray(s.enum) && s.enum.includes(null)) { nullable = true; applied.push('enum-null'); s.enum = s.enum.filter((v) => v !== null); }
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    // 3.0: a boolean beside minimum/maximum; 3.1: the bound itself.
    if (s[flag] === true && typeof s[bound] === 'number') { s[flag] = s[bound]; delete s[bound]; applied.push(flag); }
    else if (s[flag] === false) delete s[flag];
  }
  // A lone wrapper (allOf [$ref], the oneOf left of [X, null]) is X.
  const keys = Object.keys(s);
  const wrapper = keys.length === 1 && ['allOf', 'oneOf', 'anyOf'].includes(keys[0]!) && (s[keys[0]!] as unknown[]).length === 1 ? keys[0]! : undefined;
  if (wrapper) {
    const inner = normaliseSchema((s[wrapper] as unknown[])[0]);
    if (isNode(inner)) {
      const out: Node = { ...inner };
      if (nullable) out.nullable = true;
      notations.set(out, [...applied, `${wrapper}-single`, notations.get(inner) ?? ''].filter(Boolean).sort().join(','));
      return out;
    }
  }
  for (const key of ['properties', 'patternProperties'] as const) {
    if (isNode(s[key])) s[key] = Object.fromEntries(Object.entries(s[key]).map(([k, v]) => [k, normaliseSchema(v)]));
  }
  for (const key of ['items', 'additionalProperties', 'not'] as const) if (isNode(s[key])) s[key] = normaliseSchema(s[key]);
  for (const key of ['allOf', 'oneOf', 'anyOf', 'prefixItems'] as const) if (Array.isArray(s[key])) s[key] = (s[key] as unknown[]).map(normaliseSchema);
  if (nullable) s.nullable = true;
  notations.set(s, applied.sort().join(','));
  return s;
}

/** Key order never matters; enum and required are sets. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (!isNode(x)) return JSON.stringify(x);
  return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${['enum', 'required'].includes(k) && Array.isArray(x[k]) ? canonical([...(x[k] as unknown[])].map(canonical).sort()) : canonical(x[k])}`).join(',')}}`;
}
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

const refName = (ref: unknown): string | undefined => (typeof ref === 'string' ? ref.split('/').pop() : undefined);
/** A schema in a few words: its component name, or its type. */
function schemaLabel(s: unknown): string {
  if (!isNode(s)) return 'no schema';
  const base = typeof s.$ref === 'string' ? refName(s.$ref)! : `inline ${Array.isArray(s.type) ? s.type.join('|') : String(s.type ?? 'schema')}`;
  return s.nullable ? `${base} or null` : base;
}

// ---------------------------------------------------------------------------------------------
// Who a kind of change breaks.

type Who = 'client' | 'provider' | 'both' | 'none';
const mirrored: Partial<Record<ChangeKind, { request: Who; response: Who }>> = {
  'enum-added': { request: 'provider', response: 'client' },
  'enum-removed': { request: 'client', response: 'provider' },
  'nullable-added': { request: 'provider', response: 'client' },
  'nullable-removed': { request: 'client', response: 'provider' },
  'property-added': { request: 'none', response: 'none' },
  'required-property-added': { request: 'client', response: 'provider' },
  'property-removed': { request: 'none', response: 'none' },
  'required-property-removed': { request: 'provider', response: 'client' },
  'required-added': { request: 'client', response: 'provider' },
  'required-removed': { request: 'provider', response: 'client' },
  'tightened': { request: 'client', response: 'provider' },
  'loosened': { request: 'provider', response: 'client' },
  'media-added': { request: 'provider', response: 'client' },
  'media-removed': { request: 'client', response: 'provider' },
  'schema-added': { request: 'none', response: 'none' },
  'schema-removed': { request: 'none', response: 'none' },
};
const fixed: Partial<Record<ChangeKind, Who>> = {
  'operation-added': 'provider', 'operation-removed': 'client',
  'security-added': 'client', 'security-changed': 'client', 'security-removed': 'provider',
  'scheme-changed': 'client', 'scheme-removed': 'client',
  'servers-added': 'none', 'servers-removed': 'client',
  'status-added': 'none', 'status-removed': 'client',
  'media-changed': 'both', 'changed': 'both',
  'body-required': 'client', 'body-optional': 'provider',
  'parameter-added': 'none', 'parameter-required-added': 'client', 'parameter-removed': 'none', 'parameter-required-removed': 'provider',
};

/** Breaking for whom, where the data flows one way or both (a schema used in requests and responses). */
function classify(kind: ChangeKind, flows: ReadonlySet<Flow>): Breaking {
  const whos: Who[] = fixed[kind] ? [fixed[kind]] : [...flows].map((f) => mirrored[kind]?.[f] ?? 'both');
  return { client: whos.some((w) => w === 'client' || w === 'both'), provider: whos.some((w) => w === 'provider' || w === 'both') };
}

// ---------------------------------------------------------------------------------------------
// The documents.

interface Operation {
  key: string;
  path: string;
  method: string;
  op: Node;
  servers: string[];
  serversDeclaredAt: 'document' | 'path' | 'operation' | 'none';
}

function resolveRef(doc: Node, x: unknown): unknown {
  if (!isNode(x) || typeof x.$ref !== 'string' || !x.$ref.startsWith('#/') || x.$ref.startsWith('#/components/schemas/')) return x;
  let at: unknown = doc;
  for (const seg of x.$ref.slice(2).split('/')) at = isNode(at) ? at[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  return at ?? x;
}

/** A server list as concrete URLs: every value of every variable (its enum, else its default). */
function serverUrls(servers: unknown): string[] {
  if (!Array.isArray(servers)) return [];
  const urls = new Set<string>();
  for (const server of servers.filter(isNode)) {
    let expanded = [String(server.url ?? '')];
    for (const [name, v] of Object.entries(isNode(server.variables) ? server.variables : {})) {
      const values = isNode(v) ? (Array.isArray(v.enum) ? v.enum.map(String) : [String(v.default)]) : [];
      expanded = expanded.flatMap((u) => values.map((value) => u.split(`{${name}}`).join(value)));
    }
    for (const u of expanded) urls.add(u.replace(/\/$/, ''));
  }
  return [...urls].sort();
}

function operations(doc: Node): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, raw] of Object.entries(isNode(doc.paths) ? doc.paths : {})) {
    const item = resolveRef(doc, raw);
    if (!isNode(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isNode(op)) continue;
      const [servers, at] = op.servers ? [op.servers, 'operation'] as const : item.servers ? [item.servers, 'path'] as const : doc.servers ? [doc.servers, 'document'] as const : [undefined, 'none'] as const;
      const key = `${method.toUpperCase()} ${path}`;
      out.set(key, { key, path, method, op: { ...op, parameters: [...(Array.isArray(item.parameters) ? item.parameters : []), ...(Array.isArray(op.parameters) ? op.parameters : [])] }, servers: serverUrls(servers), serversDeclaredAt: at });
    }
  }
  return out;
}

/** The component schemas each operation's requests and responses reach, transitively. */
function schemaFlows(doc: Node, ops: Map<string, Operation>, into: Map<string, Set<Flow>>, opsOf: Map<string, Set<string>>): void {
  const schemas = isNode(doc.components) && isNode(doc.components.schemas) ? doc.components.schemas : {};
  const visit = (x: unknown, flow: Flow, op: string, seen: Set<string>): void => {
    if (Array.isArray(x)) return x.forEach((v) => visit(v, flow, op, seen));
    if (!isNode(x)) return;
    const name = typeof x.$ref === 'string' && x.$ref.startsWith('#/components/schemas/') ? refName(x.$ref) : undefined;
    if (name && !seen.has(name)) {
      seen.add(name);
      into.set(name, new Set([...(into.get(name) ?? []), flow]));
      opsOf.set(name, new Set([...(opsOf.get(name) ?? []), op]));
      visit(schemas[name], flow, op, seen);
    }
    for (const [k, v] of Object.entries(x)) if (k !== '$ref' && !ANNOTATIONS.has(k)) visit(resolveRef(doc, v), flow, op, seen);
  };
  for (const o of ops.values()) {
    const id = typeof o.op.operationId === 'string' ? o.op.operationId : o.key;
    visit([resolveRef(doc, o.op.requestBody), ...(o.op.parameters as unknown[]).map((p) => resolveRef(doc, p))], 'request', id, new Set());
    visit(Object.values(isNode(o.op.responses) ? o.op.responses : {}).map((r) => resolveRef(doc, r)), 'response', id, new Set());
  }
}

// ---------------------------------------------------------------------------------------------
// The diff.

interface Context {
  changes: ContractChange[];
  notation: { schemas: number; servers: number };
}
interface Place {
  where: string;
  at: string;
  flows: ReadonlySet<Flow>;
  pointer: string[];
  operation?: string;
  operationId?: string;
  schema?: string;
}

function push(ctx: Context, place: Place, kind: ChangeKind, what: string, pointers: string[][] = [place.pointer]): void {
  ctx.changes.push({
    where: place.where, at: place.at, what, kind, breaking: classify(kind, place.flows), pointers, errata: [],
    ...(place.operation ? { operation: place.operation } : {}), ...(place.operationId ? { operationId: place.operationId } : {}), ...(place.schema ? { schema: place.schema } : {}),
  });
}
const deeper = (place: Place, at: string, ...segments: string[]): Place => ({ ...place, at: place.at + at, pointer: [...place.pointer, ...segments] });
const list = (values: unknown[]): string => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

const STRUCTURAL = new Set(['$ref', 'type', 'nullable', 'enum', 'required', 'properties', 'items', 'additionalProperties', 'allOf', 'oneOf', 'anyOf', 'not', 'prefixItems', 'patternProperties']);
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties']);

/** Two normalised schemas, node by node. */
function diffSchema(a: unknown, b: unknown, place: Place, ctx: Context): void {
  if (!isNode(a) || !isNode(b)) {
    if (!same(a, b)) push(ctx, place, 'changed', `schema ${schemaLabel(a)} → ${schemaLabel(b)}`);
    return;
  }
  // Only where the notation differs and the meaning does not (a null added in 3.1 notation is a change).
  if ((notations.get(a) ?? '') !== (notations.get(b) ?? '') && a.nullable === b.nullable) ctx.notation.schemas++;
  if (a.nullable !== b.nullable) push(ctx, place, b.nullable ? 'nullable-added' : 'nullable-removed', b.nullable ? 'now nullable' : 'no longer nullable');
  if (a.$ref !== undefined || b.$ref !== undefined) {
    // A named schema is compared once, under its own name; here only which one is meant.
    if (a.$ref !== b.$ref) push(ctx, place, 'changed', `schema ${schemaLabel({ ...a, nullable: false })} → ${schemaLabel({ ...b, nullable: false })}`);
    return;
  }
  if (!same(a.type, b.type)) {
    push(ctx, place, 'changed', `type ${JSON.stringify(a.type ?? 'any')} → ${JSON.stringify(b.type ?? 'any')}`);
    return;
  }
  if (Array.isArray(a.enum) || Array.isArray(b.enum)) {
    const before = (a.enum as unknown[] | undefined) ?? [];
    const after = (b.enum as unknown[] | undefined) ?? [];
    const added = after.filter((v) => !before.some((w) => same(v, w)));
    const removed = before.filter((v) => !after.some((w) => same(v, w)));
    if (!a.enum) push(ctx, place, 'tightened', `enum added: ${list(after)}`);
    else if (!b.enum) push(ctx, place, 'loosened', `enum removed (was ${list(before)})`);
    else {
      if (added.length) push(ctx, place, 'enum-added', `enum value${added.length > 1 ? 's' : ''} added: ${list(added)}`);
      if (removed.length) push(ctx, place, 'enum-removed', `enum value${removed.length > 1 ? 's' : ''} removed: ${list(removed)}`);
    }
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (STRUCTURAL.has(key) || same(a[key], b[key])) continue;
    const [x, y] = [a[key], b[key]];
    const bound = LOWER_BOUNDS.has(key) ? 1 : UPPER_BOUNDS.has(key) ? -1 : 0;
    const tighter = bound !== 0 && (x === undefined || (typeof x === 'number' && typeof y === 'number' && (y - x) * bound > 0));
    const looser = bound !== 0 && (y === undefined || (typeof x === 'number' && typeof y === 'number' && (y - x) * bound < 0));
    const kind: ChangeKind = tighter ? 'tightened' : looser ? 'loosened' : 'changed';
    push(ctx, deeper(place, '', key), kind, `${key} ${x === undefined ? 'added' : JSON.stringify(x)}${y === undefined ? ' removed' : ` → ${JSON.stringify(y)}`}`);
  }
  const reqA = new Set((a.required as string[] | undefined) ?? []);
  const reqB = new Set((b.required as string[] | undefined) ?? []);
  const propsA = isNode(a.properties) ? a.properties : {};
  const propsB = isNode(b.properties) ? b.properties : {};
  for (const name of new Set([...Object.keys(propsA), ...Object.keys(propsB)])) {
    const inner = deeper(place, `.${name}`, 'properties', name);
    if (!(name in propsA)) push(ctx, inner, reqB.has(name) ? 'required-property-added' : 'property-added', `${reqB.has(name) ? 'required ' : ''}property added`);
    else if (!(name in propsB)) push(ctx, inner, reqA.has(name) ? 'required-property-removed' : 'property-removed', `${reqA.has(name) ? 'required ' : ''}property removed`);
    else {
      if (!reqA.has(name) && reqB.has(name)) push(ctx, inner, 'required-added', 'now required');
      if (reqA.has(name) && !reqB.has(name)) push(ctx, inner, 'required-removed', 'no longer required');
      diffSchema(propsA[name], propsB[name], inner, ctx);
    }
  }
  // Required names without a property of their own (allOf siblings): listed as such.
  for (const name of reqB) if (!reqA.has(name) && !(name in propsB)) push(ctx, deeper(place, `.${name}`, 'required'), 'required-added', 'now required');
  for (const name of reqA) if (!reqB.has(name) && !(name in propsA)) push(ctx, deeper(place, `.${name}`, 'required'), 'required-removed', 'no longer required');
  for (const key of ['items', 'additionalProperties', 'not'] as const) {
    if (a[key] === undefined && b[key] === undefined) continue;
    const inner = deeper(place, key === 'items' ? '[]' : `.<${key}>`, key);
    if (isNode(a[key]) && isNode(b[key])) diffSchema(a[key], b[key], inner, ctx);
    else if (!same(a[key], b[key])) push(ctx, inner, key === 'additionalProperties' && b[key] === false ? 'tightened' : 'changed', `${key} ${JSON.stringify(a[key] ?? 'absent')} → ${JSON.stringify(b[key] ?? 'absent')}`);
  }
  for (const key of ['allOf', 'oneOf', 'anyOf', 'prefixItems'] as const) {
    const x = (a[key] as unknown[] | undefined) ?? [];
    const y = (b[key] as unknown[] | undefined) ?? [];
    if (x.length === y.length) { x.forEach((branch, i) => diffSchema(branch, y[i], deeper(place, `.${key}[${i}]`, key, String(i)), ctx)); continue; }
    const added = y.filter((v) => !x.some((w) => same(v, w)));
    const removed = x.filter((v) => !y.some((w) => same(v, w)));
    const widens = key !== 'allOf';
    if (added.length) push(ctx, deeper(place, `.${key}`, key), widens ? 'loosened' : 'tightened', `${key} branch added: ${added.map(schemaLabel).join(', ')}`);
    if (removed.length) push(ctx, deeper(place, `.${key}`, key), widens ? 'tightened' : 'loosened', `${key} branch removed: ${removed.map(schemaLabel).join(', ')}`);
  }
}

/** A media type map (content) of a request body or a response. */
function diffContent(a: unknown, b: unknown, place: Place, ctx: Context): void {
  const ca = isNode(a) ? a : {};
  const cb = isNode(b) ? b : {};
  const gone = Object.keys(ca).filter((m) => !(m in cb));
  const added = Object.keys(cb).filter((m) => !(m in ca));
  const schemaOf = (c: Node, m: string): unknown => normaliseSchema(isNode(c[m]) ? (c[m] as Node).schema : undefined);
  const describe = (c: Node, ms: string[]) => ms.map((m) => `${m} (${schemaLabel(schemaOf(c, m))})`).join(', ');
  if (gone.length === 1 && added.length === 1) {
    push(ctx, place, 'media-changed', `${describe(ca, gone)} → ${describe(cb, added)}`, [[...place.pointer, 'content', gone[0]!], [...place.pointer, 'content', added[0]!]]);
  } else {
    const [body, none] = [!Object.keys(ca).length, gone.length === Object.keys(ca).length && !Object.keys(cb).length];
    if (added.length) push(ctx, place, 'media-added', `${body ? 'body' : 'content type'} added: ${describe(cb, added)}`);
    if (gone.length) push(ctx, place, 'media-removed', `${none ? 'body' : 'content type'} removed: ${describe(ca, gone)}`);
  }
  for (const m of Object.keys(ca).filter((k) => k in cb)) diffSchema(schemaOf(ca, m), schemaOf(cb, m), deeper(place, ` ${m}`, 'content', m, 'schema'), ctx);
}

/** Security requirements as sorted text: `OAuth2 [consent.create]`. */
function requirements(security: unknown): string[] {
  if (!Array.isArray(security)) return [];
  return security.filter(isNode).map((req) => Object.entries(req).map(([name, scopes]) => `${name} [${(Array.isArray(scopes) ? scopes : []).slice().sort().join(', ')}]`).sort().join(' + ') || '(none)').sort();
}

function diffOperation(from: Node, to: Node, a: Operation, b: Operation, ctx: Context): void {
  const operationId = String(b.op.operationId ?? a.op.operationId ?? '');
  const place: Place = { where: a.key, at: '', flows: new Set(), pointer: ['paths', a.path, a.method], operation: a.key, ...(operationId ? { operationId } : {}) };
  if (same(a.servers, b.servers)) { if (a.serversDeclaredAt !== b.serversDeclaredAt) ctx.notation.servers++; }
  else {
    const added = b.servers.filter((u) => !a.servers.includes(u));
    const removed = a.servers.filter((u) => !b.servers.includes(u));
    if (added.length) push(ctx, deeper(place, 'servers', 'servers'), 'servers-added', `servers added: ${added.join(', ')}`);
    if (removed.length) push(ctx, deeper(place, 'servers', 'servers'), 'servers-removed', `servers removed: ${removed.join(', ')}`);
  }
  const secA = requirements(a.op.security ?? from.security);
  const secB = requirements(b.op.security ?? to.security);
  if (!same(secA, secB)) {
    const sec = deeper(place, '', 'security');
    if (!secB.length) push(ctx, sec, 'security-removed', `security requirement removed (was ${secA.join(' or ')})`);
    else if (!secA.length) push(ctx, sec, 'security-added', `security requirement added: ${secB.join(' or ')}`);
    else push(ctx, sec, 'security-changed', `security ${secA.join(' or ')} → ${secB.join(' or ')}`);
  }
  // Parameters, by where and name.
  const params = (o: Operation, doc: Node) => new Map((o.op.parameters as unknown[]).map((p) => resolveRef(doc, p)).filter(isNode).map((p) => [`${String(p.in)} ${String(p.name)}`, p]));
  const pa = params(a, from);
  const pb = params(b, to);
  const request: Place = { ...place, flows: new Set<Flow>(['request']) };
  for (const key of new Set([...pa.keys(), ...pb.keys()])) {
    const [x, y] = [pa.get(key), pb.get(key)];
    const inner = deeper(request, `parameter ${key}`, 'parameters');
    if (!x) push(ctx, inner, y!.required ? 'parameter-required-added' : 'parameter-added', `${y!.required ? 'required ' : ''}parameter added`);
    else if (!y) push(ctx, inner, x.required ? 'parameter-required-removed' : 'parameter-removed', `${x.required ? 'required ' : ''}parameter removed`);
    else {
      if (!x.required && y.required) push(ctx, inner, 'parameter-required-added', 'now required');
      if (x.required && !y.required) push(ctx, inner, 'parameter-required-removed', 'no longer required');
      diffSchema(normaliseSchema(x.schema), normaliseSchema(y.schema), inner, ctx);
    }
  }
  const ba = resolveRef(from, a.op.requestBody);
  const bb = resolveRef(to, b.op.requestBody);
  if (ba !== undefined || bb !== undefined) {
    const body = deeper(request, 'request body', 'requestBody');
    const [ra, rb] = [isNode(ba) && ba.required === true, isNode(bb) && bb.required === true];
    if (!ra && rb) push(ctx, body, 'body-required', 'now required');
    if (ra && !rb) push(ctx, body, 'body-optional', 'no longer required');
    diffContent(isNode(ba) ? ba.content : undefined, isNode(bb) ? bb.content : undefined, body, ctx);
  }
  const resA = isNode(a.op.responses) ? a.op.responses : {};
  const resB = isNode(b.op.responses) ? b.op.responses : {};
  const response: Place = { ...place, flows: new Set<Flow>(['response']) };
  for (const status of new Set([...Object.keys(resA), ...Object.keys(resB)])) {
    const inner = deeper(response, status, 'responses', status);
    const [x, y] = [resolveRef(from, resA[status]), resolveRef(to, resB[status])];
    if (x === undefined) push(ctx, inner, 'status-added', 'response added');
    else if (y === undefined) push(ctx, inner, 'status-removed', 'response removed');
    else diffContent(isNode(x) ? x.content : undefined, isNode(y) ? y.content : undefined, inner, ctx);
  }
}

const schemeShape = (s: unknown): unknown => (isNode(s) ? stripped({ ...s, flows: isNode(s.flows) ? Object.fromEntries(Object.entries(s.flows).map(([k, f]) => [k, isNode(f) ? { ...f, scopes: Object.keys(isNode(f.scopes) ? f.scopes : {}).sort() } : f])) : s.flows }) : s);

/** The changes from one raw provider document to another; `errata`: the from-version's, to say which changes touch them. */
export function diffContracts(from: object, to: object, options: { errata?: Overlay } = {}): ContractDiff {
  const [docA, docB] = [from as Node, to as Node];
  const ctx: Context = { changes: [], notation: { schemas: 0, servers: 0 } };
  const [opsA, opsB] = [operations(docA), operations(docB)];
  const flows = new Map<string, Set<Flow>>();
  const opsOf = new Map<string, Set<string>>();
  schemaFlows(docA, opsA, flows, opsOf);
  schemaFlows(docB, opsB, flows, opsOf);
  const added: string[] = [];
  const removed: string[] = [];
  for (const key of new Set([...opsA.keys(), ...opsB.keys()])) {
    const [a, b] = [opsA.get(key), opsB.get(key)];
    const o = (a ?? b)!;
    const operationId = typeof o.op.operationId === 'string' ? o.op.operationId : undefined;
    const place: Place = { where: key, at: '', flows: new Set(), pointer: ['paths', o.path, o.method], operation: key, ...(operationId ? { operationId } : {}) };
    if (!a) { added.push(key); push(ctx, place, 'operation-added', `operation added${operationId ? ` (${operationId})` : ''}`); }
    else if (!b) { removed.push(key); push(ctx, place, 'operation-removed', `operation removed${operationId ? ` (${operationId})` : ''}`); }
    else diffOperation(docA, docB, a, b, ctx);
  }
  // Component schemas by name: each change once, however many operations reach it.
  const schemas = (d: Node): Node => (isNode(d.components) && isNode(d.components.schemas) ? d.components.schemas : {});
  const [sa, sb] = [schemas(docA), schemas(docB)];
  for (const name of new Set([...Object.keys(sa), ...Object.keys(sb)])) {
    const used = flows.get(name) ?? new Set<Flow>();
    const place: Place = { where: `schema ${name}`, at: '', flows: used, pointer: ['components', 'schemas', name], schema: name };
    if (!(name in sa)) push(ctx, place, 'schema-added', 'schema added');
    else if (!(name in sb)) push(ctx, place, 'schema-removed', 'schema removed');
    else diffSchema(normaliseSchema(sa[name]), normaliseSchema(sb[name]), place, ctx);
  }
  // Security schemes by name.
  const schemes = (d: Node): Node => (isNode(d.components) && isNode(d.components.securitySchemes) ? d.components.securitySchemes : {});
  const [ka, kb] = [schemes(docA), schemes(docB)];
  const usedSchemes = (ops: Map<string, Operation>, d: Node) => new Set([...ops.values()].flatMap((o) => (Array.isArray(o.op.security ?? d.security) ? ((o.op.security ?? d.security) as unknown[]) : []).filter(isNode).flatMap((r) => Object.keys(r))));
  const [useA, useB] = [usedSchemes(opsA, docA), usedSchemes(opsB, docB)];
  for (const name of new Set([...Object.keys(ka), ...Object.keys(kb)])) {
    const place: Place = { where: `security scheme ${name}`, at: '', flows: new Set(), pointer: ['components', 'securitySchemes', name] };
    const shape = (s: unknown) => { const n = schemeShape(s); return isNode(n) ? `${String(n.type)}${n.scheme ? ` ${String(n.scheme)}` : ''}${isNode(n.flows) ? ` ${Object.entries(n.flows).map(([f, v]) => `${f} [${isNode(v) ? (v.scopes as string[]).join(', ') : ''}]`).join(' ')}` : ''}` : 'none'; };
    if (!(name in ka)) {
      const kind: ChangeKind = useB.has(name) ? 'scheme-changed' : 'scheme-added';
      push(ctx, place, kind, `scheme added: ${shape(kb[name])}${useB.has(name) ? '' : ' (no operation uses it)'}`);
    } else if (!(name in kb)) push(ctx, place, useA.has(name) ? 'scheme-removed' : 'scheme-added', `scheme removed (was ${shape(ka[name])})`);
    else if (!same(schemeShape(ka[name]), schemeShape(kb[name]))) push(ctx, place, 'scheme-changed', `${shape(ka[name])} → ${shape(kb[name])}`);
  }
  const changes = mergeStatuses(ctx.changes);
  if (options.errata) markErrata(changes, options.errata);
  return { from: String(docA.openapi ?? '?'), to: String(docB.openapi ?? '?'), changes, notationOnly: ctx.notation, addedOperations: added.sort(), removedOperations: removed.sort() };
}

/** The same change under several statuses of one operation is one change: `400, 403 content ...`. */
function mergeStatuses(changes: ContractChange[]): ContractChange[] {
  const out: ContractChange[] = [];
  const byKey = new Map<string, ContractChange>();
  for (const c of changes) {
    const m = /^(\d{3}|default)(.*)$/.exec(c.at);
    if (!m || !c.operation) { out.push(c); continue; }
    const key = `${c.where}|${m[2]}|${c.what}|${c.kind}`;
    const prior = byKey.get(key);
    if (prior) { prior.at = prior.at.replace(/^([\d, ]+|default)(?=\D|$)/, (s) => `${s.trimEnd()}, ${m[1]}`); prior.pointers.push(...c.pointers); continue; }
    byKey.set(key, c);
    out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Which errata a change touches: the paths an overlay action targets or writes, or the schemas it refers to.

type Pattern = Array<string[] | '*'>;
/** `$.paths['/a','/b'].get.responses[?(...)]` as segments; a filter matches anything. */
function targetSegments(target: string): Pattern {
  const out: Pattern = [];
  const re = /\.([A-Za-z0-9_$-]+)|\[\?\((?:[^()]|\([^()]*\))*\)\]|\[([^\]]+)\]|\.\*|\[\*\]/g;
  for (const m of target.replace(/^\$/, '').matchAll(re)) {
    if (m[1] !== undefined) out.push([m[1]]);
    else if (m[2] !== undefined && !m[0].startsWith('[?')) out.push(m[2].split(',').map((s) => s.trim().replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1')));
    else out.push('*');
  }
  return out;
}

/** Is one path a prefix of the other (a change inside what an erratum targets, or an erratum inside a change)? */
const overlaps = (pattern: Pattern, path: string[]): boolean => pattern.slice(0, path.length).every((seg, i) => seg === '*' || seg.includes(path[i]!));

function markErrata(changes: ContractChange[], overlay: Overlay): void {
  for (const [i, action] of overlay.actions.entries()) {
    const id = /^\s*([A-Z]\d+[a-z]?)\./.exec(action.description)?.[1]?.replace(/[a-z]$/, '') ?? `#${i + 1}`;
    const base = targetSegments(action.target);
    // An update writes its keys under the target; a whole-object target would otherwise touch every sibling.
    const patterns: Pattern[] = isNode(action.update) ? Object.keys(action.update).map((k) => [...base, [k]]) : [base];
    const refs = new Set<string>();
    JSON.stringify(action.update ?? null, (k, v: unknown) => { if (k === '$ref' && typeof v === 'string') refs.add(v); return v; });
    // A schema the erratum refers to touches it when the schema itself goes or comes, not when it changes inside.
    const referred = [...refs].map((ref) => ref.replace(/^#\//, '').split('/').join('/'));
    for (const change of changes) {
      if (change.errata.includes(id)) continue;
      if (change.pointers.some((p) => patterns.some((pattern) => overlaps(pattern, p)) || referred.includes(p.join('/')))) change.errata.push(id);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The summary people read: one screen, grouped by who must act.

export function changeLine(c: ContractChange): string {
  const where = c.at ? `${c.where}${c.at.startsWith('.') || c.at.startsWith('[') ? '' : ' '}${c.at}` : c.where;
  return `${where}: ${c.what}${c.errata.length ? `  [errata ${c.errata.join(', ')}]` : ''}`;
}

/** The diff as lines: a headline, then the changes grouped by who must act, each once. */
export function diffSummary(diff: ContractDiff, labels: { from: string; to: string }): string[] {
  const client = diff.changes.filter((c) => c.breaking.client);
  const both = client.filter((c) => c.breaking.provider);
  const provider = diff.changes.filter((c) => !c.breaking.client && c.breaking.provider);
  const rest = diff.changes.filter((c) => !c.breaking.client && !c.breaking.provider);
  const errataOnly = rest.filter((c) => c.errata.length);
  const info = rest.filter((c) => !c.errata.length);
  const { schemas, servers } = diff.notationOnly;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `Contract diff ${labels.from} (OpenAPI ${diff.from}) → ${labels.to} (OpenAPI ${diff.to}): ${plural(diff.changes.length, 'change')}, ` +
      `${client.length} breaking for clients, ${diff.changes.filter((c) => c.breaking.provider).length} for the provider.`,
    `${plural(schemas + servers, 'notation-only difference')} ignored${schemas + servers ? ` (${schemas} in schemas: null types, $ref wrappers; ${servers} server lists moved between levels)` : ''}.`,
  ];
  if (!diff.changes.length) return [...lines, 'No semantic change.'];
  const section = (title: string, cs: ContractChange[]) => {
    if (cs.length) lines.push('', `${title} (${cs.length}):`, ...cs.map((c) => `  - ${changeLine(c)}`));
  };
  section("The partner's client and the provider must act (breaking for both)", both);
  section("The partner's client must act (breaking for a client)", client.filter((c) => !c.breaking.provider));
  section('The provider must act (breaking for a provider)', provider);
  section('Our errata (no one else must act; an erratum targets it)', errataOnly);
  section('Not breaking', info);
  const touched = [...new Set(diff.changes.flatMap((c) => c.errata))];
  if (touched.length) lines.push('', `Our errata: ${touched.join(', ')} of ${labels.from} target what changed: review each (does the defect remain, moved, or fixed?).`);
  return lines;
}
