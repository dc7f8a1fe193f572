/** The simulator's TestID-like login page and NoGi consent page (src/simulator/access/pages.ts). */
import type { Page } from '@playwright/test';
import type { Decision, LoginDriver } from './types.ts';

export class SimulatorPagesDriver implements LoginDriver {
  readonly name = 'simulator pages';
  constructor(readonly page: Page) {}

  async logInAndDecide(nin: string, decision: Decision): Promise<void> {
    await this.page.getByTestId('nin-input').waitFor();
    if (decision === 'cancel-login') {
      await this.page.getByTestId('login-cancel').click();
      return;
    }
    await this.page.getByTestId('nin-input').fill(nin);
    await this.page.getByTestId('login-submit').click();
    await this.page.getByTestId(decision === 'accept' ? 'consent-accept' : 'consent-deny').click();
  }

  visibleText(): Promise<string> {
    return this.page.locator('body').innerText();
  }
}
