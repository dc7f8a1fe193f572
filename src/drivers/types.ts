import type { Page } from '@playwright/test';

export type Decision = 'accept' | 'deny' | 'cancel-login';

/** Drives a target's login and consent pages; selectors live in the driver only. */
export interface LoginDriver {
  readonly name: string;
  /** Logs in as `nin` on the login page and answers the consent page. */
  logInAndDecide(nin: string, decision: Decision): Promise<void>;
  /** The page text a person sees (error pages). */
  visibleText(): Promise<string>;
  readonly page: Page;
}
