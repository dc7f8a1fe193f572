/**
 * Onboarding against a simulator as a partner would run it (`--target custom`): with a wrong
 * secret, with a client lacking the integrated-consent agreement, and with an unregistered
 * callback URI, the checklist names each cause. A conformant client's run, every item passed, is
 * the onboarding run on the mock target in all-reports-masked.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { checklistItem, cleanEnv, clients, customTarget, expectNoLeaks, runCli, runCliInProcess, startQuietSimulator } from './helpers.ts';

// Each test starts nested runs of the CLI: slower when the rest of npm test shares the machine.
test.describe.configure({ timeout: 180_000 });

let sim: RunningSimulator;
test.beforeAll(async () => {
  sim = await startQuietSimulator();
});
test.afterAll(async () => {
  await sim?.close();
});

async function onboarding(overrides: Record<string, string | undefined>, client = clients.a) {
  const reports = test.info().outputPath('reports');
  const result = await runCli(['onboarding'], cleanEnv({ ...customTarget(sim, client, overrides), NOGI_REPORTS_DIR: reports }));
  const md = readFileSync(join(reports, 'onboarding.md'), 'utf8');
  const html = readFileSync(join(reports, 'onboarding.html'), 'utf8');
  return { ...result, md, html, reports };
}

test('a wrong secret: invalid_client, wrong secret or wrong environment', async () => {
  const r = await onboarding({ NOGI_CLIENT_SECRET: 'not-the-secret-at-all' });
  expect(r.code).toBe(1);
  const token = checklistItem(r.md, 'Token for the agreement API');
  expect(token).toContain('failed');
  expect(token).toContain('invalid_client');
  expect(token).toMatch(/likely cause: .*wrong.*other environment/);
  expect(token).toMatch(/fix: .*NOGI_CLIENT_SECRET/);
  // What depends on a token is skipped, with the reason.
  expect(checklistItem(r.md, 'Debt lookup')).toMatch(/skipped[\s\S]*needs: Token for the/);
  expect(r.html).toContain('invalid_client');
  expect(r.md + r.stdout).not.toContain('not-the-secret-at-all');
});

// One run for two findings, as a partner with a half-finished set-up meets them: the client has no
// integrated-consent agreement, and its callback URI is not the one registered.
test('no agreement and an unregistered callback URI: each item says so, the others pass', async () => {
  const r = await onboarding({ NOGI_REDIRECT_URI: 'http://127.0.0.1:9/not-registered' }, clients.withoutAgreement);
  expect(r.code).toBe(1);
  const agreement = checklistItem(r.md, 'Integrated-consent agreement granted');
  expect(agreement).toContain('failed');
  expect(agreement).toMatch(/likely cause: .*integrated consent is not in your agreement/);
  expect(agreement).toMatch(/fix: .*support@norskgjeld.no/);
  expect(checklistItem(r.md, 'Token for the agreement API')).toContain('passed');
  const callback = checklistItem(r.md, 'callback URI registered');
  expect(callback).toContain('failed');
  expect(callback).toContain('→ 400');
  expect(callback).toMatch(/likely cause: An error page instead of a redirect: your callback URI is not registered/);
  expect(checklistItem(r.md, 'auth page reachable')).toContain('passed');
  // The error bodies of a failing run reach the reports: still no secret, token or NIN in any file.
  expectNoLeaks(r.reports);
});

test('a missing secret is a configuration error: exit 2, the message only', async () => {
  const r = await runCliInProcess(['onboarding'], cleanEnv({ ...customTarget(sim), NOGI_CLIENT_SECRET: undefined, NOGI_REPORTS_DIR: test.info().outputPath('reports') }));
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('NOGI_CLIENT_SECRET is missing');
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('an unreachable target: exit 3 before anything runs', async () => {
  const r = await runCliInProcess(['onboarding'], cleanEnv({ ...customTarget(sim), NOGI_ACCESS_BASE_URL: 'http://127.0.0.1:9', NOGI_API_BASE_URL: 'http://127.0.0.1:9', NOGI_REPORTS_DIR: test.info().outputPath('reports') }));
  expect(r.code).toBe(3);
  expect(r.stderr).toContain('unreachable');
});

test('hints: a redirect to the provider error page, invalid_client there, invalid_scope per audience, 403 on debt', async () => {
  const { hintFor } = await import('../../src/reporting/checklist.ts');
  // An OAuth server such as ORY Hydra redirects to its own error page rather than answering 400.
  expect(hintFor('callback', { status: 302, error: 'invalid_request', description: 'redirect_uri does not match', errorPage: true }).cause).toContain('callback URI is not registered');
  expect(hintFor('callback', { status: 302, error: 'invalid_client', errorPage: true }).cause).toContain('does not know this client id');
  expect(hintFor('callback', { status: 302, error: 'invalid_scopes' }).cause).toContain('invalid_scopes');
  expect(hintFor('token-agreement', { status: 400, error: 'invalid_scope' }).cause).toContain('integrated consent is not in your agreement');
  expect(hintFor('token-feed', { status: 400, error: 'invalid_scope' }).cause).toContain('feed');
  expect(hintFor('token-debt', { status: 400, error: 'invalid_scope' }).fix).toContain('NOGI_DEBT_SCOPE');
  expect(hintFor('debt', { status: 403, error: 'Forbidden' }).cause).toContain('wrong audience or scope');
  expect(hintFor('code-exchange', { status: 400, error: 'invalid_grant' }).cause).toContain('already used');
  expect(hintFor('debt', { status: 500 }).cause).toContain('provider');
});

// Onboarding is never strict: what the provider breaks of RFC 6749 is listed apart, as the
// provider's, and the partner's checklist still passes.
test("the provider's RFC 6749 breaches are provider findings, not failed items", async () => {
  const deviating = await startSimulator({ host: '127.0.0.1', testMode: true, deviations: ['token-no-cache-control'], log: () => undefined });
  try {
    const reports = test.info().outputPath('reports');
    const r = await runCli(['onboarding'], cleanEnv({ ...customTarget(deviating, clients.a), NOGI_REPORTS_DIR: reports, NOGI_STRICT: '1' }));
    const md = readFileSync(join(reports, 'onboarding.md'), 'utf8');
    const html = readFileSync(join(reports, 'onboarding.html'), 'utf8');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(md).not.toContain('❌ failed');
    const findings = md.slice(md.indexOf("## Provider findings (not your client's fault)"));
    expect(findings).toMatch(/^## Provider findings/);
    expect(findings).toMatch(/- \[token_response_invariants\] token 200 RFC 6749 §5\.1 Cache-Control: at header:Cache-Control expected no-store, got \(absent\)\n/);
    // Once, however many token answers lacked it.
    expect(findings.match(/§5\.1 Cache-Control/g)).toHaveLength(1);
    expect(html).toContain("<h2>Provider findings (not your client's fault)</h2>");
    expect(html).toContain('RFC 6749 §5.1 Cache-Control');
  } finally {
    await deviating.close();
  }
});
