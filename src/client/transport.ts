/**
 * How the client's requests reach the wire. One small interface, two implementations: Playwright's
 * APIRequestContext in specs (every call shows in the report) and `fetch` where no Playwright
 * context exists (Pact provider states, the CLI, the simulator's own tools and tests).
 * Redirects are never followed: a redirect is an answer the suite checks (auth endpoint, pages).
 */
import type { APIRequestContext } from '@playwright/test';

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Sent byte for byte: a malformed body stays malformed. */
  body?: string | Buffer;
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

export const fetchTransport: Transport = {
  async send({ method, url, headers, body }) {
    const response = await fetch(url, { method, headers, body: Buffer.isBuffer(body) ? new Uint8Array(body) : body, redirect: 'manual' });
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    return { status: response.status, headers: out, text: await response.text() };
  },
};

export function playwrightTransport(context: APIRequestContext): Transport {
  return {
    async send({ method, url, headers, body }) {
      // A Buffer: Playwright JSON-encodes a string `data` again when the content type is JSON.
      const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
      const response = await context.fetch(url, { method, headers, data, failOnStatusCode: false, maxRedirects: 0 });
      return { status: response.status(), headers: response.headers(), text: await response.text() };
    },
  };
}
