/**
 * `nogi-conformance/config`: a playwright.config for a partner's own specs against NoGi.
 *
 *   // playwright.config.ts
 *   import { defineNoGiConfig } from 'nogi-conformance/config';
 *   export default defineNoGiConfig({ testDir: 'tests' });
 *
 * The target is NOGI_TARGET (from .env in the folder Playwright runs from, or the environment):
 * `mock` (the default) is the bundled simulator, started in test mode for the run and stopped
 * after it; `preprod` and `custom` read their URLs and credentials from .env exactly as the CLI
 * does. A target that is not configured stops the run with one message. Chromium is the system's
 * where Playwright's own build is not installed (NOGI_CHROMIUM_PATH). Everything given here wins
 * over these defaults; `globalSetup` of your own runs after the package's.
 */
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { config as loadDotenv } from 'dotenv';
import { chromiumArgs, chromiumExecutable } from '../config/browser.ts';
import { modulePath } from '../package-root.ts';
import type { TargetName } from '../config/target.ts';

const targets: readonly TargetName[] = ['mock', 'preprod', 'custom'];

export function defineNoGiConfig(config: PlaywrightTestConfig = {}): PlaywrightTestConfig {
  // .env first (the environment wins), as the CLI and the suite's own config read it.
  loadDotenv({ quiet: true });
  const target = (process.env.NOGI_TARGET || 'mock') as TargetName;
  if (!targets.includes(target)) throw new Error(`NOGI_TARGET must be one of ${targets.join(', ')}, got "${target}"`);
  const own = config.globalSetup === undefined ? [] : Array.isArray(config.globalSetup) ? config.globalSetup : [config.globalSetup];
  const real = target !== 'mock';
  return defineConfig({
    timeout: 60_000,
    expect: { timeout: 5_000 },
    retries: 0,
    ...config,
    // Resolves the target once (one message for every missing setting) and starts the simulator for `mock`.
    globalSetup: [modulePath('src/public/global-setup.ts'), ...own],
    use: {
      // Traces and screenshots can hold credentials and NINs of a real target: off there.
      trace: 'off',
      screenshot: real ? 'off' : 'only-on-failure',
      ...config.use,
      targetName: target,
      launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs, ...config.use?.launchOptions },
    } as PlaywrightTestConfig['use'],
  });
}
