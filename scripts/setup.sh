#!/usr/bin/env bash
# Set-up for a fresh machine: the locked npm packages, and a Chromium for the regular-consent flow.
# Nothing here downloads a browser from outside the npm and Debian registries: when neither
# Playwright's own Chromium nor a system one is there, Debian's `chromium` package is installed
# (as root). On GitHub-hosted Ubuntu runners the workflows use `npx playwright install --with-deps
# chromium` instead (Ubuntu's chromium package is only a snap wrapper), and run this never as root.
set -euo pipefail
cd "$(dirname "$0")/.."

# better-sqlite3 (the simulator's embedded store) builds from source when its prebuilt binary
# cannot be fetched; node-gyp then needs Node's headers, which Debian's nodejs ships in /usr/include.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/common.gypi ]; then export npm_config_nodedir=/usr; fi
npm ci --no-audit --no-fund

# PostgreSQL for the store tests of a shared sandbox (they start a throwaway cluster of their own,
# and skip saying so without it): Debian's package, as root.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's PostgreSQL for the store tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

playwright_chromium=$(node -e "try{const p=require('playwright-core').chromium.executablePath();process.stdout.write(require('fs').existsSync(p)?p:'')}catch{}" 2>/dev/null || true)
if [ -n "${NOGI_CHROMIUM_PATH:-}" ] || [ -n "$playwright_chromium" ]; then
  exit 0
fi
if [ -x /usr/bin/chromium ]; then
  # Debian's headless shell beside it: headless runs use it (src/config/browser.ts), at about half
  # the CPU of the full browser. Without it the full browser serves, so a failure here is a note.
  if [ ! -x /usr/bin/chromium-headless-shell ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium-headless-shell for headless runs"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null; } ||
      echo "chromium-headless-shell could not be installed: headless runs use /usr/bin/chromium (slower)" >&2
  fi
  exit 0
fi
distribution=$(sed -n 's/^ID=//p' /etc/os-release 2>/dev/null | tr -d '"')
if [ "$distribution" = ubuntu ]; then
  echo "No Chromium found. On Ubuntu: npx playwright install --with-deps chromium (or set NOGI_CHROMIUM_PATH)." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's Chromium (and its headless shell) for the browser flow"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null
else
  echo "No Chromium found. Install one (Debian: sudo apt-get install -y chromium; elsewhere: npx playwright install --with-deps chromium) or set NOGI_CHROMIUM_PATH." >&2
  exit 1
fi
