/** The contract layer: vendored bytes, errata, generated types, and what the validators report. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, test } from '@playwright/test';
import { applyOverlay, loadApiContract, readErrata, readUpstream, readUpstreamSource, readVersionIndex, sha256, versionPaths } from '../../src/contract/load.ts';
import { renderContractTypes, typesPaths } from '../../src/contract/types.ts';
import { namingContract } from '../../src/reporting/contract-line.ts';
import { getCatalogue } from '../../src/contract/catalogue.ts';
import { ContractValidator, formatFinding, getContracts } from '../../src/contract/index.ts';
import type { OpenAPIV3 } from 'openapi-types';
import { cacheEntry } from '../../src/contract/cache.ts';

/** The provider's copies this project was given, by version (../shared). */
const publishedCopies: Record<string, string> = {
  b68fec2: process.env.NOGI_UPSTREAM_OPENAPI ?? new URL('../../../shared/upstream/openapi.json', import.meta.url).pathname,
  '3770c4e': new URL('../../../shared/upstream-2026-09/openapi.json', import.meta.url).pathname,
};
const JULY = 'b68fec2';
const SEPTEMBER = '3770c4e';

test('the contract versions: July and September vendored, September the default', () => {
  expect(readVersionIndex()).toMatchObject({ default: SEPTEMBER, versions: [JULY, SEPTEMBER] });
});

for (const version of readVersionIndex().versions) {
  test.describe(`version ${version}`, () => {
    test('the vendored document is byte-identical to the file its SOURCE.json names (by SHA-256)', () => {
      const source = readUpstreamSource(version);
      expect(source.version).toBe(version);
      expect(sha256(readFileSync(versionPaths(version).openapi))).toBe(source.sha256);
    });

    test('the vendored document is byte-identical to the published copy, where one is at hand', () => {
      const copy = publishedCopies[version];
      test.skip(!copy || !existsSync(copy), `no published copy of ${version} at hand`);
      expect(readFileSync(versionPaths(version).openapi).equals(readFileSync(copy!))).toBe(true);
    });

    // A run compiles only the schemas it meets; every one of them must compile (contract update runs the same).
    test('every schema of every operation compiles, in the API and the OAuth contract', async () => {
      const { api, oauth } = await getContracts({ version });
      expect(() => api.compileAll()).not.toThrow();
      expect(() => oauth.compileAll()).not.toThrow();
    });

    test('compileAll refuses a schema that is not valid JSON Schema, naming it', async () => {
      const { api } = await getContracts({ version });
      const broken = structuredClone(api.document);
      broken.components!.schemas!.ConsentStatus = { type: 'thing' } as never;
      expect(() => new ContractValidator(broken, 'broken', []).compileAll()).toThrow(/components\.schemas\.ConsentStatus is not valid JSON Schema/);
    });

    test('its errata apply cleanly, every action matching the document and carrying a reason', async () => {
      await expect(applyOverlay(readUpstream(version), readErrata(version))).resolves.toBeDefined();
      for (const action of readErrata(version).actions) expect(action.description, action.target).toMatch(/^[ECS]\d+[a-z]?\. \S/);
    });
  });
}

test.describe('the errata overlay', () => {
  test('an action that matches nothing fails loudly, naming the way through', async () => {
    const overlay = { overlay: '1.0.0', actions: [{ target: '$.paths["/v9/nothing"].get', description: 'E0 test', update: { summary: 'x' } }] };
    await expect(applyOverlay(readUpstream(JULY), overlay, JULY)).rejects.toThrow(/versions\/b68fec2\/errata.*match nothing.*\/v9\/nothing.*contract update/s);
  });

  test('each erratum of b68fec2 changes what it says it changes', async () => {
    const upstream = readUpstream(JULY);
    const effective = await loadApiContract(JULY);
    const schemes = (d: OpenAPIV3.Document) => Object.keys(d.components?.securitySchemes ?? {});
    // E1
    expect(schemes(upstream)).not.toContain('OAuth2_Client_credential');
    expect(schemes(effective)).toEqual(expect.arrayContaining(['OAuth2', 'OAuth2_Client_credential', 'OAuth2_Authorization_code_flow']));
    // E2, E5
    const feed = (d: OpenAPIV3.Document) => d.paths['/feed/v1/consent']!.get!;
    expect(feed(upstream).security).toBeUndefined();
    expect(feed(effective).security).toEqual([{ OAuth2_Client_credential: ['client.access.consent.events'] }]);
    expect(Object.keys(feed(upstream).responses)).toEqual(['200']);
    expect(Object.keys(feed(effective).responses)).toEqual(['200', '400', '401', '403', '500']);
    // E3, E4
    expect(upstream.paths['/v1/debt/{id}']!.delete!.security).toBeUndefined();
    expect(effective.paths['/v1/debt/{id}']!.delete!.security).toEqual([{ OAuth2_Client_credential: ['debt.unsecured.presentation', 'debt.unsecured.processing'] }]);
    expect(effective.paths['/v1/debt/{id}/status']!.get!.security).toEqual([{ OAuth2_Client_credential: ['debt.unsecured.presentation', 'debt.unsecured.processing'] }]);
    // E6, E7
    for (const path of ['/feed/v1/consent/lastSequenceNr', '/feed/v1/consent/firstSequenceNr']) {
      const content = (d: OpenAPIV3.Document) => Object.keys((d.paths[path]!.get!.responses['200'] as OpenAPIV3.ResponseObject).content!);
      expect(content(upstream)).toEqual(['*/*']);
      expect(content(effective)).toEqual(['application/json']);
    }
    const schema = (d: OpenAPIV3.Document, name: string) => d.components!.schemas![name] as OpenAPIV3.SchemaObject;
    const prop = (d: OpenAPIV3.Document, name: string, p: string) => schema(d, name).properties![p] as OpenAPIV3.SchemaObject;
    // E8, E9
    expect([prop(upstream, 'consent_info', 'active').type, prop(effective, 'consent_info', 'active').type]).toEqual(['string', 'boolean']);
    expect([prop(upstream, 'SpringErrorSchema', 'path').format, prop(effective, 'SpringErrorSchema', 'path').format]).toEqual(['uri', 'uri-reference']);
    // E10
    expect(prop(upstream, 'SamtykkeFeedEventDTO', 'samtykkeArkivertEvent').nullable).toBeUndefined();
    expect(prop(effective, 'SamtykkeFeedEventDTO', 'samtykkeArkivertEvent').nullable).toBe(true);
    // E11
    const loan = (d: OpenAPIV3.Document) => (schema(d, 'debt_information').properties!.loans as OpenAPIV3.ArraySchemaObject).items as OpenAPIV3.SchemaObject;
    const loanOf = (d: OpenAPIV3.Document) => loan(d).properties!.loan as OpenAPIV3.SchemaObject;
    expect([loanOf(upstream).anyOf?.length, loanOf(upstream).oneOf]).toEqual([3, undefined]);
    expect([loanOf(effective).anyOf, loanOf(effective).oneOf?.length, loanOf(effective).discriminator?.propertyName]).toEqual([undefined, 3, 'type']);
    for (const name of ['credit_facility', 'repayment_loan', 'charge_cards']) {
      expect(schema(upstream, name).required, name).toBeUndefined();
      expect(schema(effective, name).required, name).toContain('type');
    }
    // The upstream object itself is never modified.
    expect(sha256(JSON.stringify(upstream))).toBe(sha256(JSON.stringify(readUpstream(JULY))));
  });

  test('each erratum of 3770c4e changes what it says it changes', async () => {
    const upstream = readUpstream(SEPTEMBER);
    const effective = await loadApiContract(SEPTEMBER);
    const agreement = (d: OpenAPIV3.Document) => d.paths['/v1/consent/agreement']!;
    const schemes = (d: OpenAPIV3.Document) => Object.keys(d.components?.securitySchemes ?? {});
    // S1, S2: the agreement's security, through the scheme under a valid name.
    expect(agreement(upstream).put!.security).toBeUndefined();
    expect(agreement(effective).put!.security).toEqual([{ NOGI_Oauth_service: ['consent.create'] }]);
    expect(schemes(upstream)).toContain('NOGI Oauth service');
    expect(schemes(effective)).not.toContain('NOGI Oauth service');
    expect(effective.components!.securitySchemes!.NOGI_Oauth_service).toMatchObject({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://access-preprod.norskgjeld.no/oauth2/token' } } });
    // S3
    const accessVariable = (d: OpenAPIV3.Document) => (agreement(d).servers ?? []).find((s) => s.variables?.['Access-environment'])!.variables!['Access-environment']!;
    expect([accessVariable(upstream).default, accessVariable(effective).default]).toEqual(['api', 'access']);
    const schema = (d: OpenAPIV3.Document, name: string) => d.components!.schemas![name] as OpenAPIV3.SchemaObject;
    // S4
    const metadataScopes = (d: OpenAPIV3.Document) => (schema(d, 'consent_metadata').properties!.scope as OpenAPIV3.SchemaObject).enum;
    expect(metadataScopes(upstream)).not.toContain('debt.unsecured.monitoring');
    expect(metadataScopes(effective)).toEqual(['debt.unsecured.presentation', 'debt.unsecured.processing', 'debt.unsecured.monitoring']);
    // S5
    expect(schema(upstream, 'ProblemDetailWithErrorReference').required).toBeUndefined();
    expect(schema(effective, 'ProblemDetailWithErrorReference').required).toEqual(['status', 'title', 'errorReference']);
    // S6
    const problemField = (d: OpenAPIV3.Document, p: string) => (schema(d, 'ProblemDetailWithErrorReference').properties![p] as OpenAPIV3.SchemaObject).format;
    expect([problemField(upstream, 'instance'), problemField(effective, 'instance'), problemField(effective, 'type')]).toEqual(['uri', 'uri-reference', 'uri-reference']);
    // E5: the feed's Spring error body, which this document no longer defines.
    expect(schema(upstream, 'SpringErrorSchema')).toBeUndefined();
    expect((schema(effective, 'SpringErrorSchema').properties!.path as OpenAPIV3.SchemaObject).format).toBe('uri-reference');
    expect(Object.keys(effective.paths['/feed/v1/consent']!.get!.responses)).toEqual(['200', '400', '401', '403', '500']);
    // The agreement's errors stay problem details; the Debt API's stay `error`.
    const catalogue = await getCatalogue(SEPTEMBER);
    expect(catalogue.operation('createConsent')).toMatchObject({ errorFamily: 'problem', unauthorizedBody: true, grant: 'client_credentials', scopes: ['consent.create'], service: 'agreement' });
    expect(catalogue.operation('getDebtWithConsentID').errorFamily).toBe('debt');
    expect(catalogue.operation('feed')).toMatchObject({ errorFamily: 'spring', unauthorizedBody: false });
    expect((await getCatalogue(JULY)).operation('createConsent')).toMatchObject({ errorFamily: 'spring', unauthorizedBody: false, grant: 'client_credentials', scopes: ['consent.create'] });
  });

  test('3.1 schemas validate as JSON Schema 2020-12: explicit nulls, problem details', async () => {
    const { api } = await getContracts({ version: SEPTEMBER });
    expect(api.line).toBe('3.1');
    const problem = { type: 'about:blank', title: 'Bad Request', status: 400, detail: null, instance: '/v1/consent/agreement', errorReference: 'ref-1' };
    const check = (status: number, contentType: string, body: unknown) => api.validateResponse('createConsent', { status, contentType, body }).filter((f) => f.severity === 'error');
    expect(check(400, 'application/problem+json', problem)).toEqual([]);
    expect(check(400, 'application/problem+json', { ...problem, errorReference: undefined }).map(formatFinding).join()).toContain('errorReference');
    expect(check(400, 'application/problem+json', { ...problem, title: 7 }).map((f) => f.pointer)).toEqual(['/title']);
    // The July format under the September contract: the wrong content type, named.
    const spring = { timestamp: '2026-01-01T00:00:00Z', status: 400, error: 'Bad Request', message: 'x', path: '/v1/consent/agreement', requestId: 'r' };
    expect(check(400, 'application/json', spring).map((f) => `${f.check} ${f.expected}`)).toEqual(['content_type_conformance application/problem+json (ProblemDetailWithErrorReference)']);
    // 3770c4e documents a 401 body: the same problem details, its status member the response's.
    expect(check(401, 'application/problem+json', { ...problem, title: 'Unauthorized', status: 401 })).toEqual([]);
    // ...and the September format under the July contract.
    const july = (await getContracts({ version: JULY })).api;
    expect(july.validateResponse('createConsent', { status: 400, contentType: 'application/problem+json', body: problem }).map((f) => f.check)).toEqual(['content_type_conformance']);
  });

  test('the upstream feed examples of b68fec2 validate only with the errata (E10)', async () => {
    const effective = await loadApiContract(JULY);
    const examples = (effective.paths['/feed/v1/consent']!.get!.responses['200'] as OpenAPIV3.ResponseObject).content!['application/json']!.examples!;
    const { api } = await getContracts({ version: JULY });
    for (const [name, example] of Object.entries(examples)) {
      const findings = api.validateResponse('feed', { status: 200, contentType: 'application/json', body: (example as OpenAPIV3.ExampleObject).value });
      expect(findings.filter((f) => f.severity === 'error').map(formatFinding), name).toEqual([]);
    }
    // The upstream document as it is, before the errata: its operations are the catalogue's, with the raw schemas.
    const upstream = readUpstream(JULY);
    const rawOperations = (await getCatalogue(JULY)).operations.filter((o) => o.contract === 'api')
      .map((o) => ({ ...o, spec: upstream.paths[o.path]![o.method.toLowerCase() as 'get']! }));
    const raw = new ContractValidator(upstream, 'upstream-raw', rawOperations);
    const body = (Object.values(examples)[0] as OpenAPIV3.ExampleObject).value;
    expect(raw.validateResponse('feed', { status: 200, contentType: 'application/json', body }).some((f) => f.severity === 'error')).toBe(true);
  });
});

test('generated types are up to date with the contracts (npm run contract:types)', async () => {
  const rendered = await renderContractTypes();
  const paths = typesPaths();
  for (const [name, text] of Object.entries(rendered)) {
    expect(readFileSync(paths[name]!, 'utf8'), `${name} types are stale: run npm run contract:types`).toBe(text);
  }
});

test.describe('response validation', () => {
  const debt = {
    ssn: '14842249091',
    loans: [
      { creditorName: 'A', loan: { type: 'creditFacility', timestamp: '2025-06-30T22:00:00Z', coBorrower: 0, creditLimit: 5000000, interestBearingBalance: 1875050, nonInterestBearingBalance: 12500, nominalInterestRate: 2190, installmentCharges: 4500, installmentChargePeriod: 'MONTHLY' } },
      { creditorName: 'B', loan: { type: 'chargeCard', timestamp: '2022-11-03T00:00:00Z', coBorrower: 2, interestBearingBalance: 6069400, nonInterestBearingBalance: 641000 } },
      { creditorName: 'C', loan: null },
    ],
    numberOfCreditorsAnswered: 2,
    numberOfcreditorsMissing: 1,
    consent: { id: 'x', exp: 1, scope: 'debt.unsecured.presentation' },
  };
  const check = async (body: unknown, status = 200, contentType = 'application/json', strict = false) =>
    (await getContracts({ strict })).api.validateResponse('getDebtWithConsentID', { status, contentType, body });

  test('a conformant body has no findings, and no false warnings under the anyOf of loans', async () => {
    expect((await check(debt)).map(formatFinding)).toEqual([]);
  });

  test('a mistyped field is an error naming the pointer, the expectation, the value and the schema description', async () => {
    const [finding] = await check({ ...debt, numberOfCreditorsAnswered: '2' });
    expect(finding).toMatchObject({ check: 'response_schema_conformance', severity: 'error', pointer: '/numberOfCreditorsAnswered', expected: 'type integer', actual: '"2"' });
    expect(finding?.description).toMatch(/creditors of the loan applicant that answered/);
  });

  test('a missing required field is an error', async () => {
    const { api } = await getContracts();
    const findings = api.validateResponse('getConsentStatusWithID', { status: 403, contentType: 'application/json', body: { error: 1 } });
    expect(findings[0]).toMatchObject({ pointer: '/error', expected: 'type string' });
    const spring = (await getContracts({ version: JULY })).api.validateResponse('createConsent', { status: 400, contentType: 'application/json', body: { status: 400, error: 'Bad Request', path: '/v1/consent/agreement', timestamp: '2024-01-01T00:00:00Z' } });
    expect(spring[0]).toMatchObject({ pointer: '/requestId', expected: 'required property "requestId"', actual: '(absent)' });
  });

  test('an undocumented status code and a wrong content type are errors', async () => {
    expect((await check({}, 404))[0]).toMatchObject({ check: 'status_code_conformance', expected: 'one of 200, 400, 403, 500', actual: '404' });
    expect((await check({}, 502))[0]).toMatchObject({ check: 'not_a_server_error' });
    expect((await check(debt, 200, 'text/plain'))[0]).toMatchObject({ check: 'content_type_conformance', actual: 'text/plain' });
  });

  test('a body on 204 is an error; a charset parameter is not', async () => {
    const { api } = await getContracts();
    expect(api.validateResponse('revokeConsentByID', { status: 204, contentType: 'application/json', body: { x: 1 } })[0]).toMatchObject({ check: 'content_type_conformance' });
    expect(await check(debt, 200, 'application/json; charset=utf-8')).toEqual([]);
  });

  test('unlisted properties are warnings, and errors in strict mode', async () => {
    const body = { ...debt, extra: true, loans: [{ creditorName: 'B', loan: { ...debt.loans[1]!.loan, surprise: 1 } }] };
    const loose = await check(body);
    expect(loose.map((f) => [f.severity, f.pointer])).toEqual([['warning', '/loans/0/loan/surprise'], ['warning', '/extra']]);
    const strict = await check(body, 200, 'application/json', true);
    expect(strict.every((f) => f.severity === 'error')).toBe(true);
    expect(strict).toHaveLength(2);
  });

  test('requests are validated by operation: query parameters and bodies', async () => {
    const { api, oauth } = await getContracts();
    expect(api.validateRequest('feed', { query: { fromSequenceNr: '1', limit: '10' } })).toEqual([]);
    expect(api.validateRequest('feed', { query: { fromSequenceNr: '1' } })[0]).toMatchObject({ pointer: 'query:limit', actual: '(absent)' });
    expect(api.validateRequest('createConsent', { contentType: 'application/json', body: { nin: '1', scope_of_consent: 'x', consent_duration_days: 1, client_consent_id: 'y' } })[0]).toMatchObject({ pointer: '/scope_of_consent' });
    expect(oauth.validateRequest('token', { contentType: 'application/x-www-form-urlencoded', body: { grant_type: 'client_credentials', audience: 'a', scope: 'b' } })).toEqual([]);
    expect(oauth.validateRequest('token', { contentType: 'application/json', body: { grant_type: 'client_credentials' } })[0]).toMatchObject({ pointer: 'content-type' });
  });

  test('an unknown operation id is an error, not a silent pass', async () => {
    const { api } = await getContracts();
    expect(() => api.validateResponse('getEverything', { status: 200 })).toThrow(/Unknown operationId "getEverything"/);
    const catalogue = await getCatalogue();
    expect(catalogue.match('api', 'GET', '/v1/debt/abc/status')?.operationId).toBe('getConsentStatusWithID');
    expect(catalogue.match('api', 'POST', '/v1/debt')).toBeUndefined();
    expect([catalogue.operation('revokeConsentByID').successStatus, catalogue.operation('createConsent').successStatus]).toEqual([204, 200]);
  });

  test('the debt lookups are the operations whose success answer is debt_information', async () => {
    const catalogue = await getCatalogue();
    expect(catalogue.operations.filter((o) => o.debtLookup).map((o) => o.operationId).sort()).toEqual(['getDebtWithAuthCodeToken', 'getDebtWithConsentID']);
  });
});

test.describe('loans are checkable by type (E11)', () => {
  /** A loan type's example as the document gives it: every property's own `example`. */
  const documentExample = async (schemaName: string): Promise<Record<string, unknown>> => {
    const schema = (await loadApiContract()).components!.schemas![schemaName] as OpenAPIV3.SchemaObject;
    return Object.fromEntries(Object.entries(schema.properties!).map(([k, p]) => [k, (p as OpenAPIV3.SchemaObject).example]));
  };
  /** get-started/index.md step 4, verbatim. */
  const getStartedChargeCard = { type: 'chargeCard', timestamp: '2022-11-03T00:00:00Z', coBorrower: 2, interestBearingBalance: 6069400, nonInterestBearingBalance: 641000 };
  const debtWith = (loan: unknown) => ({ ssn: '14842249091', loans: [{ creditorName: 'EXAMPLE LENDER', loan }], numberOfCreditorsAnswered: 1, numberOfcreditorsMissing: 0 });
  const errors = async (loan: unknown) =>
    (await getContracts()).api.validateResponse('getDebtWithConsentID', { status: 200, contentType: 'application/json', body: debtWith(loan) }).filter((f) => f.severity === 'error');

  for (const [name, type] of [['credit_facility', 'creditFacility'], ['repayment_loan', 'repaymentLoan'], ['charge_cards', 'chargeCard']] as const) {
    test(`the document's ${name} example passes, and carries type "${type}"`, async () => {
      const example = await documentExample(name);
      expect(example.type).toBe(type);
      expect((await errors(example)).map(formatFinding)).toEqual([]);
    });
  }

  test('the get-started charge card passes; an unanswered creditor (null) passes', async () => {
    expect(await errors(getStartedChargeCard)).toEqual([]);
    expect(await errors(null)).toEqual([]);
  });

  test('a loan of one type labelled as another fails on the fields that type requires', async () => {
    const asFacility = await errors({ ...getStartedChargeCard, type: 'creditFacility' });
    expect(asFacility.map((f) => f.pointer)).toEqual(expect.arrayContaining(['/loans/0/loan/creditLimit', '/loans/0/loan/installmentChargePeriod']));
    const repayment = await documentExample('repayment_loan');
    const asCard = await errors({ ...repayment, type: 'chargeCard' });
    expect(asCard.map((f) => f.pointer)).toEqual(['/loans/0/loan/interestBearingBalance', '/loans/0/loan/nonInterestBearingBalance']);
  });

  test('a type the document does not name, or no type, fails at /type listing the three', async () => {
    for (const type of ['mortgage', 'CreditFacility', undefined]) {
      const [finding, ...rest] = await errors({ ...(await documentExample('credit_facility')), type });
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({ check: 'response_schema_conformance', pointer: '/loans/0/loan/type', expected: 'one of ["creditFacility","repaymentLoan","chargeCard"]' });
    }
  });

  test('a numeric field sent as a string fails, naming the field', async () => {
    const [finding, ...rest] = await errors({ ...(await documentExample('repayment_loan')), balance: '123100' });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ pointer: '/loans/0/loan/balance', expected: 'type integer', actual: '"123100"' });
  });

  test("the simulator's synthetic people conform", async () => {
    const people = JSON.parse(readFileSync(new URL('../../fixtures/simulator/people.json', import.meta.url), 'utf8')) as { people: { loans: { loan: unknown }[] }[] };
    const loans = people.people.flatMap((p) => p.loans.map((l) => l.loan));
    expect(loans.length).toBeGreaterThan(0);
    for (const loan of loans) expect((await errors(loan)).map(formatFinding)).toEqual([]);
  });
});

test('every report a run writes names the contract version that judged: Markdown, HTML and JSON', () => {
  const words = 'Judged by the provider\'s contract b68fec2 (OpenAPI 3.0.1, published 2026-07-02).';
  expect(namingContract('gate.md', '# Release gate: mock\n\n**PASSED**\n', JULY)).toBe(`# Release gate: mock\n\n${words}\n\n**PASSED**\n`);
  expect(namingContract('onboarding.html', '<html><h1>Onboarding</h1><p>x</p>', SEPTEMBER)).toContain('<h1>Onboarding</h1>\n<p class="contract">Judged by the provider\'s contract 3770c4e');
  expect(JSON.parse(namingContract('health.json', '{"status":"healthy"}', SEPTEMBER))).toEqual({
    contract: { version: SEPTEMBER, openapi: '3.1.0', sha256: readUpstreamSource(SEPTEMBER).sha256 }, status: 'healthy',
  });
});

test('the effective contract cache: a value is found again for the same input bytes, a changed byte is a miss', () => {
  const input = test.info().outputPath('errata.yaml');
  mkdirSync(dirname(input), { recursive: true });
  writeFileSync(input, 'actions: []\n');
  const name = `unit-test-${process.pid}`;
  expect(cacheEntry(name, [input]).read()).toBeUndefined();
  cacheEntry(name, [input]).write({ effective: 1 });
  expect(cacheEntry(name, [input]).read()).toEqual({ effective: 1 });
  writeFileSync(input, 'actions: [] \n');
  expect(cacheEntry(name, [input]).read()).toBeUndefined();
});
