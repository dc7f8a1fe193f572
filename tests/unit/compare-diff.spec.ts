/** The pairing and diff of compare on hand-made exchanges: what counts as a difference, and whose. */
import { expect, test } from '@playwright/test';
import type { Exchange } from '../../src/client/nogi-client.ts';
import { compareRuns, jsonShape } from '../../src/compare/diff.ts';
import type { ContractFinding } from '../../src/contract/index.ts';

const exchange = (over: Partial<Exchange> = {}): Exchange => ({
  operationId: 'token', contract: 'oauth', method: 'POST', url: 'http://x/oauth2/token', pathTemplate: '/oauth2/token', status: 401,
  contentType: 'application/json', headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache', 'www-authenticate': 'Basic realm="nogi", error="invalid_client"' },
  body: { error: 'invalid_client', error_description: 'bad secret' }, text: '', sentAuthorization: 'basic', durationMs: 1, findings: [], ...over,
});
const run = (...exchanges: Exchange[]) => [{ step: 'Token with a wrong client secret', exchanges }];

test('values, descriptions, realms and directive order are not differences', () => {
  const target = exchange({
    headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'No-Store', pragma: 'no-cache', 'www-authenticate': 'Basic realm="NoGi preprod", error="invalid_client"' },
    body: { error: 'invalid_client', error_description: 'Client authentication failed' },
  });
  expect(compareRuns(run(exchange()), run(target))).toEqual([]);
});

test('a missing header, another error code and an extra key are each named once; within the contract they are the simulator\'s', () => {
  const target = exchange({ headers: { 'content-type': 'application/json' }, body: { error: 'unauthorized_client', error_description: 'x', trace: 'abc' } });
  const found = compareRuns(run(exchange()), run(target)).map((d) => [d.kind, d.where, d.simulator, d.target, d.verdict]);
  expect(found).toEqual([
    ['header', 'cache-control', 'no-store', '(absent)', 'simulator'],
    ['header', 'pragma', 'no-cache', '(absent)', 'simulator'],
    ['header', 'www-authenticate', 'basic error=invalid_client realm', '(absent)', 'simulator'],
    ['shape', '/trace', '(absent)', 'string', 'simulator'],
    ['error-body', 'error', '"invalid_client"', '"unauthorized_client"', 'simulator'],
  ]);
});

test('a difference where the target breaks the contract is on the contract side, with its findings', () => {
  const finding: ContractFinding = { check: 'status_code_conformance', severity: 'error', rule: 'token responses', pointer: '/', expected: '400 or 401', actual: '403' };
  const [d] = compareRuns(run(exchange()), run(exchange({ status: 403, findings: [finding] })));
  expect(d).toMatchObject({ kind: 'status', simulator: '401', target: '403', verdict: 'contract-or-errata' });
  expect(d!.targetFindings[0]).toContain('status_code_conformance');
});

test('an exchange on one side only is named; an empty array is data, not shape', () => {
  expect(compareRuns(run(exchange(), exchange()), run(exchange())).map((d) => d.kind)).toEqual(['missing-exchange']);
  const withLoans = exchange({ status: 200, body: { loans: [{ creditorName: 'A', loan: null }] } });
  const noLoans = exchange({ status: 200, body: { loans: [] } });
  expect(compareRuns(run(withLoans), run(noLoans))).toEqual([]);
  expect([...jsonShape({ a: [1, 'x'], b: '2025-01-01T00:00:00Z' })].map(([p, t]) => `${p}: ${[...t].join('|')}`)).toEqual([
    '/: object', '/a: array', '/a[]: integer|string', '/b: string (date-time)',
  ]);
});
