#!/usr/bin/env node
// In a clone (src/ beside bin/): runs the TypeScript sources through tsx, no build step.
// Installed as a package (no src/): runs the compiled JavaScript in dist/ (npm run build).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(source.href));
} else {
  ({ main } = await import('../dist/src/cli/main.js'));
}
process.exitCode = await main(process.argv.slice(2));
