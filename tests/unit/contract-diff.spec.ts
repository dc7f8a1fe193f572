/**
 * The contract differ (src/contract/diff.ts) on the provider's July and September documents and on
 * hand-made pairs, and `contract update|default` (src/cli/contract.ts) on a scratch copy of
 * contracts/.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { contractDefault, contractUpdate } from '../../src/cli/contract.ts';
import { diffContracts, diffSummary, type ContractChange } from '../../src/contract/diff.ts';
import { contractsDir, readErrata, readVersionIndex, sha256, versionPaths } from '../../src/contract/load.ts';

// The provider's September document as given to the project (../shared), else its vendored copy
// (byte-identical, contract.spec.ts proves it where both are at hand).
const sharedSeptember = new URL('../../../shared/upstream-2026-09/openapi.json', import.meta.url).pathname;
const septemberPath = existsSync(sharedSeptember) ? sharedSeptember : versionPaths('3770c4e').openapi;
const july = JSON.parse(readFileSync(versionPaths('b68fec2').openapi, 'utf8'));
const september = JSON.parse(readFileSync(versionPaths('3770c4e').openapi, 'utf8'));

const find = (changes: ContractChange[], where: string, what: RegExp) => changes.filter((c) => `${c.where} ${c.at}`.includes(where) && what.test(c.what));

test.describe('July → September', () => {
  const diff = diffContracts(july, september, { errata: readErrata('b68fec2') });
  const lines = diffSummary(diff, { from: 'b68fec2', to: '3770c4e' });
  const text = lines.join('\n');

  test('names the agreement errors\' move to problem+json, once, breaking for both', () => {
    const moved = find(diff.changes, 'PUT /v1/consent/agreement', /application\/json \(SpringErrorSchema\) → application\/problem\+json \(ProblemDetailWithErrorReference\)/);
    expect(moved).toHaveLength(1);
    expect(moved[0]!.at).toBe('400, 403, 409, 500');
    expect(moved[0]!.breaking).toEqual({ client: true, provider: true });
  });

  test('names the 401 body, the monitoring scope in request and response, and the security change', () => {
    expect(find(diff.changes, 'PUT /v1/consent/agreement 401', /body added: application\/problem\+json \(ProblemDetailWithErrorReference\)/)).toHaveLength(1);
    const [response] = find(diff.changes, 'schema ConsentResponseDTO', /enum value added: debt\.unsecured\.monitoring/);
    const [request] = find(diff.changes, 'schema CreateConsentRequestDTO', /enum value added: debt\.unsecured\.monitoring/);
    expect(response?.breaking).toEqual({ client: true, provider: false });
    expect(request?.breaking).toEqual({ client: false, provider: true });
    expect(find(diff.changes, 'PUT /v1/consent/agreement', /security requirement removed \(was OAuth2 \[consent\.create\]\)/)).toHaveLength(1);
    expect(find(diff.changes, 'security scheme NOGI Oauth service', /scheme added: oauth2 .*clientCredentials \[consent\.create\]/)).toHaveLength(1);
    expect(text).toMatch(/client must act[^]*ConsentResponseDTO[^]*provider must act[^]*CreateConsentRequestDTO/);
  });

  test('null notation and moved servers are no change; each change once; one screen', () => {
    // The loan's 3.0 `nullable: true` is 3.1's anyOf [..., {type: null}]; seven paths took the top-level servers.
    expect(diff.notationOnly).toEqual({ schemas: 1, servers: 7 });
    expect(diff.changes.some((c) => c.at.includes('loan'))).toBe(false);
    expect(text).toContain('8 notation-only differences ignored');
    const keys = diff.changes.map((c) => `${c.where}|${c.at}|${c.what}`);
    expect(new Set(keys).size).toBe(keys.length);
    // A schema change is listed under the schema, never again under each operation that reaches it.
    expect(diff.changes.filter((c) => /monitoring/.test(c.what))).toHaveLength(2);
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(160);
  });

  test('changes an erratum of the from-version targets are marked for our errata', () => {
    expect(find(diff.changes, 'schema SpringErrorSchema', /schema removed/)[0]?.errata).toEqual(expect.arrayContaining(['E5', 'E9']));
    expect(text).toMatch(/Our errata: .*E9/);
  });

  test('a document against itself: no change, no notation difference', () => {
    expect(diffContracts(september, september)).toMatchObject({ changes: [], notationOnly: { schemas: 0, servers: 0 } });
    expect(diffContracts(july, structuredClone(july)).changes).toEqual([]);
  });
});

/** A minimal document: one operation whose request body and 200 response are component schemas. */
function doc(openapi: string, schemas: Record<string, unknown>, media = 'application/json') {
  return {
    openapi,
    info: { title: 'x', version: '1' },
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingRequest' } } } },
          responses: { '200': { description: 'ok', content: { [media]: { schema: { $ref: '#/components/schemas/Thing' } } } } },
        },
      },
    },
    components: { schemas },
  };
}
const request = (extra: Record<string, unknown> = {}, required = ['name']) => ({ type: 'object', required, properties: { name: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] }, ...extra } });
const response = (extra: Record<string, unknown> = {}, required = ['id', 'note']) => ({ type: 'object', required, properties: { id: { type: 'string' }, note: { type: 'string', nullable: true }, kind: { type: 'string', enum: ['a', 'b'] }, ...extra } });

test.describe('breaking for a client, for the provider', () => {
  const base = doc('3.0.3', { ThingRequest: request(), Thing: response() });
  const only = (to: object) => {
    const d = diffContracts(base, to);
    expect(d.changes, JSON.stringify(d.changes.map((c) => `${c.where} ${c.at}: ${c.what}`))).toHaveLength(1);
    return d.changes[0]!;
  };

  test('an enum value added: breaks clients in a response, the provider in a request', () => {
    const r = only(doc('3.0.3', { ThingRequest: request(), Thing: response({ kind: { type: 'string', enum: ['a', 'b', 'c'] } }) }));
    expect([r.where, r.at, r.what, r.breaking]).toEqual(['schema Thing', '.kind', 'enum value added: c', { client: true, provider: false }]);
    const q = only(doc('3.0.3', { ThingRequest: request({ kind: { type: 'string', enum: ['a', 'b', 'c'] } }), Thing: response() }));
    expect([q.where, q.breaking]).toEqual(['schema ThingRequest', { client: false, provider: true }]);
  });

  test('a new required request property breaks clients; a removed required response property breaks clients', () => {
    const q = only(doc('3.0.3', { ThingRequest: request({ size: { type: 'integer' } }, ['name', 'size']), Thing: response() }));
    expect([q.at, q.what, q.breaking]).toEqual(['.size', 'required property added', { client: true, provider: false }]);
    const { id: _gone, ...rest } = response().properties;
    const r = only(doc('3.0.3', { ThingRequest: request(), Thing: { type: 'object', required: ['note'], properties: rest } }));
    expect([r.at, r.what, r.breaking]).toEqual(['.id', 'required property removed', { client: true, provider: false }]);
  });

  test('a response content type changed breaks both', () => {
    const c = only(doc('3.0.3', { ThingRequest: request(), Thing: response() }, 'application/problem+json'));
    expect([c.where, c.at, c.breaking]).toEqual(['POST /things', '200', { client: true, provider: true }]);
    expect(c.what).toBe('application/json (Thing) → application/problem+json (Thing)');
  });

  test('3.1 notation for the same contract is no change: null types, oneOf null, allOf [$ref], annotations, key order', () => {
    const same31 = doc('3.1.0', {
      ThingRequest: { properties: { kind: { enum: ['b', 'a'], type: 'string', description: 'which' }, name: { type: 'string', examples: ['x'] } }, required: ['name'], type: 'object', 'x-internal': true },
      Thing: { type: 'object', required: ['note', 'id'], properties: { id: { type: 'string' }, note: { type: ['string', 'null'] }, kind: { type: 'string', enum: ['a', 'b'] } } },
    });
    (same31.paths['/things'].post.requestBody.content['application/json'] as { schema: unknown }).schema = { allOf: [{ $ref: '#/components/schemas/ThingRequest' }], description: 'the thing' };
    const d = diffContracts(base, same31);
    expect(d.changes).toEqual([]);
    expect(d.notationOnly.schemas).toBe(2);
    // ...and a real null added in 3.1 notation is a change, breaking clients in a response.
    const nullable = structuredClone(same31);
    (nullable.components.schemas.Thing as { properties: Record<string, unknown> }).properties.id = { oneOf: [{ type: 'string' }, { type: 'null' }] };
    const [c] = diffContracts(base, nullable).changes;
    expect([c?.at, c?.what, c?.breaking]).toEqual(['.id', 'now nullable', { client: true, provider: false }]);
  });
});

test.describe('contract update and default on a scratch copy of contracts/', () => {
  let dir = '';
  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nogi-contracts-'));
    cpSync(contractsDir, dir, { recursive: true });
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const today = new Date('2026-12-03T10:00:00Z');

  test('the September document again: already vendored, byte-identical, nothing written', async () => {
    const before = readFileSync(join(dir, 'versions/index.json'), 'utf8');
    const r = await contractUpdate(septemberPath, { cwd: process.cwd(), contractsDir: dir, today });
    expect(r).toMatchObject({ version: '3770c4e', created: false });
    expect(r.lines.join('\n')).toContain('already vendored as 3770c4e, byte-identical');
    expect(readFileSync(join(dir, 'versions/index.json'), 'utf8')).toBe(before);
  });

  test('a new document: its own version, bytes unchanged, not the default, unused errata reported, then default switches', async () => {
    // September with one more operation, the scheme under a valid name and the agreement's access server gone
    // (so errata S2a and S3 match nothing).
    const next = structuredClone(september);
    next.paths['/v1/debt/{id}/history'] = { get: { operationId: 'consentHistory', responses: { '200': { description: 'ok' } } } };
    const schemes = next.components.securitySchemes;
    schemes.NOGI_Oauth_service = schemes['NOGI Oauth service'];
    delete schemes['NOGI Oauth service'];
    next.paths['/v1/consent/agreement'].servers = next.paths['/v1/consent/agreement'].servers.slice(0, 1);
    const file = join(dir, 'next.json');
    const text = `${JSON.stringify(next, null, 1)}\n`;
    writeFileSync(file, text);
    const hash = sha256(text);
    const r = await contractUpdate(file, { cwd: dir, contractsDir: dir, today });
    const out = r.lines.join('\n');
    expect(r).toMatchObject({ version: `sha-${hash.slice(0, 7)}`, created: true });
    const paths = versionPaths(r.version, join(dir, 'versions'));
    expect(readFileSync(paths.openapi, 'utf8')).toBe(text);
    expect(JSON.parse(readFileSync(paths.source, 'utf8'))).toMatchObject({ version: r.version, openapi: '3.1.0', publishedUrl: file, retrieved: '2026-12-03', sha256: hash });
    expect(JSON.parse(readFileSync(paths.source, 'utf8')).published).toBeUndefined();
    expect(readVersionIndex(join(dir, 'versions'))).toMatchObject({ default: '3770c4e', versions: ['b68fec2', '3770c4e', r.version] });
    // Every erratum kept; the unused ones listed in the output and the file's header.
    expect(r.unusedErrata.map((a) => a.description.split('.')[0])).toEqual(['S2a', 'S3']);
    expect(readFileSync(paths.errata, 'utf8')).toContain(readFileSync(versionPaths('3770c4e').errata, 'utf8'));
    expect(out).toMatch(/Match nothing in the new document[^]*S2a[^]*S3/);
    expect(out).toMatch(/provider must act[^]*GET \/v1\/debt\/\{id\}\/history: operation added/);
    // The checklist finds what the agreement's changes touch in this suite.
    expect(out).toMatch(/- PUT \/v1\/consent\/agreement \(createConsent\): specs: .*security\.spec\.ts.*; pact interactions: .*; simulator handlers: src\/simulator\/api\/handlers\/agreement\.ts; simulator deviations: .*agreement-wrong-status.*; self-test cases: .*agreement-wrong-status/);
    expect(out).toMatch(/- GET \/v1\/debt\/\{id\}\/history \(consentHistory\): nothing in this suite reaches it/);
    // Found by real links, not by the operationId written out: the specs calling NoGiClient.registerAgreement directly or
    // through a lifecycle they import, and the deviations whose appliesTo selects the operation by a predicate.
    const agreement = /- PUT \/v1\/consent\/agreement \(createConsent\): (.*)/.exec(out)?.[1] ?? '';
    const listed = (kind: string) => new RegExp(`${kind}: ([^;]*)`).exec(agreement)?.[1]?.split(', ') ?? [];
    expect(listed('specs')).toEqual(expect.arrayContaining(['specs/integrated-consent.spec.ts', 'specs/monitoring-consent.spec.ts', 'specs/consent-feed.spec.ts', 'specs/security.spec.ts']));
    expect(listed('lifecycles')).toEqual(['src/lifecycles/integrated-consent.ts']);
    expect(listed('simulator deviations')).toEqual(expect.arrayContaining(['agreement-wrong-status', 'problem-without-error-reference']));
    expect(listed('simulator deviations')).not.toContain('debt-invalid-token-401');

    // Never overwritten.
    await expect(contractUpdate(file.replace('next', 'other'), { cwd: dir, contractsDir: dir })).rejects.toThrow(/could not be read/);
    writeFileSync(join(dir, 'other.json'), text.replace('consentHistory', 'history'));
    await expect(contractUpdate(join(dir, 'other.json'), { as: r.version, cwd: dir, contractsDir: dir })).rejects.toThrow(`contracts/versions/${r.version}/ exists already`);

    // The default moves only when asked, and not to a version whose errata match nothing.
    await expect(contractDefault(r.version, dir)).rejects.toThrow(/S2a, S3.*fix contracts\/versions\//);
    expect(await contractDefault('b68fec2', dir)).toBe('The default contract version is now b68fec2 (was 3770c4e).');
    expect(readVersionIndex(join(dir, 'versions')).default).toBe('b68fec2');
    await expect(contractDefault('3770c', dir)).rejects.toThrow('Unknown contract version "3770c": this suite vendors b68fec2, 3770c4e, ' + r.version + ' (contracts/versions/); did you mean 3770c4e?');
    expect(existsSync(join(contractsDir, 'versions', r.version))).toBe(false);
  });

  test('schemas AJV cannot compile: refused with the reason, nothing written', async () => {
    const before = readFileSync(join(dir, 'versions/index.json'), 'utf8');
    // Not valid JSON Schema (checked against the meta-schema), and a reference to nothing (compiled).
    const invalid = structuredClone(september);
    invalid.components.schemas.Broken = { type: 'text' };
    const unresolved = structuredClone(september);
    unresolved.paths['/v1/debt/{id}/history'] = { get: { operationId: 'consentHistory', responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } } } } };
    const refusals = [
      ['invalid', invalid, /invalid\.json is refused, nothing vendored: nogi-api: components\.schemas\.Broken is not valid JSON Schema: .*type/],
      ['unresolved', unresolved, /unresolved\.json is refused, nothing vendored: .*Missing/],
    ] as const;
    for (const [name, doc, reason] of refusals) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(doc));
      await expect(contractUpdate(file, { cwd: dir, contractsDir: dir, today }), name).rejects.toThrow(reason);
    }
    expect(readFileSync(join(dir, 'versions/index.json'), 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'versions')).filter((d) => d.startsWith('sha-'))).toEqual([]);
  });

  test('an erratum the provider fixed by adding what it appends (S5\'s required list): dropped as fixed upstream, named; the version becomes the default', async () => {
    const fixed = structuredClone(september);
    fixed.components.schemas.ProblemDetailWithErrorReference.required = ['status', 'title', 'errorReference'];
    writeFileSync(join(dir, 'fixed.json'), JSON.stringify(fixed));
    const r = await contractUpdate(join(dir, 'fixed.json'), { as: 'fixed', cwd: dir, contractsDir: dir, today });
    const out = r.lines.join('\n');
    expect(r.fixedUpstream.map((a) => a.description.split('.')[0])).toEqual(['S5']);
    expect([r.unusedErrata, r.partlyFixed, r.breaking]).toEqual([[], [], []]);
    expect(out).toMatch(/Fixed upstream, no longer needed \(dropped from fixed's errata[^]*- S5 .*required has "status", "title", "errorReference"/);
    const errata = readFileSync(versionPaths('fixed', join(dir, 'versions')).errata, 'utf8');
    expect(errata).toMatch(/^# Dropped, fixed upstream .*: S5\.$/m);
    expect(errata).not.toContain('S5. No `required` list');
    // Every other action, comments and all, as the default's.
    expect(errata).toContain(readFileSync(versionPaths('3770c4e').errata, 'utf8').replace(/ {2}- target: \$\.components\.schemas\.ProblemDetailWithErrorReference\n[^]*?required: \[status, title, errorReference\]\n/, ''));
    expect(await contractDefault('fixed', dir)).toBe('The default contract version is now fixed (was 3770c4e).');
  });

  test('an erratum partly fixed upstream, or one that breaks the new schemas: vendored, kept, named, and default refuses the version', async () => {
    // Partly: the document requires status and title, S5 would add them again. Breaking: credit_facility renamed, so
    // E11b's oneOf refers to nothing (and E11c matches nothing).
    const next = structuredClone(september);
    next.components.schemas.ProblemDetailWithErrorReference.required = ['status', 'title'];
    next.components.schemas.creditFacility = next.components.schemas.credit_facility;
    delete next.components.schemas.credit_facility;
    const loan = next.components.schemas.debt_information.properties.loans.items.properties.loan;
    loan.anyOf = loan.anyOf.map((s: { $ref?: string }) => (s.$ref?.endsWith('/credit_facility') ? { $ref: '#/components/schemas/creditFacility' } : s));
    writeFileSync(join(dir, 'next.json'), JSON.stringify(next));
    const r = await contractUpdate(join(dir, 'next.json'), { as: 'next', cwd: dir, contractsDir: dir, today });
    const out = r.lines.join('\n');
    const ids = (actions: Array<{ description: string }>) => actions.map((a) => a.description.split('.')[0]);
    expect([ids(r.fixedUpstream), ids(r.partlyFixed), ids(r.unusedErrata), ids(r.breaking)]).toEqual([[], ['S5'], ['E11c'], ['E11b']]);
    expect(out).toMatch(/Partly fixed upstream \(kept; rewrite them to add only what is missing\):\n {2}- S5 .*required has "status", "title" already/);
    expect(out).toMatch(/Break the new document's schemas \(kept; rewrite them\):\n {2}- E11b .*credit_facility/);
    const errata = readFileSync(versionPaths('next', join(dir, 'versions')).errata, 'utf8');
    expect(errata).toMatch(/^# S5 is partly fixed upstream: .*Rewrite it to add only the rest\.$/m);
    expect(errata).toMatch(/^# E11b breaks this document's schemas/m);
    await expect(contractDefault('next', dir)).rejects.toThrow(/1 action\(s\) that match nothing \(E11c\); 1 action\(s\) that add again what the document has \(S5\): fix contracts\/versions\/next\//);
  });

  test('not OpenAPI, or YAML to vendor: a clear refusal, nothing written', async () => {
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    await expect(contractUpdate(join(dir, 'x.json'), { cwd: dir, contractsDir: dir })).rejects.toThrow('is not an OpenAPI 3.0 or 3.1 document');
    writeFileSync(join(dir, 'x.yaml'), 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\n');
    await expect(contractUpdate(join(dir, 'x.yaml'), { cwd: dir, contractsDir: dir })).rejects.toThrow(/is YAML/);
    expect(readVersionIndex(join(dir, 'versions')).versions).toEqual(['b68fec2', '3770c4e']);
  });
});
