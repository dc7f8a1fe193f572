/**
 * The API host's requests and responses without Express. Express's app.handle swaps the
 * prototypes of every request and response (Object.setPrototypeOf), which makes V8 drop its
 * optimised property access on them and on Node's http internals: on the benchmark's machine that
 * alone cost more CPU per request than everything the simulator does for a status lookup. The API
 * host's handler (app.ts) is a plain node:http request listener; what it used of Express is here,
 * with Express's own semantics:
 *   - req.path and req.query: parseurl's pathname, and its query parsed by node:querystring
 *     (Express 5's default "simple" query parser), computed once per request;
 *   - req.get(name) (a header), res.locals, res.set(name, value);
 *   - sendBody(): what res.status().type().send() did for a string body: Content-Type with
 *     charset=utf-8, Content-Length, a conditional GET answered 304 when `fresh` says so, no body
 *     for HEAD, 204 and 304.
 * parseurl and fresh are Express's own dependencies, resolved through it (the same copies).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { parse as parseQuery } from 'node:querystring';

const fromExpress = createRequire(createRequire(import.meta.url).resolve('express'));
const parseurl = fromExpress('parseurl') as (req: IncomingMessage) => { pathname: string | null; query: string | null } | undefined;
const fresh = fromExpress('fresh') as (reqHeaders: Record<string, unknown>, resHeaders: Record<string, unknown>) => boolean;

export interface ApiRequest extends IncomingMessage {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  body?: unknown;
  get(name: string): string | undefined;
}

export interface ApiResponse extends ServerResponse {
  locals: Record<string, unknown>;
  set(name: string, value: string): ApiResponse;
}

function get(this: ApiRequest, name: string): string | undefined {
  const key = name.toLowerCase();
  const v = key === 'referer' || key === 'referrer' ? this.headers.referrer ?? this.headers.referer : this.headers[key];
  return Array.isArray(v) ? v.join(', ') : v;
}
function set(this: ApiResponse, name: string, value: string): ApiResponse {
  this.setHeader(name, String(value));
  return this;
}

/** Gives a plain node:http request and response the few Express members the API host uses (own properties, no prototype change). */
export function adopt(raw: IncomingMessage, rawRes: ServerResponse): { req: ApiRequest; res: ApiResponse } {
  const req = raw as ApiRequest;
  const res = rawRes as ApiResponse;
  const url = parseurl(raw);
  req.path = url?.pathname ?? '';
  req.query = parseQuery(url?.query ?? '');
  req.get = get;
  res.locals = Object.create(null) as Record<string, unknown>;
  res.set = set;
  return { req, res };
}

/** Express's res.send(string) after res.type(type): charset utf-8 on the Content-Type (Express's setCharset). */
const withCharset = (type: string): string => (/;\s*charset=/i.test(type) ? type : `${type.toLowerCase()}; charset=utf-8`);

/** A string body as Express's res.status(status).type(type).send(body) sends it. */
export function sendBody(req: ApiRequest, res: ApiResponse, status: number, type: string, body: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', withCharset(type));
  res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
  const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
  if (conditional && (req.method === 'GET' || req.method === 'HEAD') && ((status >= 200 && status < 300) || status === 304)
    && fresh(req.headers, { etag: res.getHeader('ETag'), 'last-modified': res.getHeader('Last-Modified') })) {
    res.statusCode = 304;
  }
  if (res.statusCode === 205) {
    res.setHeader('Content-Length', '0');
    res.removeHeader('Transfer-Encoding');
    body = '';
  }
  if (res.statusCode === 204 || res.statusCode === 304) {
    res.removeHeader('Content-Type');
    res.removeHeader('Content-Length');
    res.removeHeader('Transfer-Encoding');
    res.end();
    return;
  }
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  res.end(body, 'utf8');
}
