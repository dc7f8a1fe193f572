/** The invariants the docs state, applied by validateResponse to every feed and token response. */
import { expect, test } from '@playwright/test';
import { getContracts, formatFinding, type ContractFinding } from '../../src/contract/index.ts';
import { loadApiContract } from '../../src/contract/load.ts';
import { feedInvariants, isRfcMust, tokenResponseInvariants } from '../../src/contract/invariants.ts';
import type { ResponseToCheck } from '../../src/contract/validator.ts';
import type { OpenAPIV3 } from 'openapi-types';

const brief = (findings: ContractFinding[]) => findings.map((f) => `${f.severity} ${f.check} ${f.pointer}`);

test.describe('feed_invariants', () => {
  const event = (sequenceNr: number, eventType: 'SAMTYKKE_OPPRETTET' | 'SAMTYKKE_ARKIVERT' = 'SAMTYKKE_OPPRETTET') => ({
    sequenceNr,
    eventId: `a499c700-7e36-4bd5-9b6b-19024b4f94${String(sequenceNr).padStart(2, '0')}`,
    consentId: 'c8ff2ad5-4140-481d-a7cd-6c7deee7203c',
    timestamp: '2024-05-20T12:51:52.184886875Z',
    eventType,
    samtykkeOpprettetEvent: eventType === 'SAMTYKKE_OPPRETTET' ? { clientId: 'f8c4da9f-4c93-4904-8de4-b5942776f9c2', consentId: 'c8ff2ad5-4140-481d-a7cd-6c7deee7203c', scope: 'debt.unsecured.presentation' } : null,
    samtykkeArkivertEvent: eventType === 'SAMTYKKE_ARKIVERT' ? { clientId: 'f8c4da9f-4c93-4904-8de4-b5942776f9c2', consentId: 'c8ff2ad5-4140-481d-a7cd-6c7deee7203c' } : null,
  });
  const page = (events: ReturnType<typeof event>[], start = events[0]?.sequenceNr ?? 1, end = events.at(-1)?.sequenceNr ?? 1) =>
    ({ startSequenceNr: start, endSequenceNr: end, generatedAt: '2024-05-21T12:51:57.383Z', result: events });
  const feed = (body: unknown, query: Record<string, string> = { fromSequenceNr: '1', limit: '10' }): ResponseToCheck =>
    ({ status: 200, contentType: 'application/json', body, request: { query } });

  test("the document's two feed examples hold, with the query their names give", async () => {
    const { api } = await getContracts();
    const examples = ((await loadApiContract()).paths['/feed/v1/consent']!.get!.responses['200'] as OpenAPIV3.ResponseObject).content!['application/json']!.examples!;
    expect(Object.keys(examples).length).toBe(2);
    for (const [name, example] of Object.entries(examples)) {
      const query = Object.fromEntries(name.split(', ').map((kv) => kv.split('=') as [string, string]));
      expect(query).toHaveProperty('limit');
      const findings = api.validateResponse('feed', feed((example as OpenAPIV3.ExampleObject).value, query));
      expect(findings.map(formatFinding), name).toEqual([]);
    }
  });

  test('non-contiguous sequence numbers are fine (consent-feed.md: 7, 8, 13)', () => {
    expect(feedInvariants(feed(page([event(7), event(8), event(13)]), { fromSequenceNr: '7', limit: '3' }))).toEqual([]);
  });

  test('sequence numbers that decrease or repeat are errors', () => {
    const findings = feedInvariants(feed(page([event(3), event(2), event(2)], 2, 3), { fromSequenceNr: '2', limit: '3' }));
    // The repeated event repeats its eventId too.
    expect(brief(findings)).toEqual(['error feed_invariants /result/1/sequenceNr', 'error feed_invariants /result/2/eventId', 'error feed_invariants /result/2/sequenceNr']);
    expect(findings[0]).toMatchObject({ expected: 'greater than 3, the event before it', actual: '2' });
  });

  test("two events of a page with one eventId is an error, naming the first event's place", () => {
    const findings = feedInvariants(feed(page([event(1), { ...event(2), eventId: event(1).eventId }, event(3)])));
    expect(brief(findings)).toEqual(['error feed_invariants /result/1/eventId']);
    expect(findings[0]).toMatchObject({ rule: expect.stringContaining("eventId is its own"), expected: 'an id no other event has (/result/0 has it)' });
  });

  test('an event stamped after the page\'s generatedAt is an error; one stamped at it is not', () => {
    const at = page([event(1)]).generatedAt;
    const findings = feedInvariants(feed(page([{ ...event(1), timestamp: at }, { ...event(2), timestamp: '2024-05-21T12:51:57.384000001Z' }])));
    expect(brief(findings)).toEqual(['error feed_invariants /result/1/timestamp']);
    expect(findings[0]).toMatchObject({ rule: expect.stringContaining('generatedAt'), expected: `at or before generatedAt ${at}` });
  });

  test('an event before fromSequenceNr is an error', () => {
    const [finding] = feedInvariants(feed(page([event(4), event(5)]), { fromSequenceNr: '5', limit: '10' }));
    expect(finding).toMatchObject({ severity: 'error', pointer: '/result/0/sequenceNr', expected: 'at least 5 (fromSequenceNr)', actual: '4' });
  });

  test('more events than limit is an error; without the request the rule is skipped', () => {
    const body = page([event(1), event(2), event(3)]);
    expect(brief(feedInvariants(feed(body, { fromSequenceNr: '1', limit: '2' })))).toEqual(['error feed_invariants /result']);
    expect(feedInvariants({ status: 200, body })).toEqual([]);
  });

  test('events outside [startSequenceNr, endSequenceNr] are errors', () => {
    expect(brief(feedInvariants(feed(page([event(1), event(2), event(3)], 2, 2))))).toEqual([
      'error feed_invariants /result/0/sequenceNr', 'error feed_invariants /result/2/sequenceNr',
    ]);
  });

  test('a short page whose last event is not endSequenceNr is a warning; a full page is not', () => {
    expect(brief(feedInvariants(feed(page([event(1), event(2)], 1, 9), { fromSequenceNr: '1', limit: '10' })))).toEqual(['warning feed_invariants /endSequenceNr']);
    expect(feedInvariants(feed(page([event(1), event(2)], 1, 9), { fromSequenceNr: '1', limit: '2' }))).toEqual([]);
  });

  test("an event without its type's body is an error; the other type's body beside it a warning", () => {
    const created = { ...event(1), samtykkeOpprettetEvent: null };
    const archived = { ...event(2, 'SAMTYKKE_ARKIVERT'), samtykkeOpprettetEvent: event(1).samtykkeOpprettetEvent };
    expect(brief(feedInvariants(feed(page([created, archived]))))).toEqual([
      'error feed_invariants /result/0/samtykkeOpprettetEvent', 'warning feed_invariants /result/1/samtykkeOpprettetEvent',
    ]);
  });

  test('validateResponse applies them to every feed response, and not to other statuses', async () => {
    const { api } = await getContracts();
    const findings = api.validateResponse('feed', feed(page([event(2), event(1)], 1, 2), { fromSequenceNr: '1', limit: '2' }));
    expect(findings.map((f) => f.check)).toEqual(['feed_invariants']);
    expect(feedInvariants({ status: 403, body: { result: [event(2), event(1)] } })).toEqual([]);
  });
});

test.describe('token_response_invariants', () => {
  // token-endpoint.md, client credentials example response.
  const issued = { access_token: 'C2EzneyuE2lEK8VBYZS7TxBUMF16Ns6gTuU5DybZbY.6pcF', expires_in: 3599, scope: 'debt.unsecured.presentation debt.unsecured.processing', token_type: 'bearer' };
  const noStore = { 'cache-control': 'no-store', pragma: 'no-cache', 'content-type': 'application/json' };
  const form = { grant_type: 'client_credentials', audience: 'https://api-preprod.norskgjeld.no/v1/debt', scope: 'debt.unsecured.presentation debt.unsecured.processing' };
  const token = (status: number, body: unknown, headers?: Record<string, string>, requestBody: unknown = form): ResponseToCheck =>
    ({ status, contentType: 'application/json', headers, body, request: { contentType: 'application/x-www-form-urlencoded', body: requestBody } });

  test("the documented response with RFC 6749's headers has no findings", async () => {
    const { oauth } = await getContracts();
    expect(oauth.validateResponse('token', token(200, issued, noStore))).toEqual([]);
    expect(oauth.validateResponse('token', token(200, { ...issued, token_type: 'BEARER' }, noStore))).toEqual([]);
  });

  test('token_type and expires_in are checked on every response, by the schema', async () => {
    const { oauth } = await getContracts();
    const findings = oauth.validateResponse('token', token(200, { ...issued, token_type: 'mac', expires_in: 0 }, noStore));
    expect(findings.map((f) => `${f.check} ${f.pointer}`)).toEqual(['response_schema_conformance /expires_in', 'response_schema_conformance /token_type']);
  });

  test('missing Cache-Control: no-store and Pragma: no-cache are warnings; absent headers are not judged', () => {
    expect(brief(tokenResponseInvariants(token(200, issued, { 'cache-control': 'private' })))).toEqual([
      'warning token_response_invariants header:Cache-Control', 'warning token_response_invariants header:Pragma',
    ]);
    expect(tokenResponseInvariants(token(200, issued, { 'Cache-Control': 'no-cache, no-store', Pragma: 'no-cache' }))).toEqual([]);
    expect(tokenResponseInvariants(token(200, issued))).toEqual([]);
  });

  test('a granted scope beyond the requested one is a warning; a narrower one is not; urlencoded text is read', () => {
    const [finding] = tokenResponseInvariants(token(200, issued, noStore, { ...form, scope: 'debt.unsecured.presentation' }));
    expect(finding).toMatchObject({ severity: 'warning', pointer: '/scope', actual: expect.stringContaining('not requested: debt.unsecured.processing') });
    expect(tokenResponseInvariants(token(200, { ...issued, scope: 'debt.unsecured.presentation' }, noStore))).toEqual([]);
    expect(tokenResponseInvariants(token(200, issued, noStore, 'grant_type=client_credentials&scope=consent.create'))).toHaveLength(1);
    expect(tokenResponseInvariants(token(200, issued, noStore, { grant_type: 'authorization_code', code: 'c', redirect_uri: 'https://x/cb' }))).toEqual([]);
  });

  test('401 must be invalid_client and invalid_client must be 401, with WWW-Authenticate', () => {
    expect(brief(tokenResponseInvariants(token(401, { error: 'invalid_grant' }, {})))).toEqual([
      'error token_response_invariants /error', 'warning token_response_invariants header:WWW-Authenticate',
    ]);
    expect(brief(tokenResponseInvariants(token(400, { error: 'invalid_client' }, {})))).toEqual(['error token_response_invariants status']);
    expect(tokenResponseInvariants(token(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="nogi"' }))).toEqual([]);
    expect(tokenResponseInvariants(token(400, { error: 'invalid_scope' }, {}))).toEqual([]);
  });

  test('the strict profile makes the three RFC MUSTs errors, and nothing else', async () => {
    const broken = [token(200, issued, { pragma: 'no-cache' }, { ...form, scope: 'debt.unsecured.presentation' }), token(401, { error: 'invalid_client' }, {})];
    const lenient = broken.flatMap((r) => tokenResponseInvariants(r));
    const strict = broken.flatMap((r) => tokenResponseInvariants(r, { rfcMusts: 'error' }));
    expect(brief(lenient)).toEqual(['warning token_response_invariants header:Cache-Control', 'warning token_response_invariants /scope', 'warning token_response_invariants header:WWW-Authenticate']);
    expect(brief(strict)).toEqual(['error token_response_invariants header:Cache-Control', 'error token_response_invariants /scope', 'error token_response_invariants header:WWW-Authenticate']);
    expect(strict.every(isRfcMust)).toBe(true);
    // Pragma stays a warning (RFC 9111 deprecates it), and the validator passes the profile on.
    const pragma = tokenResponseInvariants(token(200, issued, { 'cache-control': 'no-store' }), { rfcMusts: 'error' });
    expect(brief(pragma)).toEqual(['warning token_response_invariants header:Pragma']);
    expect(isRfcMust(pragma[0]!)).toBe(false);
    const { oauth } = await getContracts({ rfcMusts: 'error' });
    expect(oauth.validateResponse('token', broken[1]!).map((f) => f.severity)).toEqual(['error']);
    expect(isRfcMust(formatFinding(strict[0]!))).toBe(true);
  });

  test('an error outside RFC 6749 §5.2 is the schema finding', async () => {
    const { oauth } = await getContracts();
    expect(oauth.validateResponse('token', token(400, { error: 'access_denied' }, {}))[0]).toMatchObject({ check: 'response_schema_conformance', pointer: '/error' });
  });
});

test('the gate is strict unless --no-strict; --strict wins over NOGI_STRICT=0; onboarding takes neither flag', async () => {
  const { parse } = await import('../../src/cli/program.ts');
  const { strictProfile } = await import('../../src/cli/gate.ts');
  const strictOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const p = parse(argv);
    return p.kind === 'run' ? strictProfile(p.options, env) : `not a run: ${p.kind}`;
  };
  expect(strictOf(['gate'])).toBe(true);
  expect(strictOf(['gate', '--no-strict'])).toBe(false);
  expect(strictOf(['gate'], { NOGI_STRICT: '0' })).toBe(false);
  expect(strictOf(['gate', '--strict'], { NOGI_STRICT: '0' })).toBe(true);
  expect(() => parse(['onboarding', '--strict'])).toThrow(/onboarding does not take --strict|unknown option/);
});
