/**
 * The Schemathesis checks (docs/reference/checks.md) that judge an exchange by what was sent or by
 * what came before it, not by the response alone: `ignored_auth`, `negative_data_rejection` and
 * `use_after_free`. Pure functions over the exchanges a client has seen; the client calls
 * `statefulFindings` after each exchange with the history before it.
 */
import type { ContractFinding, ContractValidator, RequestToCheck } from './validator.ts';

export type SentAuthorization = 'none' | 'bearer' | 'basic' | 'malformed';

export interface CheckedExchange {
  operationId: string;
  method: string;
  /** The actual path, e.g. `/v1/debt/0dcec3d5-...`, with any base path of the target. */
  path: string;
  /** Path parameters as sent, when the caller has them (else the id is read from the path). */
  pathParams?: Record<string, string>;
  sentAuthorization: SentAuthorization;
  /** The request passed the contract's request validation (see `requestPassesContract`). */
  requestValid: boolean;
  status: number;
}

const is2xx = (status: number): boolean => status >= 200 && status < 300;

/** What an Authorization header holds, as the checks need it: nothing, a credential of a scheme, or junk. */
export function classifyAuthorization(header: string | null | undefined): SentAuthorization {
  if (header === undefined || header === null || header.trim() === '') return 'none';
  if (/^Bearer [A-Za-z0-9\-._~+/]+=*$/i.test(header.trim())) return 'bearer'; // RFC 6750 §2.1 b64token
  const basic = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (basic && Buffer.from(basic[1]!, 'base64').toString('utf8').includes(':')) return 'basic'; // RFC 7617 user-id ":" password
  return 'malformed';
}

/** Whether an operation requires credentials: a non-empty security requirement, none of them the empty (optional) one. */
export function isSecured(contract: ContractValidator, operationId: string): boolean {
  const requirements = contract.operation(operationId).spec.security ?? contract.document.security ?? [];
  return requirements.length > 0 && requirements.every((r) => Object.keys(r).length > 0);
}

/** The contract's request validation as a verdict: no error finding (warnings, such as unlisted properties, pass). */
export function requestPassesContract(contract: ContractValidator, operationId: string, request: RequestToCheck): boolean {
  return contract.validateRequest(operationId, request).every((f) => f.severity !== 'error');
}

/** The consent id of a debt operation (`/v1/debt/{id}`): the `id` path parameter, else the last path segment. */
function consentIdOf(exchange: CheckedExchange): string | undefined {
  if (exchange.pathParams?.id !== undefined) return exchange.pathParams.id;
  const last = exchange.path.split('?')[0]!.split('/').filter(Boolean).at(-1);
  if (last === undefined) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** `ignored_auth`: a secured operation answered 2xx to a request with no or a malformed Authorization header. */
export function ignoredAuth(current: CheckedExchange, operationSecured: (operationId: string) => boolean): ContractFinding[] {
  if (!is2xx(current.status) || !operationSecured(current.operationId)) return [];
  if (current.sentAuthorization !== 'none' && current.sentAuthorization !== 'malformed') return [];
  return [{
    check: 'ignored_auth', severity: 'error', rule: `${current.operationId} security`, pointer: 'header:Authorization',
    expected: 'a 4xx refusal: the contract requires credentials for this operation',
    actual: `${current.status} to a request ${current.sentAuthorization === 'none' ? 'without an Authorization header' : 'with a malformed Authorization header'}`,
  }];
}

/** `negative_data_rejection`: a request the contract's request validation rejects got 2xx. */
export function negativeDataRejection(current: CheckedExchange): ContractFinding[] {
  if (current.requestValid || !is2xx(current.status)) return [];
  return [{
    check: 'negative_data_rejection', severity: 'error', rule: `${current.operationId} request`, pointer: 'status',
    expected: 'a 4xx refusal of a request the contract rejects', actual: `${current.status} (${current.method} ${current.path})`,
  }];
}

/**
 * `use_after_free`: after `revokeConsentByID` of a consent answered 204 (get-started step 5: "a 204
 * No Content response means the consent was successfully revoked"), `getDebtWithConsentID` for that
 * consent answered 2xx. The status of a revoked consent (`getConsentStatusWithID`) may still answer
 * 200 with `active: false`, so it is not judged here.
 */
export function useAfterFree(history: readonly CheckedExchange[], current: CheckedExchange): ContractFinding[] {
  if (current.operationId !== 'getDebtWithConsentID' || !is2xx(current.status)) return [];
  const id = consentIdOf(current);
  if (id === undefined) return [];
  const revoked = history.find((e) => e.operationId === 'revokeConsentByID' && e.status === 204 && consentIdOf(e) === id);
  if (!revoked) return [];
  return [{
    check: 'use_after_free', severity: 'error', rule: 'getDebtWithConsentID after revokeConsentByID 204', pointer: 'status',
    expected: `a refusal (403 invalid consent): consent ${id} was revoked by ${revoked.method} ${revoked.path}`,
    actual: `${current.status}`,
  }];
}

/** All three, for the exchange just made; `history` holds the exchanges before it, oldest first. */
export function statefulFindings(
  history: readonly CheckedExchange[],
  current: CheckedExchange,
  operationSecured: (operationId: string) => boolean,
): ContractFinding[] {
  return [...ignoredAuth(current, operationSecured), ...negativeDataRejection(current), ...useAfterFree(history, current)];
}
