/**
 * Chromium for the regular-consent flow: Playwright's own build where it is installed, else the
 * system's: Debian's headless shell (package `chromium-headless-shell`: the same engine without the
 * browser's UI layers, as Playwright's own headless runs use; measured, half the CPU and a third of
 * the time of a launch and five logins) for headless runs, and Debian's `chromium` for headed ones
 * or where the shell is not installed. Nothing here downloads a browser.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const systemChromium = process.env.NOGI_CHROMIUM_PATH ?? '/usr/bin/chromium';
const systemHeadlessShell = '/usr/bin/chromium-headless-shell';

// A headed or debugging run needs the full browser: the runner sees the flag, its workers (which
// evaluate the config again) see it through the environment.
if (process.argv.some((arg) => arg === '--headed' || arg === '--debug' || arg === '--ui') || process.env.PWDEBUG) process.env.NOGI_HEADED = '1';

/** Flags for a sandboxed, offline machine: no background traffic, no sandbox as root. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The executable to launch, or undefined to let Playwright use its own build. */
export function chromiumExecutable(): string | undefined {
  if (process.env.NOGI_CHROMIUM_PATH) return process.env.NOGI_CHROMIUM_PATH;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return undefined;
  if (process.env.NOGI_HEADED !== '1' && existsSync(systemHeadlessShell)) return systemHeadlessShell;
  return existsSync(systemChromium) ? systemChromium : undefined;
}
