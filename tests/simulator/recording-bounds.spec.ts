/**
 * The grading recording is bounded per client in bytes, not only in exchanges: a body past
 * NOGI_SIM_RECORDING_BODY_BYTES keeps only the fields the rules read (marked truncated), and a
 * client's recording past NOGI_SIM_RECORDING_BYTES_PER_CLIENT drops its oldest exchanges, which the
 * report counts. Measured by the recording's size and counts, never by timing.
 */
import { expect, test } from '@playwright/test';
import { getCatalogue } from '../../src/contract/catalogue.ts';
import type { ClientReport } from '../../src/grading/report.ts';
import type { RecordedExchange } from '../../src/grading/recorder.ts';
import { clients, NIN, SimHarness } from './helpers.ts';

const a = clients.a;
const catalogue = await getCatalogue();
const path = (operationId: string, params?: Record<string, string | number>) => catalogue.expandPath(operationId, params);
const recording = async (h: SimHarness) => {
  const r = await h.admin('GET', `/grading/clients/${a.client_id}/exchanges`);
  return { ...(r.body as { exchanges: RecordedExchange[]; dropped: number }), bytes: JSON.stringify(r.body).length };
};
const report = async (h: SimHarness) => (await h.admin('GET', `/grading/clients/${a.client_id}/report`)).body as ClientReport;

test('60 registrations of 56 kB (4,700 unknown fields each) hold at most the per-client budget: bodies kept as their graded fields, the oldest dropped and counted', async () => {
  test.setTimeout(120_000);
  // About ten graded registrations' worth: 60 whole bodies would be 3.4 MB.
  const BUDGET = 40_000;
  const h = await new SimHarness().start({ recordingBytesPerClient: BUDGET });
  try {
    const token = await h.token(a, 'agreement', 'consent.create');
    const unknown = Object.fromEntries(Array.from({ length: 4700 }, (_, i) => [`u${String(i).padStart(4, '0')}`, 'v']));
    const SENT = 60;
    for (let i = 0; i < SENT; i += 10) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, j) => h.api('PUT', path('createConsent'), {
        token, body: { nin: NIN, scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30, client_consent_id: `big-${i + j}`, ...unknown },
      })));
      expect(replies.map((r) => (r.status === 200 ? 200 : r.text.slice(0, 300)))).toEqual(Array(10).fill(200));
    }
    expect(JSON.stringify(unknown).length).toBeGreaterThan(55_000);

    const { exchanges, dropped, bytes } = await recording(h);
    // Within the budget (a body over the body bound is never kept whole).
    expect(bytes).toBeLessThan(BUDGET + 16_384);
    const registrations = exchanges.filter((e) => e.operationId === 'createConsent');
    expect(dropped).toBeGreaterThan(0);
    expect(registrations.length + dropped).toBeGreaterThanOrEqual(SENT);
    expect(registrations.length).toBeGreaterThan(5);
    for (const e of registrations) {
      expect(e.request.bodyTruncated?.bytes).toBeGreaterThan(55_000);
      expect(e.request.bodyTruncated?.sha256).toMatch(/^[\w-]{43}$/);
      expect(JSON.stringify(e.request.body).length).toBeLessThan(200);
      // The warnings that judge no-leniency: some kept, the rest counted.
      expect(e.request.findings!.length).toBeLessThanOrEqual(20);
      expect(e.request.findings!.length + e.request.findingsOmitted!).toBeGreaterThanOrEqual(4700);
      // The answer is small: kept whole.
      expect(e.response.bodyTruncated).toBeUndefined();
      expect((e.response.body as { consent: { id: string } }).consent.id).toBeTruthy();
    }
    const r = await report(h);
    expect(r.dropped).toBe(dropped);
    expect(r.rules.find((x) => x.id === 'no-leniency')!.verdict).toBe('fail');
    expect(r.rules.find((x) => x.id === 'request-contract')!.verdict).toBe('pass');
  } finally {
    await h.close();
  }
});

test('a feed page past the body bound keeps its archived events and highest sequence number: the feed and revoke rules judge as with the whole page', async () => {
  test.setTimeout(60_000);
  const h = await new SimHarness().start({ recordingBodyBytes: 2048 });
  try {
    const create = await h.token(a, 'agreement', 'consent.create');
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(((await h.createConsent(create)).body as { consent: { id: string } }).consent.id);
    const revokeScope = catalogue.operation('revokeConsentByID').scopes[0]!;
    const revoke = await h.token(a, catalogue.operation('revokeConsentByID').service!, revokeScope);
    expect((await h.api('DELETE', path('revokeConsentByID', { id: ids[0]! }), { token: revoke })).status).toBeLessThan(300);
    const feed = await h.token(a, 'feed', catalogue.service('feed').scopes[0]!);
    const first = ((await h.api('GET', path('firstSequenceNr'), { token: feed })).body as { firstSequenceNr: number }).firstSequenceNr;
    const page = (await h.api('GET', `${path('feed')}?fromSequenceNr=${first}&limit=1000`, { token: feed })).body as { result: Array<{ sequenceNr: number }> };
    expect(page.result).toHaveLength(41);
    const last = Math.max(...page.result.map((e) => e.sequenceNr));
    expect((await h.api('GET', `${path('feed')}?fromSequenceNr=${last + 1}&limit=1000`, { token: feed })).status).toBe(200);
    const debt = await h.token(a, 'debt', catalogue.operation('getDebtWithConsentID').scopes[0]!);
    await h.api('GET', path('getDebtWithConsentID', { id: ids[0]! }), { token: debt });

    const { exchanges } = await recording(h);
    const pages = exchanges.filter((e) => e.operationId === 'feed');
    expect(pages[0]!.response.bodyTruncated?.bytes).toBeGreaterThan(2048);
    expect(pages[0]!.response.bodyTruncated?.partial).toBeUndefined();
    expect((pages[0]!.response.body as { result: unknown[] }).result).toEqual([
      { eventType: 'SAMTYKKE_ARKIVERT', consentId: ids[0], sequenceNr: last },
    ]);
    const r = await report(h);
    expect(r.rules.find((x) => x.id === 'feed-from-last-seen')!.verdict).toBe('pass');
    const revoked = r.rules.find((x) => x.id === 'no-use-after-revoke')!;
    expect(revoked.verdict).toBe('fail');
    expect(revoked.evidence[0]!.line).toContain(ids[0]!);
  } finally {
    await h.close();
  }
});
