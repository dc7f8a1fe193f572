/**
 * Preprod: ID-porten's TestID login and NoGi's consent screen (get-started/index.md "Testing":
 * choose TestID, enter a synthetic NIN, no password). Never run here (no internet): the
 * selectors follow ID-porten's public pages by role and visible text, so a first real run may
 * need them adjusted, here and nowhere else.
 */
import type { Page } from '@playwright/test';
import type { Decision, LoginDriver } from './types.ts';

export class IdPortenTestIdDriver implements LoginDriver {
  readonly name = 'ID-porten TestID + NoGi consent';
  constructor(readonly page: Page) {}

  async logInAndDecide(nin: string, decision: Decision): Promise<void> {
    const page = this.page;
    if (decision === 'cancel-login') {
      await page.getByRole('link', { name: /avbryt|cancel/i }).first().click();
      return;
    }
    await page.getByRole('link', { name: /testid/i }).first().click();
    await page.getByRole('textbox', { name: /personidentifikator|fødselsnummer|national identity/i }).fill(nin);
    await page.getByRole('button', { name: /autentiser|authenticate|logg inn|log in/i }).click();
    await page.getByRole('button', { name: decision === 'accept' ? /godta|godkjenn|samtykk|accept/i : /avslå|avvis|deny|decline/i }).click();
  }

  visibleText(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}
