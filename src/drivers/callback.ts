/**
 * Captures the redirect to the partner's callback URI in the browser, with no callback server.
 * Route handlers do not see the target of a redirect (microsoft/playwright#17161), so this
 * watches the browser's requests for the redirect_uri and reads the query from the URL.
 */
import type { Page } from '@playwright/test';

export interface Callback {
  url: URL;
  params: Record<string, string>;
}

/** Starts watching before the flow runs; resolves with the first request to `redirectUri`. */
export function captureCallback(page: Page, redirectUri: string, timeoutMs = 30_000): Promise<Callback> {
  const base = redirectUri.split('?')[0]!;
  return page
    .waitForRequest((request) => request.url().split('?')[0] === base, { timeout: timeoutMs })
    .then((request) => {
      const url = new URL(request.url());
      return { url, params: Object.fromEntries(url.searchParams) };
    });
}
