/**
 * The report builders of onboarding and health, on small hand-made results.json documents that
 * follow the protocol between the specs and the CLI:
 * - a `checklist` annotation per checklist step reached: { id, outcome, observed?, reason? };
 * - one `timings` annotation per test: [{ endpoint, status, ms }, ...].
 */
import { expect, test } from '@playwright/test';
import type { JSONReport, JSONReportTest } from '@playwright/test/reporter';
import { healthMarkdown, healthReport, latencyFromResults } from '../../src/cli/health.ts';
import type { Timing } from '../../src/reporting/latency.ts';
import { checklistFromResults, type ChecklistRecord } from '../../src/reporting/checklist.ts';
import { resultsFromReport } from '../../src/reporting/results.ts';
import { checklistItems } from '../../src/reporting/checklist.ts';

interface HandMadeTest {
  title: string;
  file?: string;
  status?: 'passed' | 'failed' | 'skipped';
  /** Annotations per attempt (one entry: no retry). */
  attempts?: Array<Array<{ type: string; description?: string }>>;
  error?: string;
  durationMs?: number;
}

/** A results.json as Playwright's JSON reporter writes it, with only what the builders read. */
function report(tests: HandMadeTest[], errors: string[] = []): JSONReport {
  const byFile = new Map<string, HandMadeTest[]>();
  for (const t of tests) byFile.set(t.file ?? 'a.spec.ts', [...(byFile.get(t.file ?? 'a.spec.ts') ?? []), t]);
  const suites = [...byFile].map(([file, fileTests]) => ({
    title: file,
    file,
    line: 0,
    column: 0,
    specs: fileTests.map((t, i) => {
      const status = t.status ?? 'passed';
      const attempts = t.attempts ?? [[]];
      const playwrightTest = {
        timeout: 60_000,
        annotations: attempts[attempts.length - 1]!,
        expectedStatus: status === 'skipped' ? 'skipped' : 'passed',
        projectId: 'custom',
        projectName: 'custom',
        status: status === 'passed' ? 'expected' : status === 'skipped' ? 'skipped' : 'unexpected',
        results: attempts.map((annotations, retry) => ({
          workerIndex: 0,
          parallelIndex: 0,
          status,
          duration: t.durationMs ?? 100,
          errors: t.error ? [{ message: t.error }] : [],
          error: t.error ? { message: t.error } : undefined,
          stdout: [],
          stderr: [],
          retry,
          startTime: new Date(0).toISOString(),
          attachments: [],
          annotations,
          steps: [],
        })),
      } as unknown as JSONReportTest;
      return { title: t.title, ok: status !== 'failed', tags: ['@onboarding'], tests: [playwrightTest], id: `${file}-${i}`, file, line: i + 1, column: 0 };
    }),
  }));
  return {
    config: {} as JSONReport['config'],
    suites,
    errors: errors.map((message) => ({ message })),
    stats: { startTime: new Date(0).toISOString(), duration: 1, expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
  };
}

const checklist = (record: ChecklistRecord) => ({ type: 'checklist', description: JSON.stringify(record) });
const timings = (list: Timing[]) => ({ type: 'timings', description: JSON.stringify(list) });
const title = (id: string): string => checklistItems.find((i) => i.id === id)!.title;

test.describe('onboarding checklist from checklist annotations', () => {
  test('every item in the order of checklistItems, from several tests; hints for failures; unreached items skipped with the reason', () => {
    const results = resultsFromReport(
      report([
        // The tests run in another order than the checklist's.
        {
          title: 'regular flow @onboarding',
          file: 'regular-consent.spec.ts',
          attempts: [[checklist({ id: 'auth-page', outcome: 'passed' }), checklist({ id: 'callback', outcome: 'skipped', reason: 'NOGI_REDIRECT_URI is not set' })]],
        },
        {
          title: 'tokens @onboarding',
          file: 'tokens.spec.ts',
          attempts: [[checklist({ id: 'token-agreement', outcome: 'passed' }), checklist({ id: 'token-debt', outcome: 'passed' }), checklist({ id: 'token-feed', outcome: 'passed' })]],
        },
        { title: 'feed @onboarding', file: 'consent-feed.spec.ts', attempts: [[checklist({ id: 'feed', outcome: 'passed' })]] },
        {
          title: 'integrated lifecycle @onboarding',
          file: 'integrated-consent.spec.ts',
          status: 'failed',
          error: 'Error: register a consent answered 403',
          // Stopped at the agreement: debt, status and revoke never recorded.
          attempts: [[checklist({ id: 'agreement', outcome: 'failed', observed: { method: 'PUT', path: '/v1/consent/agreement', status: 403, error: 'Forbidden', description: 'no agreement for 14842249091' } })]],
        },
      ]),
    );
    const entries = checklistFromResults(results);
    expect(entries.map((e) => e.id)).toEqual(checklistItems.map((i) => i.id));
    const byId = Object.fromEntries(entries.map((e) => [e.id, e]));
    expect(byId['token-agreement']).toMatchObject({ outcome: 'passed' });
    expect(byId.agreement).toMatchObject({ outcome: 'failed', detail: 'PUT /v1/consent/agreement → 403 · Forbidden · no agreement for 1*********1' });
    expect(byId.agreement!.cause).toContain('integrated consent is not in your agreement');
    expect(byId.agreement!.fix).toContain('support@norskgjeld.no');
    for (const id of ['debt', 'status', 'revoke']) expect(byId[id], id).toMatchObject({ outcome: 'skipped', detail: `needs: ${title('agreement')}` });
    expect(byId.feed).toMatchObject({ outcome: 'passed' });
    expect(byId.callback).toMatchObject({ outcome: 'skipped', detail: 'NOGI_REDIRECT_URI is not set' });
    // After an item of a test that did not fail: not run.
    for (const id of ['code-exchange', 'id-token']) expect(byId[id], id).toMatchObject({ outcome: 'skipped', detail: 'not run' });
  });

  test('a failure recorded by a second test (or a repeat) wins over a pass; unreadable annotations are ignored', () => {
    const results = resultsFromReport(
      report([
        { title: 'first', attempts: [[checklist({ id: 'token-debt', outcome: 'passed' })]] },
        { title: 'second', status: 'failed', attempts: [[checklist({ id: 'token-debt', outcome: 'failed', observed: { status: 400, error: 'invalid_scope' } }), { type: 'checklist', description: '{not json' }]] },
        { title: 'third', attempts: [[checklist({ id: 'token-debt', outcome: 'passed' })]] },
      ]),
    );
    const debt = checklistFromResults(results).find((e) => e.id === 'token-debt')!;
    expect(debt.outcome).toBe('failed');
    expect(debt.fix).toContain('NOGI_DEBT_SCOPE');
  });

  test('a run without any checklist annotation: every item skipped, not run', () => {
    const entries = checklistFromResults(resultsFromReport(report([])));
    expect(entries).toHaveLength(checklistItems.length);
    expect(entries.every((e) => e.outcome === 'skipped' && e.detail === 'not run')).toBe(true);
  });
});

test.describe('health from timings annotations and test outcomes', () => {
  const drift = { status: 'skipped' as const };

  test('latency per endpoint over every test, every repetition and every attempt; failures are no answer or 5xx', () => {
    const results = resultsFromReport(
      report([
        { title: 'debt @health', attempts: [[timings([{ endpoint: 'GET /v1/debt/{id}', status: 200, ms: 10 }, { endpoint: 'POST /oauth2/token', status: 200, ms: 4 }])]] },
        { title: 'debt @health', attempts: [[timings([{ endpoint: 'GET /v1/debt/{id}', status: 200, ms: 30 }])]] },
        // A retried test: both attempts made their calls.
        {
          title: 'status @health',
          attempts: [
            [timings([{ endpoint: 'GET /v1/debt/{id}', status: 503, ms: 50 }])],
            [timings([{ endpoint: 'GET /v1/debt/{id}', status: 200, ms: 20 }, { endpoint: 'GET /v1/debt/{id}/status', ms: 5000 }])],
          ],
        },
        // A 403 the test expected is no failure of the endpoint.
        { title: 'forbidden @health', attempts: [[timings([{ endpoint: 'GET /v1/debt/{id}/status', status: 403, ms: 7 }])]] },
      ]),
    );
    expect(latencyFromResults(results)).toEqual([
      { endpoint: 'GET /v1/debt/{id}', samples: 4, p50: 20, p95: 50, max: 50, failures: 1 },
      { endpoint: 'GET /v1/debt/{id}/status', samples: 2, p50: 7, p95: 5000, max: 5000, failures: 1 },
      { endpoint: 'POST /oauth2/token', samples: 1, p50: 4, p95: 4, max: 4, failures: 0 },
    ]);
  });

  test('the verdict comes from the tests: repetitions fold into one check; one failed run makes it unhealthy, exit 1', () => {
    const healthy = healthReport('custom', resultsFromReport(report([{ title: 'lifecycle @health', durationMs: 100 }, { title: 'lifecycle @health', durationMs: 300 }, { title: 'lifecycle @health', durationMs: 200 }])), drift);
    expect(healthy).toMatchObject({ status: 'healthy', exitCode: 0, checks: [{ name: 'lifecycle @health', outcome: 'passed', runs: 3, failedRuns: 0, ms: 200 }] });

    const unhealthy = healthReport(
      'custom',
      resultsFromReport(report([{ title: 'lifecycle @health' }, { title: 'lifecycle @health', status: 'failed', error: 'Error: status of 14842249091 answered 500\n    at spec.ts:1' }])),
      drift,
    );
    expect(unhealthy).toMatchObject({ status: 'unhealthy', exitCode: 1, checks: [{ outcome: 'failed', runs: 2, failedRuns: 1, error: 'Error: status of 1*********1 answered 500' }] });
    expect(healthMarkdown(unhealthy)).toContain('❌ lifecycle @health');
    expect(healthMarkdown(unhealthy)).toContain('2 runs, 1 failed');
  });

  test('no test ran, or the run had errors: unhealthy; drift alone: exit 1', () => {
    // No check ran: never healthy, exit 2.
    expect(healthReport('mock', resultsFromReport(report([])), drift)).toMatchObject({ status: 'nothing ran', exitCode: 2, checks: [{ name: 'health run', outcome: 'failed' }] });
    expect(healthReport('mock', resultsFromReport(report([{ title: 'a' }], ['Error: global setup failed'])), drift).exitCode).toBe(1);
    const drifted = { status: 'drift', url: 'x', breaking: 1, removedOperations: [], addedOperations: [], changedOperations: [], schemaChanges: [] } as unknown as Parameters<typeof healthReport>[2];
    expect(healthReport('mock', resultsFromReport(report([{ title: 'a' }])), drifted).exitCode).toBe(1);
  });
});
