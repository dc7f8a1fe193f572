#!/usr/bin/env bash
# Set-up for a fresh machine: the locked npm packages, and a Chromium for the regular-consent flow.
# Nothing here downloads a browser from outside the npm and Debian registries.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

playwright_chromium=$(node -e "try{const p=require('playwright-core').chromium.executablePath();process.stdout.write(require('fs').existsSync(p)?p:'')}catch{}" 2>/dev/null || true)
if [ -n "${NOGI_CHROMIUM_PATH:-}" ] || [ -n "$playwright_chromium" ] || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's Chromium for the browser flow"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "No Chromium found. Install one (Debian/Ubuntu: sudo apt-get install -y chromium) or set NOGI_CHROMIUM_PATH." >&2
  exit 1
fi
