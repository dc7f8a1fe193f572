/**
 * The API host's router (src/simulator/api/routing.ts) does once what openapi-backend's router
 * did per request; it must answer exactly as openapi-backend's own: the same operation or the same
 * 404/405, and the same parsed request.
 */
import addFormatsModule from 'ajv-formats';
import { expect, test } from '@playwright/test';
import { OpenAPIBackend, type Request } from 'openapi-backend';
import { loadApiContract } from '../../src/contract/load.ts';
import { precompileRouter } from '../../src/simulator/api/routing.ts';
import { parse } from 'node:querystring';

const requests: Request[] = [];
const ids = ['3f1c2a9e-1111-4222-8333-444455556666', 'a%20b', '%C3%A6%C3%B8', 'x.y', '%2F', ''];
const paths = [
  '/v1/debt/{id}', '/v1/debt/{id}/status', '/v1/debt/{id}/', '/v1/debt', '/v1/debt/', '/v1/consent/agreement', '/v1/consent/agreement/',
  '/v1/consent/feed', '/v1/consent/feed/firstSequenceNr', '/v1/consent/feed/lastSequenceNr', '/nope', '//v1/debt/{id}', '/v1/debt/{id}/status?x=1', 'v1/consent/feed',
];
for (const method of ['GET', 'PUT', 'DELETE', 'POST', 'HEAD', 'get']) {
  for (const p of paths) {
    for (const id of p.includes('{id}') ? ids : ['']) {
      for (const qs of ['', 'fromSequenceNr=1&limit=10', 'limit=5&limit=6', 'x']) {
        requests.push({ method, path: p.replace('{id}', id), query: parse(qs) as Record<string, string | string[]>, headers: { 'content-type': 'application/json', authorization: 'Bearer abc', 'x-trace-id': 't' }, body: method === 'PUT' ? { a: 1 } : undefined });
      }
    }
  }
}
requests.push({ method: 'GET', path: '/v1/debt/1/status', query: {}, headers: { cookie: 'a=b; c=d', Accept: 'x' }, body: undefined });
requests.push({ method: 'PUT', path: '/v1/consent/agreement', query: {}, headers: {}, body: '{"a":1}' });
requests.push({ method: 'GET', path: '/v1/consent/feed', query: 'fromSequenceNr=1', headers: {}, body: undefined });

const outcome = (f: () => unknown): unknown => {
  try {
    const r = f() as { operationId?: string } | undefined;
    return r && typeof r === 'object' && 'operationId' in r ? r.operationId : JSON.parse(JSON.stringify(r ?? null));
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
};

test('the precompiled router matches and parses every request as openapi-backend does', async () => {
  const definition = await loadApiContract();
  const plain = new OpenAPIBackend({ definition: structuredClone(definition), validate: false, quick: true });
  const fast = new OpenAPIBackend({ definition: structuredClone(definition), validate: false, quick: true });
  await plain.init();
  await fast.init();
  precompileRouter(fast);
  expect(fast.router.getOperations().map((o) => o.operationId)).toEqual(plain.router.getOperations().map((o) => o.operationId));
  for (const req of requests) {
    const what = `${req.method} ${req.path} ${JSON.stringify(req.query)}`;
    for (const strict of [true, false]) {
      expect(outcome(() => fast.router.matchOperation(req, strict)), what).toEqual(outcome(() => plain.router.matchOperation(req, strict)));
    }
    const op = plain.router.matchOperation(req);
    expect(outcome(() => fast.router.parseRequest(req)), what).toEqual(outcome(() => plain.router.parseRequest(req)));
    if (op) {
      const fastOp = fast.router.getOperation(op.operationId!)!;
      expect(outcome(() => fast.router.parseRequest(req, fastOp)), what).toEqual(outcome(() => plain.router.parseRequest(req, op)));
    }
  }
});

test('the validator validates every request as openapi-backend does', async () => {
  const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
  const definition = await loadApiContract();
  const make = () => new OpenAPIBackend({ definition: structuredClone(definition), validate: true, quick: true, customizeAjv: (ajv) => addFormats(ajv) });
  const plain = make();
  const fast = make();
  await plain.init();
  await fast.init();
  precompileRouter(fast);
  const bodies: unknown[] = [
    undefined, { nin: '14842249091', scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30, client_consent_id: 'x' },
    { nin: 1, scope_of_consent: 'nope' }, {}, [], 'not json', '{"a":1}', null,
  ];
  const extra: Request[] = bodies.flatMap((body) => ['application/json', 'text/plain', undefined].map((ct) => ({
    method: 'PUT', path: '/v1/consent/agreement', query: {}, headers: { authorization: 'Bearer x', ...(ct ? { 'content-type': ct } : {}) }, body,
  }) as Request));
  for (const req of [...requests, ...extra]) {
    const op = plain.router.matchOperation(req);
    if (!op) continue;
    const what = `${req.method} ${req.path} ${JSON.stringify(req.query)} ${JSON.stringify(req.body)}`;
    const fastOp = fast.router.getOperation(op.operationId!)!;
    expect(outcome(() => fast.validator.validateRequest(structuredClone(req), fastOp)), what).toEqual(outcome(() => plain.validator.validateRequest(structuredClone(req), op)));
  }
});
