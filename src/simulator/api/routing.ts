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
 *     request: now once per template. A request with cookies, or a query or body that is not
 *     what Express hands over, takes the original code.
 */
import { createRequire } from 'node:module';
import type { OpenAPIBackend, Operation, ParsedRequest, Request as BackendRequest } from 'openapi-backend';

type Params = (pathname: string) => Record<string, string> | null;
// bath-es5 is openapi-backend's own path-template parser, resolved from it (the same copy).
const bath = (createRequire(createRequire(import.meta.url).resolve('openapi-backend')))('bath-es5') as { default: (template: string) => { params: Params } };

interface Route {
  operation: Operation;
  pattern: RegExp;
}

/** The only values Express's query parser gives: a string, or an array of strings. */
const plainQuery = (q: unknown): q is Record<string, string | string[]> =>
  typeof q === 'object' && q !== null && Object.values(q).every((v) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')));

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

  router.matchOperation = ((req: BackendRequest, strict?: boolean) => {
    const { path, method } = router.normalizeRequest(req);
    const fail = (why: string) => {
      if (strict) throw Error(why);
      return undefined;
    };
    if (!path.startsWith(router.apiRoot)) return fail('404-notFound: no route matches request');
    const normalized = router.normalizePath(path);
    const hit = exact.get(`${method} ${normalized}`);
    if (hit) return hit;
    let pathMatched = false;
    for (const r of routes) {
      if (!r.pattern.test(normalized)) continue;
      pathMatched = true;
      if (r.operation.method === method) return r.operation;
    }
    return fail(pathMatched ? '405-methodNotAllowed: this method is not registered for the route' : '404-notFound: no route matches request');
  }) as typeof router.matchOperation;

  const original = router.parseRequest.bind(router);
  const templates = new Map<string, Params>();
  const paramsOf = (template: string): Params => {
    let p = templates.get(template);
    if (!p) templates.set(template, (p = bath.default(template).params));
    return p;
  };
  router.parseRequest = (req: BackendRequest, operation?: Operation): ParsedRequest => {
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
    if (headers.cookie !== undefined || (req.body !== undefined && req.body !== null && typeof req.body !== 'object') || !plainQuery(req.query)) {
      return original(req, operation);
    }
    const query: Record<string, string | string[]> = Object.create(Object.getPrototypeOf(req.query)) as Record<string, string | string[]>;
    for (const [k, v] of Object.entries(req.query)) query[k] = Array.isArray(v) ? [...v] : v;
    const normalized = router.normalizeRequest(req);
    let params: Record<string, string> = {};
    if (operation) {
      params = paramsOf(operation.path)(router.normalizePath(normalized.path)) ?? {};
      for (const name in query) {
        const raw = query[name];
        if (!raw) continue;
        const parameter = operation.parameters?.find((p) => !('$ref' in p) && p?.in === 'query' && p?.name === name) as
          | { content?: Record<string, unknown>; explode?: boolean; style?: string }
          | undefined;
        // Parameters with content or explode: false are parsed as router.js does it.
        if (parameter && (parameter.content?.['application/json'] || parameter.explode === false)) return original(req, operation);
      }
    }
    return { ...normalized, params, headers, query, cookies: {}, requestBody: req.body } as ParsedRequest;
  };
}
