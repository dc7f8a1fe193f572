/**
 * openapi-backend's router, with the work it repeats on every request done once at start.
 * openapi-backend stays the API host's router, validator and dispatcher; only three of its
 * router's methods are replaced on the instance, each by one that answers exactly as the original
 * (openapi-backend 5.20, router.js) for a definition that no longer changes after init():
 *   - getOperations() rebuilt the list of operations from the definition (lodash chains) on every
 *     call, and it is called for every request, several times: now built once;
 *   - matchOperation() compiled a regular expression per operation and sorted the matches per
 *     request: now the same patterns, compiled once, in the same (stable) order;
 *   - parseRequest() compiled the operation's path template (bath) on each call, three times a
 *     request: now once per template, and the parameters are read as bath reads them. A request
 *     with cookies, or a query or body that is not what the API host hands over, takes the
 *     original code;
 *   - normalizePath() compiled a regular expression for the API root on each call: now once;
 *     normalizeRequest() is the same, without splitting a path that has no query;
 *   - the validator's validateRequest() (validation.js), given the matched operation as
 *     handleRequest gives it: the same steps and the same precompiled Ajv validators, without
 *     lodash's generic helpers around them.
 */
import type { OpenAPIBackend, Operation, ParsedRequest, Request as BackendRequest, ValidationResult } from 'openapi-backend';

type Params = (pathname: string) => Record<string, string> | null;

/**
 * bath-es5's params(template) (openapi-backend's path-template parser), without its intermediate
 * arrays: the template's `{name}`s become `([^\/]*)` groups, each value is percent-decoded, and
 * a name given twice with different values is no match.
 */
function templateParams(template: string): Params {
  const names = (template.match(/\{[A-Za-z0-9_-]+\}/g) ?? []).map((x) => x.substring(1, x.length - 1));
  const pattern = new RegExp(`^${template.replace(/\{[A-Za-z0-9_-]+\}/g, '([^\\/]*)')}$`);
  return (pathname) => {
    const m = pattern.exec(pathname);
    if (m === null) return null;
    const values = names.map((_, i) => decodeURIComponent(m[i + 1]!));
    const out: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      if (names.some((n, j) => n === names[i] && values[j] !== values[i])) return null;
      out[names[i]!] = values[i]!;
    }
    return out;
  };
}

interface Route {
  operation: Operation;
  pattern: RegExp;
}

/** The only values node:querystring gives: a string, or an array of strings. */
function plainQuery(q: unknown): q is Record<string, string | string[]> {
  if (typeof q !== 'object' || q === null) return false;
  for (const k in q) {
    const v = (q as Record<string, unknown>)[k];
    if (typeof v !== 'string' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) return false;
  }
  return true;
}

export function precompileRouter(api: OpenAPIBackend): void {
  const router = api.router;
  const operations = router.getOperations();
  router.getOperations = () => operations;
  const byId = new Map(operations.map((o) => [o.operationId, o]));
  router.getOperation = (operationId: string) => byId.get(operationId);

  // router.js: `^${path.replace(/\{.*?\}/g, '[^/]+')}$`, matches ordered by the length of the
  // path without its parameters, longest first (lodash orderBy is stable: a stable sort here).
  const routes: Route[] = operations
    .map((operation) => ({ operation, pattern: new RegExp(`^${operation.path.replace(/\{.*?\}/g, '[^/]+')}$`) }))
    .sort((a, b) => b.operation.path.replace(/\{.*?\}/g, '').length - a.operation.path.replace(/\{.*?\}/g, '').length);
  const exact = new Map<string, Operation>();
  for (const o of [...operations].reverse()) exact.set(`${o.method} ${o.path}`, o);

  // router.js's normalizeRequest and normalizePath, the API root's expression compiled once.
  const root = new RegExp(`^${router.apiRoot}/?`);
  const trimSlashes = (router as unknown as { ignoreTrailingSlashes: boolean }).ignoreTrailingSlashes;
  router.normalizePath = (pathInput: string): string => {
    let path = pathInput.trim();
    if (path.startsWith(router.apiRoot)) path = path.replace(root, '/');
    while (trimSlashes && path.length > 1 && path.endsWith('/')) path = path.substr(0, path.length - 1);
    return path;
  };
  const normalize = (req: BackendRequest): { path: string; method: string } => {
    let path = req.path?.trim() || '';
    if (!path.startsWith('/')) path = `/${path}`;
    const q = path.indexOf('?');
    if (q >= 0) path = path.slice(0, q);
    return { path, method: req.method.trim().toLowerCase() };
  };
  router.normalizeRequest = (req: BackendRequest): BackendRequest => ({ ...req, ...normalize(req) });

  const notFound = '404-notFound: no route matches request';
  const notAllowed = '405-methodNotAllowed: this method is not registered for the route';
  router.matchOperation = ((req: BackendRequest, strict?: boolean) => {
    const { path, method } = normalize(req);
    let why = notFound;
    if (path.startsWith(router.apiRoot)) {
      const normalized = router.normalizePath(path);
      const hit = exact.get(`${method} ${normalized}`);
      if (hit) return hit;
      for (const r of routes) {
        if (!r.pattern.test(normalized)) continue;
        why = notAllowed;
        if (r.operation.method === method) return r.operation;
      }
    }
    if (strict) throw Error(why);
    return undefined;
  }) as typeof router.matchOperation;

  const original = router.parseRequest.bind(router);
  const templates = new Map<string, Params>();
  const paramsOf = (template: string): Params => {
    let p = templates.get(template);
    if (!p) templates.set(template, (p = templateParams(template)));
    return p;
  };
  router.parseRequest = (req: BackendRequest, operation?: Operation): ParsedRequest => {
    const raw = req.headers ?? {};
    if (raw.cookie !== undefined || (req.body !== undefined && req.body !== null && typeof req.body !== 'object') || !plainQuery(req.query)) {
      return original(req, operation);
    }
    const headers: Record<string, string | string[]> = {};
    for (const k in raw) headers[k.toLowerCase()] = raw[k]!;
    const query = Object.create(Object.getPrototypeOf(req.query)) as Record<string, string | string[]>;
    for (const k in req.query) {
      const v = req.query[k]!;
      query[k] = Array.isArray(v) ? [...v] : v;
    }
    const { path, method } = normalize(req);
    let params: Record<string, string> = {};
    if (operation) {
      for (const name in query) {
        if (!query[name]) continue;
        const parameter = operation.parameters?.find((p) => !('$ref' in p) && p?.in === 'query' && p?.name === name) as
          | { content?: Record<string, unknown>; explode?: boolean }
          | undefined;
        // Parameters with content, or explode: false, are parsed as router.js does it.
        if (parameter && (parameter.content?.['application/json'] || parameter.explode === false)) return original(req, operation);
      }
      params = paramsOf(operation.path)(router.normalizePath(path)) ?? {};
    }
    // { ...req, path, method, params, headers, query, cookies, requestBody } as router.js builds
    // it, but written out: a spread followed by new keys is a slow path of V8 (µs per call).
    const out: Record<string, unknown> = { method, path, query, headers, body: req.body, params, cookies: {}, requestBody: req.body };
    for (const k of Object.keys(req)) if (!(k in out)) out[k] = (req as unknown as Record<string, unknown>)[k];
    return out as unknown as ParsedRequest;
  };

  const validator = api.validator;
  if (!validator) return;
  const validateOriginal = validator.validateRequest.bind(validator);
  /** _.find(operation.parameters, { name, in: 'query' }), per operation and name. */
  const queryParameters = new Map<Operation, Map<string, { schema?: { type?: unknown } }>>();
  const queryParameter = (operation: Operation, name: string) => {
    let byName = queryParameters.get(operation);
    if (!byName) {
      byName = new Map();
      for (const p of (operation.parameters ?? []) as { name?: string; in?: string; schema?: { type?: unknown } }[]) {
        if (p?.in === 'query' && typeof p.name === 'string' && !byName.has(p.name)) byName.set(p.name, p);
      }
      queryParameters.set(operation, byName);
    }
    return byName.get(name);
  };
  validator.validateRequest = (req: BackendRequest, operation?: Operation | string): ValidationResult => {
    if (!operation || typeof operation === 'string' || !operation.operationId) return validateOriginal(req, operation);
    const result: ValidationResult = { valid: true, coerced: { ...req }, errors: [] };
    const errors: NonNullable<ValidationResult['errors']> = [];
    const validators = validator.getRequestValidatorsForOperation(operation.operationId) || [];
    const { params, query, headers, cookies, requestBody } = router.parseRequest(req, operation);
    if (query) {
      for (const name of Object.keys(query)) {
        const value = (query as Record<string, unknown>)[name];
        if (typeof value === 'string' && queryParameter(operation, name)?.schema?.type === 'array') (query as Record<string, unknown>)[name] = [value];
      }
    }
    // _.omitBy({ path, query, header, cookie }, _.isNil)
    const parameters: Record<string, unknown> = {};
    for (const [k, v] of [['path', params], ['query', query], ['header', headers], ['cookie', cookies]] as const) if (v !== null && v !== undefined) parameters[k] = v;
    if (typeof req.body !== 'object' && req.body !== undefined) {
      const formats = Object.keys((operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content ?? {});
      if (formats.length === 1 && formats[0] === 'application/json') {
        try {
          JSON.parse(`${req.body}`);
        } catch (err) {
          if (err instanceof Error) errors.push({ keyword: 'parse', instancePath: '', schemaPath: '#/requestBody', params: [], message: err.message });
        }
      }
    }
    if (typeof requestBody === 'object' || headers['content-type'] === 'application/json') parameters.requestBody = requestBody;
    for (const validate of validators) {
      validate(parameters);
      if (validate.errors) errors.push(...validate.errors);
      else if (validator.coerceTypes) {
        result.coerced.query = parameters.query as BackendRequest['query'];
        (result.coerced as unknown as Record<string, unknown>).params = parameters.path;
      }
    }
    if (errors.length === 0) result.errors = null;
    else {
      result.errors = errors;
      result.valid = false;
    }
    return result;
  };
}
