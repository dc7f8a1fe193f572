/** One place to get the compiled contracts; compiled once per process and contract version. */
import { getCatalogue, type Catalogue } from './catalogue.ts';
import { currentContractVersion, type ContractVersion } from './load.ts';
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

/**
 * The compiled contracts of a version (default: the process's, NOGI_CONTRACT or the index's
 * default): validators of the catalogue's operations (src/contract/catalogue.ts).
 */
export function getContracts(options: ValidatorOptions & { version?: ContractVersion } = {}): Promise<Contracts> {
  const { version = currentContractVersion(), ...validatorOptions } = options;
  const key = `${version} ${JSON.stringify(validatorOptions)}`;
  let contracts = cache.get(key);
  if (!contracts) {
    contracts = getCatalogue(version).then((catalogue) => ({ version, ...validatorsOf(catalogue, validatorOptions) }));
    cache.set(key, contracts);
  }
  return contracts;
}

/** The validators of a catalogue's operations: also of a document not vendored yet (`contract update`). */
export function validatorsOf(catalogue: Catalogue, options: ValidatorOptions = {}): Pick<Contracts, 'api' | 'oauth'> {
  return {
    api: new ContractValidator(catalogue.documents.api, 'nogi-api', catalogue.operations.filter((o) => o.contract === 'api'), options),
    oauth: new ContractValidator(catalogue.documents.oauth, 'nogi-oauth', catalogue.operations.filter((o) => o.contract === 'oauth'), options),
  };
}

export { ContractValidator, formatFinding } from './validator.ts';
export type { ContractFinding, CheckName, RequestToCheck } from './findings.ts';
export { statefulFindings, classifyAuthorization, requestPassesContract, mediaType, withoutChecksOff } from './checks.ts';
export type { CheckedExchange } from './checks.ts';
