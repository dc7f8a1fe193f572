/**
 * Onboarding against a simulator as a partner would run it (`--target custom`): with a wrong
 * secret, with a client lacking the integrated-consent agreement, and with an unregistered
 * callback URI, the checklist names each cause.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, clients, customTarget, expectNoLeaks, runCli, startQuietSimulator } from './helpers.ts';

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

/** The lines of one numbered checklist item (its title line and its notes). */
function itemOf(md: string, title: string): string {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => /^\d+\. /.test(l) && l.includes(title));
  expect(start, `checklist item "${title}" in:\n${md}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^\d+\. /.test(l) || l.trim() === '');
  return [lines[start], ...rest.slice(0, end < 0 ? undefined : end)].join('\n');
}

test('a conformant client passes every item it can check', async () => {
  const r = await onboarding({});
  expect(r.code, r.stdout + r.stderr).toBe(0);
  for (const title of ['Token for the agreement API', 'Integrated-consent agreement granted', 'Debt lookup', 'Consent status', 'Revoke', 'Consents feed access', 'auth page reachable', 'callback URI registered']) {
    expect(itemOf(r.md, title)).toContain('passed');
  }
  // Progress shows the lifecycle steps as they run.
  expect(r.stdout, 'the same spec steps the gate runs').toContain('✓ 4. Look up debt using the consent');
});

test('a wrong secret: invalid_client, wrong secret or wrong environment', async () => {
  const r = await onboarding({ NOGI_CLIENT_SECRET: 'not-the-secret-at-all' });
  expect(r.code).toBe(1);
  const token = itemOf(r.md, 'Token for the agreement API');
  expect(token).toContain('failed');
  expect(token).toContain('invalid_client');
  expect(token).toMatch(/likely cause: .*wrong.*other environment/);
  expect(token).toMatch(/fix: .*NOGI_CLIENT_SECRET/);
  // What depends on a token is skipped, with the reason.
  expect(itemOf(r.md, 'Debt lookup')).toMatch(/skipped[\s\S]*needs: Token for the/);
  expect(r.html).toContain('invalid_client');
  expect(r.md + r.stdout).not.toContain('not-the-secret-at-all');
});

// One run for two findings, as a partner with a half-finished set-up meets them: the client has no
// integrated-consent agreement, and its callback URI is not the one registered.
test('no agreement and an unregistered callback URI: each item says so, the others pass', async () => {
  const r = await onboarding({ NOGI_REDIRECT_URI: 'http://127.0.0.1:9/not-registered' }, clients.withoutAgreement);
  expect(r.code).toBe(1);
  const agreement = itemOf(r.md, 'Integrated-consent agreement granted');
  expect(agreement).toContain('failed');
  expect(agreement).toMatch(/likely cause: .*integrated consent is not in your agreement/);
  expect(agreement).toMatch(/fix: .*support@norskgjeld.no/);
  expect(itemOf(r.md, 'Token for the agreement API')).toContain('passed');
  const callback = itemOf(r.md, 'callback URI registered');
  expect(callback).toContain('failed');
  expect(callback).toContain('→ 400');
  expect(callback).toMatch(/likely cause: An error page instead of a redirect: your callback URI is not registered/);
  expect(itemOf(r.md, 'auth page reachable')).toContain('passed');
  // The error bodies of a failing run reach the reports: still no secret, token or NIN in any file.
  expectNoLeaks(r.reports);
});

test('a missing secret is a configuration error: exit 2, the message only', async () => {
  const r = await runCli(['onboarding'], cleanEnv({ ...customTarget(sim), NOGI_CLIENT_SECRET: undefined, NOGI_REPORTS_DIR: test.info().outputPath('reports') }));
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('NOGI_CLIENT_SECRET is missing');
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('an unreachable target: exit 3 before anything runs', async () => {
  const r = await runCli(['onboarding'], cleanEnv({ ...customTarget(sim), NOGI_ACCESS_BASE_URL: 'http://127.0.0.1:9', NOGI_API_BASE_URL: 'http://127.0.0.1:9', NOGI_REPORTS_DIR: test.info().outputPath('reports') }));
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
