/**
 * The one login driver: ID-porten's TestID login, then NoGi's consent page
 * (get-started/index.md "Testing": choose TestID, enter a synthetic NIN, no password).
 *
 * The elements are the ones public end-to-end suites of Norwegian services drive on TestID:
 * the "TestID / Lag din egen" choice, the `pid` input labelled "Personidentifikator
 * (fødselsnummer/d-nummer)" and the "Autentiser" button. The simulator's login page has the same
 * structure (src/simulator/access/pages.ts), so this driver runs here on every conformance run;
 * against the real preprod it has not run yet, and if its pages differ, the selectors below are
 * the only place to change.
 */
import type { Page } from '@playwright/test';
import type { Decision, LoginDriver } from './types.ts';

const selectors = {
  testIdChoice: { role: 'link', name: /testid\s*lag din egen/i },
  cancelLogin: { role: 'link', name: /^\s*avbryt|^\s*cancel/i },
  pid: 'Personidentifikator (fødselsnummer/d-nummer)',
  authenticate: { role: 'button', name: /^\s*autentiser/i },
  accept: { role: 'button', name: /^\s*(godta|godkjenn|samtykk|accept)/i },
  deny: { role: 'button', name: /^\s*(avslå|avvis|deny|decline)/i },
} as const;

export class IdPortenTestIdDriver implements LoginDriver {
  readonly name = 'ID-porten TestID + NoGi consent';
  constructor(readonly page: Page) {}

  async logInAndDecide(nin: string, decision: Decision): Promise<void> {
    if (decision === 'cancel-login') return this.cancelLogin();
    await this.logIn(nin);
    await this.decide(decision);
  }

  async logIn(nin: string): Promise<void> {
    const page = this.page;
    await page.getByRole(selectors.testIdChoice.role, { name: selectors.testIdChoice.name }).first().click();
    await page.getByLabel(selectors.pid).fill(nin);
    await page.getByRole(selectors.authenticate.role, { name: selectors.authenticate.name }).click();
  }

  async decide(decision: Exclude<Decision, 'cancel-login'>): Promise<void> {
    const answer = decision === 'accept' ? selectors.accept : selectors.deny;
    await this.page.getByRole(answer.role, { name: answer.name }).click();
  }

  async cancelLogin(): Promise<void> {
    // Wait for the login page itself, so a cancel is never clicked on the page before it.
    await this.page.getByRole(selectors.testIdChoice.role, { name: selectors.testIdChoice.name }).first().waitFor();
    await this.page.getByRole(selectors.cancelLogin.role, { name: selectors.cancelLogin.name }).first().click();
  }

  visibleText(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}
