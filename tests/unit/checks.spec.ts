/** The check registry: every check a named unit, switchable by name; the stateful checks over an exchange history. */
import { expect, test } from '@playwright/test';
import { getCatalogue, useAfterRevoke } from '../../src/contract/catalogue.ts';
import {
  checkNames, checks, checksOffIn, classifyAuthorization, parseChecksOff, requestPassesContract, statefulFindings,
  CHECK_OFF_ANNOTATION, describeCheckOff, UnknownCheckName, type CheckedExchange, type CheckName,
} from '../../src/contract/checks.ts';
import { getContracts } from '../../src/contract/index.ts';

const CONSENT = '0dcec3d5-6844-4d2c-b972-83086064b111';
const OTHER = '3649911c-a58a-4b76-9794-edd8c692e84f';
const exchange = (over: Partial<CheckedExchange> & Pick<CheckedExchange, 'operationId'>): CheckedExchange =>
  ({ method: 'GET', path: `/v1/debt/${CONSENT}`, sentAuthorization: 'bearer', requestValid: true, status: 200, ...over });
const getDebt = (id: string, status = 200) => exchange({ operationId: 'getDebtWithConsentID', path: `/v1/debt/${id}`, status });
const revoke = (id: string, status = 204) => exchange({ operationId: 'revokeConsentByID', method: 'DELETE', path: `/v1/debt/${id}`, status });
const byCatalogue = async () => {
  const catalogue = await getCatalogue();
  return { operation: (id: string) => (catalogue.has(id) ? catalogue.operation(id) : undefined) };
};
const names = (findings: { check: string }[]) => findings.map((f) => f.check);

test.describe('the registry', () => {
  test('holds one unit per check name, each with its name, the rule it cites, where, and whether it is stateful', () => {
    expect(Object.keys(checks).sort()).toEqual([...checkNames].sort());
    for (const name of checkNames) {
      const check = checks[name];
      expect(check.name, name).toBe(name);
      expect(check.rule.length, `${name}: its rule`).toBeGreaterThan(30);
      expect(check.source.length, `${name}: its source`).toBeGreaterThan(5);
      expect(check.stateful, name).toBe(check.kind === 'stateful');
    }
    // Schemathesis' names where it has the check, ours beside them.
    expect(checkNames).toEqual(expect.arrayContaining(['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_headers_conformance',
      'response_schema_conformance', 'negative_data_rejection', 'ignored_auth', 'use_after_free', 'feed_invariants', 'token_response_invariants',
      'problem_details_invariants']));
    expect(checkNames.filter((n) => checks[n].stateful).sort()).toEqual(['ignored_auth', 'negative_data_rejection', 'use_after_free']);
  });

  test('a check switched off produces no finding; the others still do', async () => {
    const on = (await getContracts()).api;
    const wrongType = { status: 200, contentType: 'text/plain', body: 'x' };
    expect(names(on.validateResponse('getConsentStatusWithID', wrongType))).toEqual(['content_type_conformance']);
    const off = (await getContracts({ checksOff: ['content_type_conformance'] })).api;
    expect(off.validateResponse('getConsentStatusWithID', wrongType)).toEqual([]);
    expect(names(off.validateResponse('getConsentStatusWithID', { status: 418 }))).toEqual(['status_code_conformance']);
    const context = await byCatalogue();
    expect(names(statefulFindings([revoke(CONSENT)], getDebt(CONSENT), context))).toEqual(['use_after_free']);
    expect(statefulFindings([revoke(CONSENT)], getDebt(CONSENT), { ...context, checksOff: ['use_after_free'] })).toEqual([]);
  });

  test('checks are switched off by name; an unknown name is refused with the closest one', () => {
    expect(parseChecksOff('content_type_conformance, feed_invariants')).toEqual(['content_type_conformance', 'feed_invariants']);
    expect(parseChecksOff(undefined)).toEqual([]);
    expect(() => parseChecksOff('content_type_conformence', '--checks-off')).toThrow(UnknownCheckName);
    expect(() => parseChecksOff('content_type_conformence', '--checks-off')).toThrow(/--checks-off: unknown check "content_type_conformence"; did you mean content_type_conformance\?/);
    expect(() => parseChecksOff('zzz')).toThrow(/unknown check "zzz" \(/);
  });

  test('a run\'s annotations name the checks it ran with switched off, in registry order', () => {
    const annotations = (['feed_invariants', 'not_a_server_error'] as CheckName[]).map((n) => ({ type: CHECK_OFF_ANNOTATION, description: describeCheckOff(n) }));
    expect(checksOffIn([...annotations, { type: 'skip', description: 'ignored_auth' }])).toEqual(['not_a_server_error', 'feed_invariants']);
    expect(describeCheckOff('feed_invariants')).toBe(`feed_invariants: ${checks.feed_invariants.rule}`);
  });
});

test.describe('ignored_auth', () => {
  test('fires when a secured operation answers 2xx without credentials or with malformed ones', async () => {
    const context = await byCatalogue();
    for (const sentAuthorization of ['none', 'malformed'] as const) {
      const [finding, ...rest] = statefulFindings([], exchange({ operationId: 'getConsentStatusWithID', sentAuthorization }), context);
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ check: 'ignored_auth', severity: 'error', pointer: 'header:Authorization' });
    }
  });

  test('does not fire on a refusal, with credentials, or for an operation the contract leaves open', async () => {
    const context = await byCatalogue();
    expect(statefulFindings([], exchange({ operationId: 'getConsentStatusWithID', sentAuthorization: 'none', status: 403 }), context)).toEqual([]);
    expect(statefulFindings([], exchange({ operationId: 'getConsentStatusWithID', sentAuthorization: 'bearer' }), context)).toEqual([]);
    expect(statefulFindings([], exchange({ operationId: 'getOpenIdConfiguration', path: '/.well-known/openid-configuration', sentAuthorization: 'none' }), context)).toEqual([]);
  });

  test('the catalogue secures every operation of the effective API contract (E1-E4), and not the discovery document', async () => {
    const catalogue = await getCatalogue();
    expect(catalogue.operations.filter((o) => o.contract === 'api' && !o.secured).map((o) => o.operationId)).toEqual([]);
    expect([catalogue.operation('getOpenIdConfiguration').secured, catalogue.operation('token').secured]).toEqual([false, true]);
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
    const [finding] = statefulFindings([], exchange({ operationId: 'feed', path: '/feed/v1/consent?fromSequenceNr=1&limit=ten', requestValid }), await byCatalogue());
    expect(finding).toMatchObject({ check: 'negative_data_rejection', severity: 'error', actual: expect.stringContaining('200') });
  });

  test('does not fire when the invalid request is refused, or the request was valid', async () => {
    const { api } = await getContracts();
    expect(requestPassesContract(api, 'feed', { query: { fromSequenceNr: '1', limit: '10' } })).toBe(true);
    expect(statefulFindings([], exchange({ operationId: 'feed', requestValid: false, status: 400 }), await byCatalogue())).toEqual([]);
    expect(statefulFindings([], exchange({ operationId: 'feed', requestValid: true }), await byCatalogue())).toEqual([]);
  });
});

test.describe('use_after_free', () => {
  test('fires when debt is served for a consent revoked earlier', async () => {
    const [finding, ...rest] = statefulFindings([getDebt(CONSENT), revoke(CONSENT)], getDebt(CONSENT), await byCatalogue());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ check: 'use_after_free', severity: 'error', actual: '200', expected: expect.stringContaining(CONSENT), rule: 'getDebtWithConsentID after revokeConsentByID 204' });
  });

  test('reads the id from an encoded path under a base path', async () => {
    const context = await byCatalogue();
    const encoded = exchange({ operationId: 'revokeConsentByID', method: 'DELETE', path: '/gateway/v1/debt/a%2Fb', status: 204 });
    expect(names(statefulFindings([encoded], exchange({ operationId: 'getDebtWithConsentID', path: '/v1/debt/a%2Fb' }), context))).toEqual(['use_after_free']);
    expect(names(statefulFindings([revoke(CONSENT)], exchange({ operationId: 'getDebtWithConsentID', path: `/gateway/v1/debt/${CONSENT}` }), context))).toEqual(['use_after_free']);
  });

  test('does not fire for another consent, a refused revoke, a refused lookup, or the status of the revoked consent', async () => {
    const context = await byCatalogue();
    expect(statefulFindings([revoke(OTHER)], getDebt(CONSENT), context)).toEqual([]);
    expect(statefulFindings([revoke(CONSENT, 403)], getDebt(CONSENT), context)).toEqual([]);
    expect(statefulFindings([revoke(CONSENT)], getDebt(CONSENT, 403), context)).toEqual([]);
    const status = exchange({ operationId: 'getConsentStatusWithID', path: `/v1/debt/${CONSENT}/status` });
    expect(statefulFindings([revoke(CONSENT)], status, context)).toEqual([]);
    // Order matters: a lookup before the revoke is no use after free.
    expect(statefulFindings([], getDebt(CONSENT), context)).toEqual([]);
  });

  test('revoke and debt lookup come from the catalogue (revokesConsent, debtLookup), not from operation names', async () => {
    const catalogue = await getCatalogue();
    expect(catalogue.operations.filter((o) => o.revokesConsent).map((o) => o.operationId)).toEqual(['revokeConsentByID']);
    expect(useAfterRevoke.revoked(catalogue.operation('revokeConsentByID'), `/v1/debt/${CONSENT}`, 204)).toBe(CONSENT);
    expect(useAfterRevoke.revoked(catalogue.operation('getConsentStatusWithID'), `/v1/debt/${CONSENT}/status`, 200)).toBeUndefined();
    expect(useAfterRevoke.lookedUp(catalogue.operation('getDebtWithConsentID'), `/v1/debt/${CONSENT}`)).toBe(CONSENT);
    expect(useAfterRevoke.lookedUp(catalogue.operation('getDebtWithAuthCodeToken'), '/v1/debt')).toBeUndefined();
  });
});

test.describe('problem_details_invariants', () => {
  // 3770c4e: every error of createConsent is application/problem+json (ProblemDetailWithErrorReference).
  const contracts = () => getContracts({ version: '3770c4e' });
  const problem = (over: Record<string, unknown> = {}, status = 400, contentType = 'application/problem+json') => ({
    status, contentType,
    body: { type: 'about:blank', title: 'Bad Request', status, detail: 'nin is not a valid NIN', instance: '/v1/consent/agreement', errorReference: '9b0e3c1a-4d2f-4e8a-b6c7-1f2e3d4c5b6a', ...over },
  });
  const problemFindings = <F extends { check: string }>(findings: F[]) => findings.filter((f) => f.check === 'problem_details_invariants');

  test('passes a problem whose status is the HTTP status and whose errorReference is not empty', async () => {
    const { api } = await contracts();
    expect(api.validateResponse('createConsent', problem())).toEqual([]);
    expect(api.validateResponse('createConsent', problem({}, 401))).toEqual([]);
    expect(api.validateResponse('createConsent', problem({}, 400, 'application/problem+json; charset=utf-8'))).toEqual([]);
  });

  test('fails a problem whose status member is not the HTTP status, citing RFC 9457 §3.1.2', async () => {
    const { api } = await contracts();
    const findings = api.validateResponse('createConsent', problem({ status: 500 }));
    expect(findings).toEqual([{
      check: 'problem_details_invariants', severity: 'error', rule: 'createConsent 400 RFC 9457 §3.1.2 status', pointer: '/status',
      expected: expect.stringContaining('400, the HTTP status of the response ("Generators MUST use the same status code in the actual HTTP response")'), actual: '500',
    }]);
    expect(checks.problem_details_invariants.rule).toContain('Generators MUST use the same status code in the actual HTTP response');
    expect(checks.problem_details_invariants.source).toContain('RFC 9457 §3.1.2');
  });

  test('fails a problem whose errorReference is empty or whitespace only', async () => {
    const { api } = await contracts();
    for (const errorReference of ['', ' ', '\t\n', '\u00a0']) {
      expect(api.validateResponse('createConsent', problem({ errorReference })), JSON.stringify(errorReference)).toEqual([{
        check: 'problem_details_invariants', severity: 'error', rule: 'createConsent 400 errorReference "used for support"', pointer: '/errorReference',
        expected: expect.stringContaining('a non-empty string'), actual: JSON.stringify(errorReference),
      }]);
    }
    // Both defects in one body: two findings.
    expect(api.validateResponse('createConsent', problem({ status: 422, errorReference: '' })).map((f) => f.pointer)).toEqual(['/status', '/errorReference']);
  });

  test('judges a problem+json response of any operation, documented or not', async () => {
    const { api } = await contracts();
    const debt = problem({ status: 400, errorReference: ' ' }, 403);
    const findings = api.validateResponse('getDebtWithConsentID', debt);
    expect(problemFindings(findings).map((f) => [f.rule, f.pointer])).toEqual([
      ['getDebtWithConsentID 403 RFC 9457 §3.1.2 status', '/status'], ['getDebtWithConsentID 403 errorReference "used for support"', '/errorReference'],
    ]);
    expect(names(findings)).toContain('content_type_conformance');
    // An undocumented status is still a problem that must agree with itself.
    expect(problemFindings(api.validateResponse('createConsent', problem({ status: 400 }, 418))).map((f) => f.actual)).toEqual(['400']);
  });

  test('ignores other responses, and leaves absent or mistyped members to the schema', async () => {
    const { api } = await contracts();
    // Not problem+json: a Spring or Debt API error body, a success, a body that is not an object.
    expect(problemFindings(api.validateResponse('feed', { status: 400, contentType: 'application/json', body: { status: 500, errorReference: '', error: 'Bad Request' } }))).toEqual([]);
    expect(problemFindings(api.validateResponse('getDebtWithConsentID', { status: 403, contentType: 'application/json', body: { error: 'invalid consent', status: 400 } }))).toEqual([]);
    expect(problemFindings(api.validateResponse('createConsent', { status: 400, contentType: 'application/problem+xml', body: '<problem><status>500</status></problem>' }))).toEqual([]);
    expect(problemFindings(api.validateResponse('createConsent', { status: 400, contentType: 'application/problem+json', body: '[]' }))).toEqual([]);
    // Absent or of another type: the schema's findings (errata S5), not this check's.
    const { status: _s, errorReference: _e, ...bare } = problem().body;
    expect(names(api.validateResponse('createConsent', { ...problem(), body: bare }))).toEqual(['response_schema_conformance', 'response_schema_conformance']);
    expect(names(api.validateResponse('createConsent', problem({ status: '500', errorReference: 42 })))).toEqual(['response_schema_conformance', 'response_schema_conformance']);
  });

  test('is switched off by name like the others', async () => {
    expect(parseChecksOff('problem_details_invariants')).toEqual(['problem_details_invariants']);
    const off = (await getContracts({ version: '3770c4e', checksOff: ['problem_details_invariants'] })).api;
    expect(off.validateResponse('createConsent', problem({ status: 500, errorReference: '' }))).toEqual([]);
    expect(names(off.validateResponse('createConsent', problem({ status: 500 }, 418)))).toEqual(['status_code_conformance']);
  });
});

test('every check a self-test deviation must be caught by is a check of the registry', async () => {
  const { selfTestCases } = await import('../self/deviations.ts');
  const named = selfTestCases.flatMap((c) => c.names ?? []).filter((n) => /^[a-z]+(_[a-z]+)+$/.test(n));
  expect(named.length).toBeGreaterThan(5);
  expect(named.filter((n) => !(checkNames as readonly string[]).includes(n))).toEqual([]);
});
