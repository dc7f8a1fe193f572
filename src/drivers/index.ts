import type { Page } from '@playwright/test';
import type { LoginDriverName } from '../config/target.ts';
import { IdPortenTestIdDriver } from './idporten-testid.ts';
import type { LoginDriver } from './types.ts';

/**
 * One driver for every target: the simulator's login page has ID-porten TestID's structure.
 * `NOGI_LOGIN_DRIVER=simulator` (the configuration's old default for the simulator) is kept as a
 * name for the same driver, so existing .env files keep working.
 */
export function loginDriverFor(_name: LoginDriverName, page: Page): LoginDriver {
  return new IdPortenTestIdDriver(page);
}

export { captureCallback, type Callback } from './callback.ts';
export type { Decision, LoginDriver } from './types.ts';
