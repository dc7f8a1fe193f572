/**
 * Consumer contract with the access (OAuth) host: POST /oauth2/token, both grants, form-encoded,
 * driven by the typed NoGiClient against the Pact mock server. Matchers on the form fields
 * (src/pact/form.ts); the last test proves the pact file holds the form body and content type
 * the client really sent (pact-js#1233, #767).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MatchersV3 as M } from '@pact-foundation/pact';
import { expect, test } from '@playwright/test';
import { NoGiClient } from '../../../src/client/nogi-client.ts';
import { playwrightTransport } from '../../../src/client/transport.ts';
import { AUDIENCE, EX } from '../../../src/pact/examples.ts';
import { FORM, formBody } from '../../../src/pact/form.ts';
import { consumerPact } from '../../../src/pact/committed.ts';
import { ACCESS_PROVIDER } from '../../../src/pact/names.ts';
import { untilRecorded } from '../../../src/pact/mock-server.ts';
import { STATES } from '../../../src/pact/states.ts';
import { readPact } from '../../../src/pact/verify.ts';

test.describe.configure({ mode: 'serial' });

// Written to a folder of this run; the last test holds it against the committed pact (src/pact/committed.ts).
const consumer = consumerPact(ACCESS_PROVIDER);
const consumerClient = { clientId: EX.clientIdForForm, clientSecret: 'pact-client-secret' };
const basic = `Basic ${Buffer.from(`${consumerClient.clientId}:${consumerClient.clientSecret}`).toString('base64')}`;
const DEBT_SCOPES = 'debt.unsecured.presentation debt.unsecured.processing';


const tokenResponse = (scope: string) => ({
  access_token: M.string(EX.accessToken),
  expires_in: M.integer(3599),
  scope: M.string(scope),
  token_type: M.regex('^[Bb]earer$', 'bearer'),
});

test('token endpoint: client credentials grant (form-encoded, client_secret_basic)', { tag: '@gate' }, async ({ request }) => {
  await consumer.pact
    .addInteraction()
    .given(STATES.debtClient)
    .uponReceiving('a client-credentials token request for the debt API')
    .withRequest('POST', '/oauth2/token', (b) => {
      b.headers({ Authorization: M.regex('^Basic [A-Za-z0-9+/=]+$', basic), 'Content-Type': M.regex(`^${FORM}(;.*)?$`, FORM) });
      formBody(b, {
        grant_type: 'client_credentials',
        audience: M.fromProviderState('${audience}', AUDIENCE.debt),
        scope: M.regex('^debt\\.unsecured\\.(presentation|processing)( debt\\.unsecured\\.(presentation|processing))?$', DEBT_SCOPES),
      });
    })
    .willRespondWith(200, (b) => b.jsonBody(tokenResponse(DEBT_SCOPES)))
    .executeTest(
      untilRecorded(async (mock) => {
        const client = new NoGiClient(playwrightTransport(request), { accessBaseUrl: mock.url, apiBaseUrl: mock.url });
        const res = await client.clientCredentialsToken(consumerClient, AUDIENCE.debt, DEBT_SCOPES);
        expect(res.status).toBe(200);
        expect(res.data?.access_token).toBe(EX.accessToken);
        expect(res.data?.token_type).toBe('bearer');
      }),
    );
});

test('token endpoint: authorization code grant (form-encoded, client_secret_basic)', { tag: '@gate' }, async ({ request }) => {
  await consumer.pact
    .addInteraction()
    .given(STATES.authCode, { nin: EX.nin, scope: 'debt.unsecured.presentation' })
    .uponReceiving('an authorization-code token request with the code from the callback')
    .withRequest('POST', '/oauth2/token', (b) => {
      b.headers({ Authorization: M.regex('^Basic [A-Za-z0-9+/=]+$', basic), 'Content-Type': M.regex(`^${FORM}(;.*)?$`, FORM) });
      formBody(b, {
        grant_type: 'authorization_code',
        client_id: M.fromProviderState('${clientId}', EX.clientIdForForm),
        redirect_uri: M.fromProviderState('${redirectUri}', EX.redirectUri),
        code: M.fromProviderState('${code}', EX.code),
      });
    })
    .willRespondWith(200, (b) => b.jsonBody(tokenResponse('debt.unsecured.presentation')))
    .executeTest(
      untilRecorded(async (mock) => {
        const client = new NoGiClient(playwrightTransport(request), { accessBaseUrl: mock.url, apiBaseUrl: mock.url });
        const res = await client.exchangeCode(consumerClient, EX.code, EX.redirectUri);
        expect(res.status).toBe(200);
        expect(res.data?.access_token).toBe(EX.accessToken);
      }),
    );
});

test('the pact file holds the form body and content type the client sends (pact-js#1233, #767)', { tag: '@gate' }, async ({ request }) => {
  // What the client really puts on the wire: the same calls, to a capture server on 127.0.0.1.
  const seen: Array<{ contentType: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ contentType: req.headers['content-type'] ?? '', body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: EX.accessToken, expires_in: 3599, scope: DEBT_SCOPES, token_type: 'bearer' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new NoGiClient(playwrightTransport(request), { accessBaseUrl: url, apiBaseUrl: url });
    await client.clientCredentialsToken(consumerClient, AUDIENCE.debt, DEBT_SCOPES);
    await client.exchangeCode(consumerClient, EX.code, EX.redirectUri);
  } finally {
    await new Promise((r) => server.close(r));
  }
  expect(seen).toHaveLength(2);

  const file = readPact(consumer.file) as unknown as { interactions: Array<{ description: string; request: { headers: Record<string, string[]>; body: { content: unknown; contentType: string; encoded: unknown }; matchingRules?: { body?: Record<string, unknown> } } }> };
  expect(file.interactions).toHaveLength(2);
  const byGrant = new Map(file.interactions.map((i) => [new URLSearchParams(String(i.request.body.content)).get('grant_type'), i]));
  for (const wire of seen) {
    const sentFields = Object.fromEntries(new URLSearchParams(wire.body));
    const interaction = byGrant.get(sentFields.grant_type ?? '');
    expect(interaction, `a pact interaction for grant ${sentFields.grant_type}`).toBeDefined();
    const { body, headers } = interaction!.request;
    // The content type the client sends is the one the pact holds, on the header and the body.
    expect(wire.contentType.split(';')[0]).toBe(FORM);
    expect(body.contentType).toBe(FORM);
    expect(headers['Content-Type']?.[0]).toBe(FORM);
    // A form string, not JSON (pact-js#1233), holding exactly the fields and values the client sends.
    expect(typeof body.content).toBe('string');
    expect(String(body.content)).not.toMatch(/^\s*[{[]/);
    expect(body.encoded).toBe(false);
    expect(Object.fromEntries(new URLSearchParams(String(body.content)))).toEqual(sentFields);
    // Matchers survive on the form fields (pact-js#767), not only the example values.
    expect(Object.keys(interaction!.request.matchingRules?.body ?? {}).length).toBeGreaterThan(0);
  }
});

test('the pact file is the committed one, byte for byte, with no value of this run in it', { tag: '@gate' }, () => {
  consumer.expectCommitted();
});
