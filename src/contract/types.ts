/**
 * Generated TypeScript types of the effective contracts: one module per provider contract version
 * (src/contract/generated/nogi-api-<version>.ts) and one for the OAuth contract. schemas.ts names
 * the types the code uses, over every version the suite knows.
 */
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadApiContract, loadOAuthContract, readVersionIndex } from './load.ts';

const generated = (file: string): string => fileURLToPath(new URL(`./generated/${file}`, import.meta.url));

/** The file of each generated types module, keyed `api-<version>` and `oauth`. */
export function typesPaths(): Record<string, string> {
  const paths: Record<string, string> = { oauth: generated('nogi-oauth.ts') };
  for (const version of readVersionIndex().versions) paths[`api-${version}`] = generated(`nogi-api-${version}.ts`);
  return paths;
}

const banner = '// Generated from contracts/ by `npm run contract:types`. Do not edit.\n';

/** The text of each generated types module, from the effective contracts. */
export async function renderContractTypes(): Promise<Record<string, string>> {
  // openapi-typescript rewrites the schemas it is given (an enum's `example`): hand it a copy, never the cached contract.
  const render = async (doc: object) => banner + astToString(await openapiTS(structuredClone(doc) as never));
  const out: Record<string, string> = { oauth: await render(loadOAuthContract()) };
  for (const version of readVersionIndex().versions) out[`api-${version}`] = await render(await loadApiContract(version));
  return out;
}
