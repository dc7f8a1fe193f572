/**
 * Generates TypeScript types from the effective contracts (never written by hand).
 * `npm run contract:types` writes them; tests/unit/contract.spec.ts fails when they are stale.
 */
import { writeFileSync } from 'node:fs';
import { renderContractTypes, typesPaths } from '../src/contract/types.ts';

for (const [name, text] of Object.entries(await renderContractTypes())) {
  writeFileSync(typesPaths[name as keyof typeof typesPaths], text);
  console.log(`wrote ${typesPaths[name as keyof typeof typesPaths]}`);
}
