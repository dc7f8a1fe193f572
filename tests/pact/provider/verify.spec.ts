/**
 * Provider verification of the committed pacts against a simulator started in this worker on
 * free ports, pointed to only through an environment-shaped target (NOGI_TARGET=custom), as a
 * release candidate would be. And the failure modes: a deviating provider gives a readable diff;
 * an unknown state, a failing state handler and a failing hook fail verification; without the
 * form-body fix the token interactions fail (pact-js#1233 is real in the installed Pact JS).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ACCESS_PROVIDER, API_PROVIDER, pactDir, pactFile } from '../../../src/pact/names.ts';
import { pactTarget } from '../../../src/pact/provider-setup.ts';
import type { Target } from '../../../src/config/target.ts';
import { parseState, stateKinds, STATES } from '../../../src/pact/states.ts';
import { formatReport, verifyPacts, type VerifyReport } from '../../../src/pact/verify.ts';
import { fixtureClients, startSimulator, type RunningSimulator } from '../../../src/simulator/index.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let sim: RunningSimulator;
const lines: string[] = [];
const log = (l: string) => lines.push(l);

test.beforeAll(async () => {
  sim = await startSimulator({ accessPort: 0, apiPort: 0, adminPort: 0, testMode: true, log: () => {} });
});
test.afterAll(async () => {
  await sim?.close();
});
test.beforeEach(async () => {
  lines.length = 0;
  await fetch(`${sim.adminUrl}/reset`, { method: 'POST', headers: { authorization: `Bearer ${sim.adminToken}` } });
});

/** The target as the environment of a release-candidate run would name it. */
function customTarget(): Promise<Target> {
  const a = fixtureClients().a;
  return pactTarget({
    NOGI_TARGET: 'custom',
    NOGI_ACCESS_BASE_URL: sim.accessUrl,
    NOGI_API_BASE_URL: sim.apiUrl,
    NOGI_CLIENT_ID: a.client_id,
    NOGI_CLIENT_SECRET: a.client_secret,
    NOGI_REDIRECT_URI: a.redirect_uris[0],
  });
}

async function attach(name: string, report: VerifyReport): Promise<void> {
  await test.info().attach(name, { body: `${formatReport(report)}\n\n${lines.join('\n')}`, contentType: 'text/plain' });
}

const failureText = (r: VerifyReport): string => r.providers.flatMap((p) => p.failures.map((f) => `${f.interaction}\n${f.details.join('\n')}`)).join('\n');

test('the committed pacts verify against a simulator named only by the environment', async () => {
  const report = await verifyPacts({ target: await customTarget(), log });
  await attach('verification', report);
  expect(report.ok, formatReport(report)).toBe(true);
  expect(report.providers.map((p) => [p.provider, p.ok])).toEqual([[API_PROVIDER, true], [ACCESS_PROVIDER, true]]);

  // pact-js#1434: the state handlers really ran beside the request filter, every kind of them.
  const kinds = new Set(report.states.map((s) => parseState(s.state)?.kind));
  expect([...kinds].sort()).toEqual([...stateKinds].sort());
  // ...and built real state on the provider: consents were registered there, and some revoked.
  const { counts } = (await (await fetch(`${sim.adminUrl}/state`, { headers: { authorization: `Bearer ${sim.adminToken}` } })).json()) as { counts: { consents: number; activeConsents: number; events: number } };
  expect(counts.consents, 'consents registered by the states').toBeGreaterThan(0);
  expect(counts.activeConsents, 'some of them revoked by the states').toBeLessThan(counts.consents);
  expect(counts.events, 'feed events from the states').toBeGreaterThan(0);

  // Fresh tokens only; the filter touched nothing but Authorization, and said what it did.
  expect(report.rewrites.length).toBeGreaterThanOrEqual(14);
  expect(new Set(report.rewrites.map((r) => r.header))).toEqual(new Set(['Authorization']));
  expect(report.rewrites.filter((r) => r.action.startsWith('left as recorded'))).toEqual([]);
  expect(report.rewrites.find((r) => r.request === 'GET /v1/debt')?.action).toMatch(/injected by the provider state/);
  expect(formatReport(report)).toContain('Headers rewritten by the request filter (Authorization only)');
});

test('a deviating provider fails verification with a readable diff, printed masked', async () => {
  const res = await fetch(`${sim.adminUrl}/deviations`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sim.adminToken}` }, body: JSON.stringify({ enable: ['debt-missing-ssn', 'agreement-wrong-status'] }),
  });
  expect(res.status).toBe(200);
  // As `npm run pact:verify` runs it (`nogi-conformance pact verify`): the Pact core prints diffs
  // (bodies with NINs) natively, and only the verifier's own process, whose every line the command
  // masks, keeps them off the console.
  const reports = mkdtempSync(join(tmpdir(), 'nogi-pact-verify-'));
  const a = fixtureClients().a;
  const { exitCode, output } = await new Promise<{ exitCode: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin/nogi-conformance.js'), 'pact', 'verify'], {
      // From a folder of its own, as a partner runs it: no .env but the one given here.
      cwd: reports,
      env: {
        ...process.env, NOGI_TARGET: 'custom', NOGI_ACCESS_BASE_URL: sim.accessUrl, NOGI_API_BASE_URL: sim.apiUrl,
        NOGI_CLIENT_ID: a.client_id, NOGI_CLIENT_SECRET: a.client_secret, NOGI_REDIRECT_URI: a.redirect_uris[0], NOGI_REPORTS_DIR: reports,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('close', (code) => resolve({ exitCode: code, output: text }));
  });
  const report = JSON.parse(readFileSync(join(reports, 'pact', 'verification.json'), 'utf8')) as VerifyReport;
  await attach('verification (deviating provider)', report);
  expect(exitCode, 'verification fails').toBe(1);
  expect(report.ok).toBe(false);
  expect(output, 'the native diff reached the console masked').toMatch(/numberOfCreditorsAnswered/);
  expect(output).not.toMatch(/14842249091|29868099311/);
  const text = failureText(report);
  // Named interactions, the JSON path, expected vs actual.
  expect(text).toContain('a request for debt information by consent id');
  expect(text).toMatch(/missing the following keys: ssn/);
  expect(text).toMatch(/\$\.numberOfCreditorsAnswered/);
  expect(text).toContain('a request to register an integrated consent agreement');
  expect(text).toMatch(/\[StatusMismatch\].*expected 200, got 201/);
  // Interactions the deviations do not touch still pass: the diff is about the deviation only.
  const failed = report.providers.find((p) => p.provider === API_PROVIDER)!.failures.map((f) => f.interaction);
  expect(failed).not.toContain('a request to revoke a consent');
});

function doctoredDir(edit: (pact: { interactions: Array<{ description: string; providerStates?: Array<{ name: string; params?: unknown }> }> }) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'nogi-pact-'));
  const pact = JSON.parse(readFileSync(pactFile(API_PROVIDER, pactDir()), 'utf8'));
  edit(pact);
  writeFileSync(pactFile(API_PROVIDER, dir), JSON.stringify(pact));
  copyFileSync(pactFile(ACCESS_PROVIDER, pactDir()), pactFile(ACCESS_PROVIDER, dir));
  return dir;
}

test('an unknown provider state fails verification before anything runs (pact-js#631)', async () => {
  const dir = doctoredDir((p) => {
    p.interactions[0]!.providerStates = [{ name: 'the moon is made of cheese' }];
  });
  const report = await verifyPacts({ target: await customTarget(), dir, log });
  expect(report.ok).toBe(false);
  expect(report.unknownStates).toEqual(['the moon is made of cheese']);
  expect(report.states).toEqual([]);
  expect(formatReport(report)).toContain('Unknown provider states (no handler): "the moon is made of cheese"');
});

test('a failing state handler fails verification and names the state (pact-js#631)', async () => {
  const report = await verifyPacts({
    target: await customTarget(), providers: [API_PROVIDER], log,
    extraStates: { [STATES.agreementClient]: async () => { throw new Error('could not prepare the agreement client'); } },
  });
  await attach('verification (failing state)', report);
  expect(report.ok).toBe(false);
  expect(report.stateFailures.map((s) => s.state)).toContain(STATES.agreementClient);
  const text = failureText(report);
  expect(text).toContain('a request to register an integrated consent agreement');
  expect(text).toContain('could not prepare the agreement client');
  expect(formatReport(report)).toMatch(/Provider states run: \d+ \([1-9]\d* failed\)/);
});

test('a failing hook fails verification', async () => {
  let calls = 0;
  const report = await verifyPacts({
    target: await customTarget(), providers: [ACCESS_PROVIDER], log,
    beforeEach: async () => {
      calls += 1;
      throw new Error('the provider could not be reset');
    },
  });
  expect(calls).toBeGreaterThan(0);
  expect(report.ok).toBe(false);
  expect(report.hookFailures[0]).toContain('the provider could not be reset');
  expect(formatReport(report)).toContain('hook beforeEach: the provider could not be reset');
  // The interactions behind the hook do not pass silently either.
  expect(report.providers[0]!.ok).toBe(false);
});

test('without the form-body fix the token interactions fail: pact-js#1233 is real here', async () => {
  const report = await verifyPacts({ target: await customTarget(), providers: [ACCESS_PROVIDER], formBodyWorkaround: false, log });
  expect(report.ok).toBe(false);
  expect(report.providers[0]!.failures.length).toBe(2);
});
