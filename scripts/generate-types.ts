/**
 * Generates TypeScript types from the effective contracts of every version (never written by hand).
 * `npm run contract:types` writes them; tests/unit/contract.spec.ts fails when they are stale.
 */
import { writeFileSync } from 'node:fs';
import { renderContractTypes, typesPaths } from '../src/contract/types.ts';

const paths = typesPaths();
for (const [name, text] of Object.entries(await renderContractTypes())) {
  writeFileSync(paths[name]!, text);
  console.log(`wrote ${paths[name]}`);
}
