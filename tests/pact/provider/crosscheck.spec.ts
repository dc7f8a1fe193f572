/**
 * Bi-directional check: every interaction of the committed pacts against the effective OpenAPI
 * contracts, with the project's AJV validators (src/pact/crosscheck.ts). Runs after the consumer
 * tests have (re)generated the pacts. Doctored interactions prove the check bites.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { crossCheckAll, crossCheckDocument, formatCrossCheck, type PactDocument, type PactInteraction } from '../../../src/pact/crosscheck.ts';
import { ACCESS_PROVIDER, API_PROVIDER, pactDir, pactFile } from '../../../src/pact/names.ts';

const load = (provider: typeof API_PROVIDER | typeof ACCESS_PROVIDER): PactDocument =>
  JSON.parse(readFileSync(pactFile(provider, pactDir()), 'utf8')) as PactDocument;

test('every pact interaction conforms to the effective OpenAPI contracts', async () => {
  const { files, interactions, findings } = await crossCheckAll();
  expect(files.length).toBe(2);
  expect(interactions).toBeGreaterThanOrEqual(14);
  expect(findings.map(formatCrossCheck)).toEqual([]);
});

/** One interaction of a pact, changed by `edit`, checked alone. */
async function doctored(provider: typeof API_PROVIDER | typeof ACCESS_PROVIDER, description: string, edit: (i: PactInteraction) => void): Promise<string[]> {
  const pact = load(provider);
  const interaction = pact.interactions.find((i) => i.description === description);
  expect(interaction, `interaction "${description}" exists`).toBeDefined();
  const copy = structuredClone(interaction!);
  edit(copy);
  const findings = await crossCheckDocument({ ...pact, interactions: [copy] }, 'doctored');
  return findings.map(formatCrossCheck);
}

const body = (i: PactInteraction, side: 'request' | 'response') => i[side].body!.content as Record<string, unknown>;

test.describe('the cross-check catches a pact that drifts from the contract', () => {
  test('a response field of the wrong type', async () => {
    const found = await doctored(API_PROVIDER, 'a request for debt information by consent id', (i) => {
      body(i, 'response').ssn = 14842249091;
    });
    expect(found.join('\n')).toMatch(/response \(getDebtWithConsentID\).*response_schema_conformance.*at \/ssn expected type string/);
  });

  test('a response field the contract does not document', async () => {
    const found = await doctored(API_PROVIDER, 'a request to register an integrated consent agreement', (i) => {
      (body(i, 'response').consent as Record<string, unknown>).renewable = true;
    });
    expect(found.join('\n')).toMatch(/createConsent.*\/consent\/renewable/);
  });

  test('an undocumented status code', async () => {
    const found = await doctored(API_PROVIDER, 'a request to register an integrated consent agreement', (i) => {
      i.response.status = 201;
    });
    expect(found.join('\n')).toMatch(/status_code_conformance.*expected one of 200, 400, 401, 403, 409, 500, got 201/);
  });

  test('an undocumented content type', async () => {
    const found = await doctored(API_PROVIDER, 'a request for the status of an active consent', (i) => {
      i.response.body!.contentType = 'text/plain';
      i.response.headers = { 'Content-Type': ['text/plain'] };
    });
    expect(found.join('\n')).toMatch(/content_type_conformance.*expected application\/json \(consent_status\), got text\/plain/);
  });

  test('a path that is no operation', async () => {
    const found = await doctored(API_PROVIDER, 'a request for the last sequence number', (i) => {
      i.request.path = '/feed/v1/consent/latest';
    });
    expect(found.join('\n')).toMatch(/routing: GET \/feed\/v1\/consent\/latest is not an operation of the nogi-api contract/);
  });

  test('a request body the contract refuses', async () => {
    const found = await doctored(API_PROVIDER, 'a request to register an integrated consent agreement', (i) => {
      body(i, 'request').consent_duration_days = 'thirty';
      delete body(i, 'request').scope_of_consent;
    });
    expect(found.join('\n')).toMatch(/request \(createConsent\).*consent_duration_days expected type integer/);
    expect(found.join('\n')).toMatch(/request \(createConsent\).*required property "scope_of_consent"/);
  });

  test('an undocumented query parameter, and a missing required one', async () => {
    const found = await doctored(API_PROVIDER, 'a request for a page of consent events', (i) => {
      i.request.query = { fromSequenceNr: ['1'], pageSize: ['2'] };
    });
    expect(found.join('\n')).toMatch(/query parameter "pageSize" is not documented for feed/);
    expect(found.join('\n')).toMatch(/query:limit expected present/);
  });

  test('a token request that is not the documented form', async () => {
    const asJson = await doctored(ACCESS_PROVIDER, 'a client-credentials token request for the debt API', (i) => {
      i.request.body = { content: { grant_type: 'client_credentials' }, contentType: 'application/json', encoded: false };
    });
    expect(asJson.join('\n')).toMatch(/request \(token\).*content-type expected application\/x-www-form-urlencoded, got application\/json/);
    const noGrant = await doctored(ACCESS_PROVIDER, 'a client-credentials token request for the debt API', (i) => {
      i.request.body!.content = 'audience=x&scope=y';
    });
    expect(noGrant.join('\n')).toMatch(/request \(token\).*grant_type/);
  });
});
