import type { Page } from '@playwright/test';
import type { LoginDriverName } from '../config/target.ts';
import { IdPortenTestIdDriver } from './idporten-testid.ts';
import { SimulatorPagesDriver } from './simulator-pages.ts';
import type { LoginDriver } from './types.ts';

export function loginDriverFor(name: LoginDriverName, page: Page): LoginDriver {
  return name === 'idporten-testid' ? new IdPortenTestIdDriver(page) : new SimulatorPagesDriver(page);
}

export { captureCallback, type Callback } from './callback.ts';
export type { Decision, LoginDriver } from './types.ts';
