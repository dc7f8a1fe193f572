/**
 * The login and consent pages in a real browser, driven by the one login driver
 * (src/drivers/idporten-testid.ts, the driver preprod uses): the pages must keep ID-porten
 * TestID's structure for it. What the pages show is read by the test ids of pages.ts.
 */
import { expect, test, type Page } from '@playwright/test';
import { captureCallback } from '../../src/drivers/callback.ts';
import { IdPortenTestIdDriver } from '../../src/drivers/idporten-testid.ts';
import { clients, NIN, useSimulator } from './helpers.ts';

// The browser is playwright.config.ts's (Debian's Chromium where it is installed): the same worker
// options as the project's other files, so no worker of its own.
const h = useSimulator();
const { a } = clients;

/**
 * The partner's callback does not exist here: the browser's request to it is what the driver's
 * captureCallback reads (a route cannot answer the target of a redirect in every Chromium build:
 * microsoft/playwright#17161), as the suite's own flow reads it.
 */
const callbackOf = (page: Page) => captureCallback(page, a.redirect_uris[0]!);

const authUrl = (scope: string, state = 'browser-state-1') =>
  h.client.authorizationUrl({ clientId: a.client_id, scope, state, redirectUri: a.redirect_uris[0]! });

test('login with a TestID number, accept consent, land on the callback with a code', async ({ page }) => {
  const callback = callbackOf(page);
  await page.goto(await authUrl('debt.unsecured.presentation.400 openid'));
  await expect(page).toHaveTitle('TestID – innlogging');
  const driver = new IdPortenTestIdDriver(page);
  // The TestID form is hidden until TestID is chosen, as on ID-porten.
  await expect(page.getByTestId('nin-input')).toBeHidden();
  await driver.logIn('12345678901');
  await expect(page.getByTestId('error')).toBeVisible();
  await expect(page.getByTestId('nin-input')).toBeVisible();
  await driver.logIn(NIN);

  await expect(page).toHaveTitle('Samtykke – Norsk Gjeldsinformasjon');
  await expect(page.getByTestId('consent-client')).toHaveText(a.name);
  await expect(page.getByTestId('consent-scope')).toHaveText('debt.unsecured.presentation');
  await expect(page.getByTestId('consent-duration')).toContainText('365 dager');
  await driver.decide('accept');

  const cb = await callback;
  expect(cb.params.code).toBeTruthy();
  expect(cb.params.scope).toBe('debt.unsecured.presentation openid');
  expect(cb.params.state).toBe('browser-state-1');
});

test('deny on the consent page → consent_denied; Avbryt on the login page → login_cancelled', async ({ page }) => {
  const driver = new IdPortenTestIdDriver(page);
  const denied = callbackOf(page);
  await page.goto(await authUrl('debt.unsecured.processing', 's-deny'));
  await driver.logIn(NIN);
  await expect(page.getByTestId('consent-duration')).toContainText('Engangssamtykke');
  await driver.decide('deny');
  expect((await denied).params).toMatchObject({ error: 'consent_denied', state: 's-deny' });

  // A page of its own: the first one is still on its way to the callback, which nothing serves.
  const again = await page.context().newPage();
  const cancelled = callbackOf(again);
  await again.goto(await authUrl('debt.unsecured.processing', 's-cancel'));
  await new IdPortenTestIdDriver(again).cancelLogin();
  expect((await cancelled).params).toMatchObject({ error: 'login_cancelled', state: 's-cancel' });
});

test('an unregistered redirect_uri shows an error page in the browser', async ({ page }) => {
  const response = await page.goto((await authUrl('debt.unsecured.presentation')).replace(encodeURIComponent(a.redirect_uris[0]!), encodeURIComponent('https://evil.example/cb')));
  expect(response?.status()).toBe(400);
  expect(page.url()).toContain(h.sim.accessUrl);
  await expect(page.getByTestId('error')).toContainText('redirect_uri');
});
