/**
 * One driver for every target: the simulator's login page has ID-porten TestID's structure.
 * `NOGI_LOGIN_DRIVER=simulator` (the configuration's old default for the simulator) is still
 * accepted as a name for the same driver, so existing .env files keep working.
 */
export { IdPortenTestIdDriver } from './idporten-testid.ts';
export { captureCallback, type Callback } from './callback.ts';
export type { Decision, LoginDriver } from './types.ts';
