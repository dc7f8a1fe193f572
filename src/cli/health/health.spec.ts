/**
 * The nightly health subset, run by `nogi-conformance health` (project "health"): tokens, the
 * integrated lifecycle, status and the feed, then latency per endpoint over a bounded number of
 * samples (NOGI_HEALTH_SAMPLES, 1-20). Latencies are recorded as "latency" annotations for the CLI.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from '../../../fixtures/nogi.ts';
import { DEBT_SCOPE, Probe, type Call } from '../probe.ts';

const samples = Math.min(20, Math.max(1, Number(process.env.NOGI_HEALTH_SAMPLES ?? 5) || 5));

function ok<T>(call: Call<T>): Call<T> {
  const o = call.observation;
  expect(call.ok, `${o.method} ${o.path} answered ${o.status}${o.error ? ` ${o.error}` : ''}${o.description ? `: ${o.description}` : ''}`).toBe(true);
  return call;
}

test.describe.configure({ mode: 'serial' });

let probe: Probe;
const tokens: Partial<Record<'agreement' | 'debt' | 'feed', string>> = {};
let consentId = '';
const clientConsentId = `nogi-health-${randomUUID()}`;
const latencies = new Map<string, { ms: number[]; failures: number }>();

function sample(endpoint: string, call: Call): void {
  const entry = latencies.get(endpoint) ?? { ms: [], failures: 0 };
  entry.ms.push(call.observation.ms);
  if (!call.ok) entry.failures++;
  latencies.set(endpoint, entry);
}

// Each test's typed client (its exchanges attached to that test), shared state across the serial tests.
test.beforeEach(({ nogi, target }) => {
  probe = new Probe(nogi, target);
});

test('Tokens for the agreement, debt and feed APIs', async () => {
  await test.step('Get an access token for the consent API', async () => {
    tokens.agreement = ok(await probe.token(probe.target.audiences.agreement, 'consent.create')).json.access_token;
  });
  await test.step('Get a token for the debt API', async () => {
    tokens.debt = ok(await probe.token(probe.target.audiences.debt, DEBT_SCOPE)).json.access_token;
  });
  await test.step('Get a token for the consents feed', async () => {
    tokens.feed = ok(await probe.token(probe.target.audiences.feed, 'client.access.consent.events')).json.access_token;
  });
});

test('Integrated consent lifecycle', async () => {
  await test.step('Register a consent', async () => {
    const call = ok(await probe.registerAgreement(tokens.agreement!, { nin: probe.target.nins.withDebt, scope_of_consent: DEBT_SCOPE, consent_duration_days: 1, client_consent_id: clientConsentId }));
    consentId = call.json.consent?.id ?? '';
    expect(consentId, 'consent.id in the registration response').not.toBe('');
  });
  await test.step('Look up debt using the consent', async () => {
    ok(await probe.debtById(tokens.debt!, consentId));
  });
});

test('Consent status', async () => {
  const call = ok(await probe.status(tokens.debt!, consentId));
  expect(call.json.active, 'status of a consent just registered').toBe(true);
});

test('Consents feed', async () => {
  const last = ok(await probe.lastSequenceNr(tokens.feed!));
  ok(await probe.feed(tokens.feed!, Math.max(0, (last.json.lastSequenceNr ?? 0) - 5)));
});

test('Latency per endpoint', async () => {
  for (let i = 0; i < samples; i++) {
    sample('POST /oauth2/token', await probe.token(probe.target.audiences.debt, DEBT_SCOPE));
    // The same registration again is idempotent (same data: same consent).
    sample('PUT /v1/consent/agreement', await probe.registerAgreement(tokens.agreement!, { nin: probe.target.nins.withDebt, scope_of_consent: DEBT_SCOPE, consent_duration_days: 1, client_consent_id: clientConsentId }));
    sample('GET /v1/debt/{id}', await probe.debtById(tokens.debt!, consentId));
    sample('GET /v1/debt/{id}/status', await probe.status(tokens.debt!, consentId));
    sample('GET /feed/v1/consent/lastSequenceNr', await probe.lastSequenceNr(tokens.feed!));
    sample('GET /feed/v1/consent', await probe.feed(tokens.feed!, 0));
  }
  for (const [endpoint, { ms, failures }] of latencies) {
    test.info().annotations.push({ type: 'latency', description: JSON.stringify({ endpoint, ms, failures }) });
  }
  const failing = [...latencies].filter(([, v]) => v.failures > 0).map(([k, v]) => `${k}: ${v.failures} of ${v.ms.length} failed`);
  expect(failing, 'endpoints that failed while sampled').toEqual([]);
});

test('Revoke the consent', async () => {
  const call = ok(await probe.revoke(tokens.debt!, consentId));
  sample('DELETE /v1/debt/{id}', call);
  test.info().annotations.push({ type: 'latency', description: JSON.stringify({ endpoint: 'DELETE /v1/debt/{id}', ms: [call.observation.ms], failures: 0 }) });
});
