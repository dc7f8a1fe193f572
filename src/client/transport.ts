/**
 * How the client's requests reach the wire. One small interface, two implementations: Playwright's
 * APIRequestContext in specs (every call shows in the report) and undici's `request` where no
 * Playwright context exists (Pact provider states, the CLI, the simulator's own tools, tests and
 * benchmarks). Redirects are never followed: a redirect is an answer the suite checks (auth
 * endpoint, pages).
 */
import type { APIRequestContext } from '@playwright/test';
import { request } from 'undici';

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Sent byte for byte: a malformed body stays malformed. */
  body?: string | Buffer;
  /** No answer within this many ms is an error (default: the transport's own). */
  timeoutMs?: number;
}

export interface WireResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
}

export interface Transport {
  send(request: WireRequest): Promise<WireResponse>;
}

/**
 * undici's request API (the HTTP client behind Node's fetch, without the WHATWG layers: a third of
 * fetch's CPU per request, which is most of what 200 lifecycles at once cost the bench's client).
 * Keep-alive connections from undici's global pool; a header given twice arrives joined by ", ",
 * as fetch's Headers gives it.
 */
export const httpTransport: Transport = {
  async send({ method, url, headers, body, timeoutMs }) {
    const response = await request(url, { method: method as 'GET', headers, body, signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs) });
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
    return { status: response.statusCode, headers: out, text: await response.body.text() };
  },
};

export function playwrightTransport(context: APIRequestContext): Transport {
  return {
    async send({ method, url, headers, body, timeoutMs }) {
      // A Buffer: Playwright JSON-encodes a string `data` again when the content type is JSON.
      const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const response = await context.fetch(url, { method, headers, data, failOnStatusCode: false, maxRedirects: 0, ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }) });
      return { status: response.status(), headers: response.headers(), text: await response.text() };
    },
  };
}
