/** One place to get the compiled contracts; compiled once per process and contract version. */
import { currentContractVersion, loadApiContract, loadOAuthContract, type ContractVersion } from './load.ts';
import { ContractValidator, type ValidatorOptions } from './validator.ts';

export interface Contracts {
  /** The provider's contract version the API validator judges by (contracts/versions/). */
  version: ContractVersion;
  /** The NoGi API (upstream + errata): Agreement, Debt and Consents Feed APIs. */
  api: ContractValidator;
  /** The access host: discovery, JWKS, auth and token endpoints. */
  oauth: ContractValidator;
}

const cache = new Map<string, Promise<Contracts>>();

/** The compiled contracts of a version (default: the process's, NOGI_CONTRACT or the index's default). */
export function getContracts(options: ValidatorOptions & { version?: ContractVersion } = {}): Promise<Contracts> {
  const { version = currentContractVersion(), ...validatorOptions } = options;
  const key = `${version} ${JSON.stringify(validatorOptions)}`;
  let contracts = cache.get(key);
  if (!contracts) {
    contracts = loadApiContract(version).then((api) => ({
      version,
      api: new ContractValidator(api, 'nogi-api', validatorOptions),
      oauth: new ContractValidator(loadOAuthContract(), 'nogi-oauth', validatorOptions),
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
