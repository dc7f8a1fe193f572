/** The stateful Schemathesis checks: ignored_auth, negative_data_rejection, use_after_free. */
import { expect, test } from '@playwright/test';
import { getContracts } from '../../src/contract/index.ts';
import {
  classifyAuthorization, isSecured, requestPassesContract, statefulFindings, type CheckedExchange,
} from '../../src/contract/stateful-checks.ts';

const CONSENT = '0dcec3d5-6844-4d2c-b972-83086064b111';
const OTHER = '3649911c-a58a-4b76-9794-edd8c692e84f';
const exchange = (over: Partial<CheckedExchange> & Pick<CheckedExchange, 'operationId'>): CheckedExchange =>
  ({ method: 'GET', path: `/v1/debt/${CONSENT}`, sentAuthorization: 'bearer', requestValid: true, status: 200, ...over });
const getDebt = (id: string, status = 200) => exchange({ operationId: 'getDebtWithConsentID', path: `/v1/debt/${id}`, status });
const revoke = (id: string, status = 204) => exchange({ operationId: 'revokeConsentByID', method: 'DELETE', path: `/v1/debt/${id}`, status });
const securedByContract = async () => {
  const { api } = await getContracts();
  return (operationId: string) => isSecured(api, operationId);
};
const checks = (findings: { check: string }[]) => findings.map((f) => f.check);

test.describe('ignored_auth', () => {
  test('fires when a secured operation answers 2xx without credentials or with malformed ones', async () => {
    const secured = await securedByContract();
    for (const sentAuthorization of ['none', 'malformed'] as const) {
      const [finding, ...rest] = statefulFindings([], exchange({ operationId: 'getConsentStatusWithID', sentAuthorization }), secured);
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ check: 'ignored_auth', severity: 'error', pointer: 'header:Authorization' });
    }
  });

  test('does not fire on a refusal, with credentials, or for an operation the contract leaves open', async () => {
    const secured = await securedByContract();
    expect(statefulFindings([], exchange({ operationId: 'getConsentStatusWithID', sentAuthorization: 'none', status: 403 }), secured)).toEqual([]);
    expect(statefulFindings([], exchange({ operationId: 'getConsentStatusWithID', sentAuthorization: 'bearer' }), secured)).toEqual([]);
    expect(statefulFindings([], exchange({ operationId: 'openEndpoint', sentAuthorization: 'none' }), () => false)).toEqual([]);
  });

  test('every operation of the effective API contract is secured (E1-E4), the discovery document is not', async () => {
    const { api, oauth } = await getContracts();
    expect(api.operations.filter((o) => !isSecured(api, o.operationId)).map((o) => o.operationId)).toEqual([]);
    expect([isSecured(oauth, 'getOpenIdConfiguration'), isSecured(oauth, 'token')]).toEqual([false, true]);
  });

  test('an Authorization header is classified as the checks need it', () => {
    expect([undefined, '', 'Bearer abc.DEF-1_2~3+/=', 'bearer x', 'Basic Y2xpZW50OnNlY3JldA==', 'Basic bm9jb2xvbg==', 'Bearer', 'Bearer a b', 'Token x']
      .map(classifyAuthorization)).toEqual(['none', 'none', 'bearer', 'bearer', 'basic', 'malformed', 'malformed', 'malformed', 'malformed']);
  });
});

test.describe('negative_data_rejection', () => {
  test('fires when a request the contract rejects is answered 2xx', async () => {
    const { api } = await getContracts();
    const requestValid = requestPassesContract(api, 'feed', { query: { fromSequenceNr: '1', limit: 'ten' } });
    expect(requestValid).toBe(false);
    const [finding] = statefulFindings([], exchange({ operationId: 'feed', path: '/feed/v1/consent?fromSequenceNr=1&limit=ten', requestValid }), () => true);
    expect(finding).toMatchObject({ check: 'negative_data_rejection', severity: 'error', actual: expect.stringContaining('200') });
  });

  test('does not fire when the invalid request is refused, or the request was valid', async () => {
    const { api } = await getContracts();
    expect(requestPassesContract(api, 'feed', { query: { fromSequenceNr: '1', limit: '10' } })).toBe(true);
    expect(statefulFindings([], exchange({ operationId: 'feed', requestValid: false, status: 400 }), () => true)).toEqual([]);
    expect(statefulFindings([], exchange({ operationId: 'feed', requestValid: true }), () => true)).toEqual([]);
  });
});

test.describe('use_after_free', () => {
  const secured = () => true;

  test('fires when debt is served for a consent revoked with 204 earlier', () => {
    const [finding, ...rest] = statefulFindings([getDebt(CONSENT), revoke(CONSENT)], getDebt(CONSENT), secured);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ check: 'use_after_free', severity: 'error', actual: '200', expected: expect.stringContaining(CONSENT) });
  });

  test('reads the id from pathParams, and from an encoded path under a base path', () => {
    const viaParams = exchange({ operationId: 'getDebtWithConsentID', path: '/gateway/v1/debt/x', pathParams: { id: CONSENT } });
    expect(checks(statefulFindings([revoke(CONSENT)], viaParams, secured))).toEqual(['use_after_free']);
    const encoded = exchange({ operationId: 'revokeConsentByID', method: 'DELETE', path: '/gateway/v1/debt/a%2Fb', status: 204 });
    expect(checks(statefulFindings([encoded], exchange({ operationId: 'getDebtWithConsentID', path: '/v1/debt/x', pathParams: { id: 'a/b' } }), secured))).toEqual(['use_after_free']);
  });

  test('does not fire for another consent, a refused revoke, a refused lookup, or the status of the revoked consent', () => {
    expect(statefulFindings([revoke(OTHER)], getDebt(CONSENT), secured)).toEqual([]);
    expect(statefulFindings([revoke(CONSENT, 403)], getDebt(CONSENT), secured)).toEqual([]);
    expect(statefulFindings([revoke(CONSENT)], getDebt(CONSENT, 403), secured)).toEqual([]);
    const status = exchange({ operationId: 'getConsentStatusWithID', path: `/v1/debt/${CONSENT}/status` });
    expect(statefulFindings([revoke(CONSENT)], status, secured)).toEqual([]);
    // Order matters: a lookup before the revoke is no use after free.
    expect(statefulFindings([], getDebt(CONSENT), secured)).toEqual([]);
  });
});
