/**
 * The login and consent pages in a real browser, driven by the one login driver
 * (src/drivers/idporten-testid.ts, the driver preprod uses): the pages must keep ID-porten
 * TestID's structure for it. What the pages show is read by the test ids of pages.ts.
 */
import { expect, test, type Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../../src/config/browser.ts';
import { IdPortenTestIdDriver } from '../../src/drivers/idporten-testid.ts';
import { clients, NIN, useSimulator } from './helpers.ts';

test.use({ launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs } });

const h = useSimulator();
const { a } = clients;

/** The partner's callback does not exist here: answer it in the browser and return its URL. */
async function catchCallback(page: Page): Promise<() => URL> {
  let seen: URL | undefined;
  await page.route(`${new URL(a.redirect_uris[0]!).origin}/**`, async (route) => {
    seen = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Callback</title><p>ok</p>' });
  });
  return () => {
    if (!seen) throw new Error('no callback yet');
    return seen;
  };
}

const authUrl = (scope: string, state = 'browser-state-1') =>
  h.client.authorizationUrl({ clientId: a.client_id, scope, state, redirectUri: a.redirect_uris[0]! });

test('login with a TestID number, accept consent, land on the callback with a code', async ({ page }) => {
  const callback = await catchCallback(page);
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

  await expect(page).toHaveTitle('Callback');
  const cb = callback();
  expect(cb.searchParams.get('code')).toBeTruthy();
  expect(cb.searchParams.get('scope')).toBe('debt.unsecured.presentation openid');
  expect(cb.searchParams.get('state')).toBe('browser-state-1');
});

test('deny on the consent page → consent_denied; Avbryt on the login page → login_cancelled', async ({ page }) => {
  const callback = await catchCallback(page);
  const driver = new IdPortenTestIdDriver(page);
  await page.goto(await authUrl('debt.unsecured.processing', 's-deny'));
  await driver.logIn(NIN);
  await expect(page.getByTestId('consent-duration')).toContainText('Engangssamtykke');
  await driver.decide('deny');
  await expect(page).toHaveTitle('Callback');
  expect(callback().searchParams.get('error')).toBe('consent_denied');
  expect(callback().searchParams.get('state')).toBe('s-deny');

  await page.goto(await authUrl('debt.unsecured.processing', 's-cancel'));
  await driver.cancelLogin();
  await expect(page).toHaveTitle('Callback');
  expect(callback().searchParams.get('error')).toBe('login_cancelled');
  expect(callback().searchParams.get('state')).toBe('s-cancel');
});

test('an unregistered redirect_uri shows an error page in the browser', async ({ page }) => {
  const response = await page.goto((await authUrl('debt.unsecured.presentation')).replace(encodeURIComponent(a.redirect_uris[0]!), encodeURIComponent('https://evil.example/cb')));
  expect(response?.status()).toBe(400);
  expect(page.url()).toContain(h.sim.accessUrl);
  await expect(page.getByTestId('error')).toContainText('redirect_uri');
});
