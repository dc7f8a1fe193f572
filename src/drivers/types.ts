import type { Page } from '@playwright/test';

export type Decision = 'accept' | 'deny' | 'cancel-login';

/** Drives a target's login and consent pages; selectors live in the driver only. */
export interface LoginDriver {
  readonly name: string;
  /** Logs in as `nin` on the login page and answers the consent page. */
  logInAndDecide(nin: string, decision: Decision): Promise<void>;
  /** Chooses TestID and submits `nin`; stops on the next page (the consent page, or the login page with an error). */
  logIn(nin: string): Promise<void>;
  /** Answers the consent page. */
  decide(decision: Exclude<Decision, 'cancel-login'>): Promise<void>;
  /** Leaves the login page with its cancel link. */
  cancelLogin(): Promise<void>;
  /** The page text a person sees (error pages). */
  visibleText(): Promise<string>;
  readonly page: Page;
}
