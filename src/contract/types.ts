import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadApiContract, loadOAuthContract } from './load.ts';

export const typesPaths = {
  api: fileURLToPath(new URL('./generated/nogi-api.ts', import.meta.url)),
  oauth: fileURLToPath(new URL('./generated/nogi-oauth.ts', import.meta.url)),
} as const;

const banner = '// Generated from contracts/ by `npm run contract:types`. Do not edit.\n';

/** The text of each generated types module, from the effective contracts. */
export async function renderContractTypes(): Promise<Record<keyof typeof typesPaths, string>> {
  // openapi-typescript rewrites the schemas it is given (an enum's `example`): hand it a copy, never the cached contract.
  const render = async (doc: object) => banner + astToString(await openapiTS(structuredClone(doc) as never));
  return { api: await render(await loadApiContract()), oauth: await render(loadOAuthContract()) };
}
