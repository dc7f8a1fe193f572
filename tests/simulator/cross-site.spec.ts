/**
 * The regular flow started from another site, as a partner's app starts it: a page on
 * http://localhost:<port> links to the simulator on 127.0.0.1, so Chromium sends
 * `Sec-Fetch-Site: cross-site` for the whole redirect chain. The pages must accept that
 * navigation (issue 18); a form on the partner's page that posts to the consent page must not
 * get a consent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { SimulatorAdmin, type RunTimeClient } from '../../src/client/admin-client.ts';
import { httpTransport } from '../../src/client/transport.ts';
import { chromiumArgs, chromiumExecutable } from '../../src/config/browser.ts';
import { IdPortenTestIdDriver } from '../../src/drivers/idporten-testid.ts';
import { NIN, useSimulator } from './helpers.ts';

const h = useSimulator();
let browser: Browser;
let partner: Server;
/** http://localhost:<port>: another site than the simulator's http://127.0.0.1:<port>. */
let partnerUrl: string;
let client: RunTimeClient;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The partner's app: a start page linking to the sandbox, its callback, and a page forging a consent POST. */
function partnerApp(): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', partnerUrl);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/callback') return res.end('<title>Partner callback</title><p>Takk</p>');
    if (url.pathname === '/forge') {
      // Knows the victim's consent challenge (the strongest attacker): only the browser binding and the site refuse it.
      return res.end(`<title>Forged</title><form id="f" method="post" action="${esc(h.sim.accessUrl)}/consent">
<input type="hidden" name="consent_challenge" value="${esc(url.searchParams.get('challenge') ?? '')}">
<input type="hidden" name="action" value="accept"></form><script>document.getElementById('f').submit()</script>`);
    }
    return res.end(`<title>Partner</title><a id="start" href="${esc(url.searchParams.get('auth') ?? '')}">Logg inn med NoGi</a>`);
  });
}

test.beforeAll(async () => {
  partner = partnerApp();
  await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  partnerUrl = `http://localhost:${(partner.address() as AddressInfo).port}`;
  const admin = new SimulatorAdmin(httpTransport, h.sim.adminUrl!, h.sim.adminToken);
  client = await admin.createClient({ name: 'Partner app', integratedConsent: false, redirect_uris: [`${partnerUrl}/callback`] });
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: chromiumArgs });
});

test.afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => partner?.close(resolve));
});

test('a partner page on another site starts the flow: login and consent pages load cross-site, accept reaches its callback; a forged cross-site consent POST is refused', async () => {
  expect(new URL(partnerUrl).hostname).not.toBe(new URL(h.sim.accessUrl).hostname);
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetchSite = new Map<string, string | undefined>();
  page.on('request', async (r) => {
    const u = new URL(r.url());
    if (u.origin === h.sim.accessUrl) fetchSite.set(`${r.method()} ${u.pathname}`, (await r.allHeaders())['sec-fetch-site']);
  });

  const auth = await h.client.authorizationUrl({ clientId: client.client_id, scope: 'debt.unsecured.presentation', state: 'partner-state-42', redirectUri: `${partnerUrl}/callback` });
  await page.goto(`${partnerUrl}/?auth=${encodeURIComponent(auth)}`);
  await page.locator('#start').click();
  await expect(page).toHaveTitle('TestID – innlogging');
  // The navigation really came from another site, the case a same-host callback never shows.
  expect(fetchSite.get('GET /login')).toBe('cross-site');
  const driver = new IdPortenTestIdDriver(page);
  await driver.logIn(NIN);
  await expect(page).toHaveTitle('Samtykke – Norsk Gjeldsinformasjon');
  expect(fetchSite.get('POST /login')).toBe('same-origin');

  // The partner's site forges the accept, with the right challenge, in the same browser.
  const challenge = await page.locator('input[name=consent_challenge]').inputValue();
  const forge = await context.newPage();
  const forged = forge.waitForResponse((r) => r.url() === `${h.sim.accessUrl}/consent` && r.request().method() === 'POST');
  await forge.goto(`${partnerUrl}/forge?challenge=${encodeURIComponent(challenge)}`);
  expect((await forged).status()).toBe(403);
  await expect(forge.getByTestId('error')).toBeVisible();
  await forge.close();

  // The person's own accept still works: the forged POST consumed nothing.
  await driver.decide('accept');
  await expect(page).toHaveTitle('Partner callback');
  const callback = new URL(page.url());
  expect(callback.origin + callback.pathname).toBe(`${partnerUrl}/callback`);
  expect(callback.searchParams.get('state')).toBe('partner-state-42');
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  const token = await h.client.exchangeCode({ clientId: client.client_id, clientSecret: client.client_secret }, code!, `${partnerUrl}/callback`);
  expect(token.status).toBe(200);
  await context.close();
});
