/**
 * Chromium for the regular-consent flow: Playwright's own build where it is installed, else the
 * system's (Debian package `chromium`). Nothing here downloads a browser.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const systemChromium = process.env.NOGI_CHROMIUM_PATH ?? '/usr/bin/chromium';

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
  return existsSync(systemChromium) ? systemChromium : undefined;
}
