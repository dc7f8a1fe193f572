/**
 * The typed client (src/client/nogi-client.ts), the feed reader (src/client/feed.ts) and the
 * callback capture (src/drivers/callback.ts), against a tiny scripted server on 127.0.0.1: what
 * goes on the wire, what findings come back, what gets registered as a secret.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { NoGiClient, type Exchange } from '../../src/client/nogi-client.ts';
import { httpTransport, playwrightTransport } from '../../src/client/transport.ts';
import { readFeed } from '../../src/client/feed.ts';
import { captureCallback } from '../../src/drivers/callback.ts';
import { redact } from '../../src/reporting/redact.ts';
import type { FeedResponse } from '../../src/contract/schemas.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Reply {
  status: number;
  contentType?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A server that records each request and answers with the next scripted reply. */
class Scripted {
  readonly seen: Seen[] = [];
  readonly replies: Reply[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        this.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        const reply = this.replies.shift() ?? { status: 500, body: { error: 'no reply scripted' } };
        const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { ...(text ? { 'content-type': reply.contentType ?? 'application/json' } : {}), ...reply.headers });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const debt = {
  ssn: '14842249091',
  loans: [{ creditorName: 'A', loan: { type: 'chargeCard', timestamp: '2022-11-03T00:00:00Z', coBorrower: 2, interestBearingBalance: 6069400, nonInterestBearingBalance: 641000 } }],
  numberOfCreditorsAnswered: 1,
  numberOfcreditorsMissing: 0,
  consent: { id: 'c-1', exp: 1, scope: 'debt.unsecured.presentation' },
};
const client = { clientId: 'bank a', clientSecret: 'unit-secret:9/x' };

let server: Scripted;
let context: APIRequestContext;
test.beforeAll(async () => {
  server = new Scripted();
  await server.start();
  context = await request.newContext();
});
test.afterAll(async () => {
  await context.dispose();
  await server.stop();
});
test.beforeEach(() => {
  server.seen.length = 0;
  server.replies.length = 0;
});

test('client credentials: form-encoded, HTTP Basic with URL-encoded id and secret; the token is registered as a secret', async () => {
  const nogi = new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: server.url });
  const token = 'tok_abcdefghijklmnopqrstuv.wxyz0123456789ABCDEFGHIJ';
  // With the headers RFC 6749 §5.1 requires of a token response (else token_response_invariants warns).
  server.replies.push({ status: 200, headers: { 'cache-control': 'no-store', pragma: 'no-cache' }, body: { access_token: token, expires_in: 3599, scope: 'consent.create', token_type: 'bearer' } });
  const result = await nogi.clientCredentialsToken(client, 'https://api/v1/consent/agreement', 'consent.create');
  expect(result).toMatchObject({ ok: true, status: 200, operationId: 'token', contract: 'oauth', findings: [] });
  const [sent] = server.seen;
  expect(sent).toMatchObject({ method: 'POST', url: '/oauth2/token' });
  expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  const basic = Buffer.from(sent!.headers.authorization!.replace(/^Basic /, ''), 'base64').toString('utf8');
  // RFC 6749 §2.3.1: each form-urlencoded (a space is +), then joined by a colon.
  expect(basic).toBe('bank+a:unit-secret%3A9%2Fx');
  expect(Object.fromEntries(new URLSearchParams(sent!.body))).toEqual({
    grant_type: 'client_credentials', audience: 'https://api/v1/consent/agreement', scope: 'consent.create',
  });
  expect(redact(`got ${token} for ${client.clientSecret}`)).toBe('got [redacted] for [redacted]');
});

test('authorization code: grant, code, redirect_uri and client_id in the form; the ID token is registered too', async () => {
  const nogi = new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: server.url });
  const idToken = 'header-part-xyz.payload-part-xyz.signature-part-xyz';
  server.replies.push({ status: 200, body: { access_token: 'access-token-123456', id_token: idToken, expires_in: 3599, scope: 'debt.unsecured.presentation openid', token_type: 'bearer' } });
  await nogi.exchangeCode(client, 'the-code-42', 'http://127.0.0.1:9/cb');
  expect(Object.fromEntries(new URLSearchParams(server.seen[0]!.body))).toEqual({
    grant_type: 'authorization_code', code: 'the-code-42', redirect_uri: 'http://127.0.0.1:9/cb', client_id: client.clientId,
  });
  expect(redact(idToken)).toBe('[redacted]');
  expect(redact('code the-code-42')).toBe('code [redacted]');
});

test('API calls: bearer token, a base URL with a path prefix, the consent id URL-encoded; every exchange reported', async () => {
  const exchanges: Exchange[] = [];
  const nogi = new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: `${server.url}/gateway/` }, { onExchange: (e) => void exchanges.push(e) });
  server.replies.push({ status: 200, body: debt }, { status: 204 }, { status: 200, body: { active: false, expires_at: 1 } });
  const found = await nogi.getDebtByConsentId('bearer-token-1', 'a/b c');
  const revoked = await nogi.revokeConsent('bearer-token-1', 'a/b c');
  const status = await nogi.getConsentStatus('bearer-token-1', 'a/b c');
  expect(server.seen.map((s) => `${s.method} ${s.url}`)).toEqual([
    'GET /gateway/v1/debt/a%2Fb%20c', 'DELETE /gateway/v1/debt/a%2Fb%20c', 'GET /gateway/v1/debt/a%2Fb%20c/status',
  ]);
  expect(server.seen[0]!.headers.authorization).toBe('Bearer bearer-token-1');
  expect(found).toMatchObject({ ok: true, data: debt, findings: [] });
  expect(revoked).toMatchObject({ ok: true, status: 204, body: undefined, findings: [] });
  expect(status.data.active).toBe(false);
  expect(exchanges.map((e) => [e.operationId, e.status])).toEqual([['getDebtWithConsentID', 200], ['revokeConsentByID', 204], ['getConsentStatusWithID', 200]]);
  expect(exchanges.map((e) => e.pathTemplate), 'each exchange names the contract path it answers').toEqual(['/v1/debt/{id}', '/v1/debt/{id}', '/v1/debt/{id}/status']);
});

test('feed calls carry fromSequenceNr and limit as query parameters', async () => {
  const nogi = new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: server.url });
  server.replies.push({ status: 200, body: { result: [], endSequenceNr: 0 } }, { status: 200, body: { firstSequenceNr: 1 } }, { status: 200, body: { lastSequenceNr: 9 } });
  await nogi.feed('t-feed-123', 5, 20);
  await nogi.firstSequenceNr('t-feed-123');
  const last = await nogi.lastSequenceNr('t-feed-123');
  expect(server.seen.map((s) => s.url)).toEqual(['/feed/v1/consent?fromSequenceNr=5&limit=20', '/feed/v1/consent/firstSequenceNr', '/feed/v1/consent/lastSequenceNr']);
  expect(last.data.lastSequenceNr).toBe(9);
});

test('a response that breaks the contract comes back with findings naming the rule, not an exception', async () => {
  const nogi = new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: server.url });
  server.replies.push(
    { status: 200, body: { ...debt, numberOfCreditorsAnswered: '1' } },
    { status: 200, contentType: 'text/plain', body: 'active' },
    { status: 404, body: { error: 'not found' } },
    { status: 200, body: '{"truncated": ' },
  );
  const mistyped = await nogi.getDebtByConsentId('t-123456', 'c-1');
  expect(mistyped.ok, 'ok only says the status was the success status').toBe(true);
  expect(mistyped.findings.map((f) => [f.check, f.severity, f.pointer])).toEqual([['response_schema_conformance', 'error', '/numberOfCreditorsAnswered']]);
  const wrongType = await nogi.getConsentStatus('t-123456', 'c-1');
  expect(wrongType.findings[0]).toMatchObject({ check: 'content_type_conformance', actual: 'text/plain' });
  const undocumented = await nogi.getConsentStatus('t-123456', 'c-1');
  expect(undocumented).toMatchObject({ ok: false, status: 404 });
  expect(undocumented.findings[0]).toMatchObject({ check: 'status_code_conformance', actual: '404' });
  const broken = await nogi.getDebtByConsentId('t-123456', 'c-1');
  expect(broken.findings[0]).toMatchObject({ check: 'response_schema_conformance', expected: 'a JSON document, as the content type says' });
});

test('strict mode turns unlisted properties from warnings into errors', async () => {
  const body = { ...debt, surprise: true };
  server.replies.push({ status: 200, body }, { status: 200, body });
  const loose = await new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: server.url }).getDebt('t-123456');
  const strict = await new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: server.url }, { strict: true }).getDebt('t-123456');
  expect(loose.findings.map((f) => [f.severity, f.pointer])).toEqual([['warning', '/surprise']]);
  expect(strict.findings.map((f) => [f.severity, f.pointer])).toEqual([['error', '/surprise']]);
});

test('malformed bodies are sent as they are and still validated; no redirect is followed', async () => {
  const nogi = new NoGiClient(playwrightTransport(context), { accessBaseUrl: server.url, apiBaseUrl: server.url });
  server.replies.push(
    { status: 400, contentType: 'application/problem+json', body: { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'body is not JSON', instance: '/v1/consent/agreement', errorReference: 'r-1' } },
    { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } },
  );
  const refused = await nogi.call('createConsent', { body: '{"nin": ' });
  expect(server.seen[0]).toMatchObject({ method: 'PUT', body: '{"nin": ' });
  expect(server.seen[0]!.headers['content-type']).toBe('application/json');
  expect(server.seen[0]!.headers.authorization, 'no Authorization unless given').toBeUndefined();
  expect(refused).toMatchObject({ ok: false, status: 400, findings: [], errorReference: { field: 'errorReference', value: 'r-1' } });
  const redirected = await nogi.request('api', 'GET', '/v1/debt');
  expect(redirected.status).toBe(302);
  expect(redirected.findings[0]).toMatchObject({ check: 'status_code_conformance' });
  expect(server.seen).toHaveLength(2);
});

test('the fetch transport sends what the Playwright one sends: the same client over both', async () => {
  for (const transport of [httpTransport, playwrightTransport(context)]) {
    server.seen.length = 0;
    server.replies.push({ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
    const nogi = new NoGiClient(transport, { accessBaseUrl: server.url, apiBaseUrl: server.url });
    const result = await nogi.clientCredentialsToken(client, 'aud', 'consent.create');
    expect(result.status, 'no redirect followed').toBe(302);
    expect(server.seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('bank+a:unit-secret%3A9%2Fx').toString('base64')}`);
    expect(server.seen[0]!.body).toBe('grant_type=client_credentials&audience=aud&scope=consent.create');
  }
});

test('an operation the contract does not know is refused before anything is sent', async () => {
  const nogi = new NoGiClient(httpTransport, { accessBaseUrl: server.url, apiBaseUrl: server.url });
  await expect(nogi.call('getDebtByNin')).rejects.toThrow(/Unknown operationId "getDebtByNin"/);
  await expect(nogi.call('getDebtWithConsentID', { token: 't' })).rejects.toThrow(/path parameter "id" is missing/);
  expect(server.seen).toHaveLength(0);
});

test('the authorization URL carries the documented parameters', async () => {
  const nogi = new NoGiClient(playwrightTransport(context), { accessBaseUrl: 'https://access.example/', apiBaseUrl: 'https://api.example' });
  const url = new URL(await nogi.authorizationUrl({ clientId: 'c 1', scope: 'debt.unsecured.presentation openid', state: 's', redirectUri: 'https://bank/cb?x=1' }));
  expect(url.origin + url.pathname).toBe('https://access.example/oauth2/auth');
  expect(Object.fromEntries(url.searchParams)).toEqual({
    client_id: 'c 1', response_type: 'code', scope: 'debt.unsecured.presentation openid', state: 's', redirect_uri: 'https://bank/cb?x=1',
  });
});

test.describe('the feed reader', () => {
  const event = (sequenceNr: number) => ({ sequenceNr, eventId: `e${sequenceNr}`, consentId: 'c', eventType: 'SAMTYKKE_OPPRETTET', timestamp: '2024-01-01T00:00:00Z' });
  /** A fake client serving `numbers` (sorted, with gaps) page by page. */
  function fakeFeed(numbers: number[], endSequenceNr = (page: number[]) => page.at(-1) ?? 0) {
    const calls: Array<[number, number]> = [];
    const client = {
      feed: async (_token: string, from: number, limit: number) => {
        calls.push([from, limit]);
        const page = numbers.filter((n) => n >= from).slice(0, limit);
        const data: FeedResponse = { result: page.map(event) as FeedResponse['result'], startSequenceNr: from, endSequenceNr: endSequenceNr(page), generatedAt: '2024-01-01T00:00:00Z' };
        return { ok: true, status: 200, data };
      },
    } as unknown as NoGiClient;
    return { client, calls };
  }

  test('pages past gaps in the sequence numbers until a short page', async () => {
    const { client, calls } = fakeFeed([3, 4, 9, 20, 21]);
    const read = await readFeed(client, 't', 1, 2);
    expect(read.events.map((e) => e.sequenceNr)).toEqual([3, 4, 9, 20, 21]);
    expect(calls).toEqual([[1, 2], [5, 2], [21, 2]]);
  });

  test('goes on while endSequenceNr lies beyond what was received (the explanation\'s reading)', async () => {
    const { client } = fakeFeed([1, 2, 3, 4], () => 4);
    expect((await readFeed(client, 't', 1, 3)).events).toHaveLength(4);
  });

  test('stops on an empty page, and refuses a feed that never ends', async () => {
    expect((await readFeed(fakeFeed([]).client, 't', 0)).events).toEqual([]);
    const endless = { feed: async (_t: string, from: number) => ({ ok: true, data: { result: [event(from)], endSequenceNr: from + 1 } }) } as unknown as NoGiClient;
    await expect(readFeed(endless, 't', 1, 1, 5)).rejects.toThrow(/did not reach its endSequenceNr within 5 pages/);
  });

  test('a refused page is an error naming the status', async () => {
    const refused = { feed: async () => ({ ok: false, status: 403 }) } as unknown as NoGiClient;
    await expect(readFeed(refused, 't', 7)).rejects.toThrow(/answered 403 reading from 7/);
  });
});

test('the callback is captured in the browser from the redirect, with no server behind the redirect_uri', async ({ page }) => {
  const redirectUri = 'http://127.0.0.1:9/callback';
  server.replies.push({ status: 302, headers: { location: `${redirectUri}?code=abc123&scope=debt.unsecured.presentation&state=s1` } });
  const callback = captureCallback(page, redirectUri, 10_000);
  await page.goto(`${server.url}/oauth2/auth`).catch(() => undefined);
  const { url, params } = await callback;
  expect(url.pathname).toBe('/callback');
  expect(params).toEqual({ code: 'abc123', scope: 'debt.unsecured.presentation', state: 's1' });
});

test('a check switched off in NOGI_CHECKS_OFF (as the fixtures read it) produces no finding; the others still judge', async () => {
  const { checksOffFromEnvironment } = await import('../../src/contract/checks.ts');
  const endpoints = { accessBaseUrl: server.url, apiBaseUrl: server.url };
  const wrongType = { status: 200, contentType: 'text/plain', body: 'active' };
  server.replies.push(wrongType);
  const judged = await new NoGiClient(playwrightTransport(context), endpoints).getConsentStatus('t', 'c-1');
  expect(judged.findings.map((f) => f.check)).toEqual(['content_type_conformance']);
  const checksOff = checksOffFromEnvironment({ NOGI_CHECKS_OFF: 'content_type_conformance, feed_invariants' });
  const lenient = new NoGiClient(playwrightTransport(context), endpoints, { checksOff });
  server.replies.push(wrongType, { status: 418 });
  expect((await lenient.getConsentStatus('t', 'c-1')).findings).toEqual([]);
  expect((await lenient.getConsentStatus('t', 'c-1')).findings.map((f) => f.check)).toEqual(['status_code_conformance']);
  // A body that is not the JSON its content type says is the schema check's: off, it says nothing either.
  server.replies.push({ status: 200, contentType: 'application/json', body: '{not json' });
  const schemaOff = new NoGiClient(playwrightTransport(context), endpoints, { checksOff: checksOffFromEnvironment({ NOGI_CHECKS_OFF: 'response_schema_conformance' }) });
  expect((await schemaOff.getConsentStatus('t', 'c-1')).findings).toEqual([]);
});

test('a problem details error whose status member is not the HTTP status, or whose errorReference is empty, comes back with problem_details_invariants findings', async () => {
  const endpoints = { accessBaseUrl: server.url, apiBaseUrl: server.url };
  const nogi = new NoGiClient(playwrightTransport(context), endpoints, { contract: '3770c4e' });
  const problem = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'nin is not a valid NIN', instance: '/v1/consent/agreement', errorReference: '9b0e3c1a-4d2f-4e8a-b6c7-1f2e3d4c5b6a' };
  const registration = { nin: '12345678901', scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 5, client_consent_id: 'x' };
  server.replies.push(
    { status: 400, contentType: 'application/problem+json', body: problem },
    { status: 400, contentType: 'application/problem+json', body: { ...problem, status: 500 } },
    { status: 400, contentType: 'application/problem+json; charset=utf-8', body: { ...problem, errorReference: '' } },
  );
  const call = () => nogi.call('createConsent', { token: 't-123456', body: registration });
  expect((await call()).findings).toEqual([]);
  const mismatch = await call();
  expect(mismatch.findings.map((f) => [f.check, f.severity, f.pointer, f.actual])).toEqual([['problem_details_invariants', 'error', '/status', '500']]);
  const unreferenced = await call();
  expect(unreferenced.findings.map((f) => [f.check, f.severity, f.pointer, f.actual])).toEqual([['problem_details_invariants', 'error', '/errorReference', '""']]);
});
