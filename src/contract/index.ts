/** One place to get the compiled contracts; compiled once per process. */
import { loadApiContract, loadOAuthContract } from './load.ts';
import { ContractValidator, type ValidatorOptions } from './validator.ts';

export interface Contracts {
  /** The NoGi API (upstream + errata): Agreement, Debt and Consents Feed APIs. */
  api: ContractValidator;
  /** The access host: discovery, JWKS, auth and token endpoints. */
  oauth: ContractValidator;
}

const cache = new Map<string, Promise<Contracts>>();

export function getContracts(options: ValidatorOptions = {}): Promise<Contracts> {
  const key = JSON.stringify(options);
  let contracts = cache.get(key);
  if (!contracts) {
    contracts = loadApiContract().then((api) => ({
      api: new ContractValidator(api, 'nogi-api', options),
      oauth: new ContractValidator(loadOAuthContract(), 'nogi-oauth', options),
    }));
    cache.set(key, contracts);
  }
  return contracts;
}

export { ContractValidator, formatFinding, mediaType } from './validator.ts';
export type { ContractFinding, CheckName, Operation } from './validator.ts';
export { invariantFindings, feedInvariants, tokenResponseInvariants } from './invariants.ts';
export { statefulFindings, ignoredAuth, negativeDataRejection, useAfterFree, classifyAuthorization, isSecured, requestPassesContract } from './stateful-checks.ts';
export type { CheckedExchange, SentAuthorization } from './stateful-checks.ts';
export type { ResponseToCheck, RequestToCheck } from './validator.ts';
