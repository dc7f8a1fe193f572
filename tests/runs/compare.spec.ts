/**
 * `nogi-conformance compare` as a partner runs it: exit 0 and "No differences" against a provider
 * that answers as the simulator does, exit 2 with one line for the mistakes.
 * (What compare finds against deviating providers: tests/simulator/compare.spec.ts.)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { NoGiClient } from '../../src/client/nogi-client.ts';
import { httpTransport } from '../../src/client/transport.ts';
import { audiencesFor, preprod } from '../../src/config/target.ts';
import { getCatalogue } from '../../src/contract/catalogue.ts';
import { isSyntheticNin } from '../../src/personas/nin.ts';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, clients, customTarget, folderOutsideProject, root, runCli, runCliInProcess, startQuietSimulator } from './helpers.ts';

let sim: RunningSimulator;
test.beforeAll(async () => {
  sim = await startQuietSimulator();
});
test.afterAll(async () => {
  await sim.close();
});

test('compare --target custom --record against a provider like the simulator: exit 0, reports, and a persona pack that NOGI_SIM_FIXTURES serves', async () => {
  const reports = mkdtempSync(join(tmpdir(), 'nogi-compare-run-'));
  const r = await runCli(['compare', '--target', 'custom', '--record', '--reports', reports], cleanEnv(customTarget(sim)));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('No differences between the simulator and custom.');
  expect(readFileSync(join(reports, 'compare.md'), 'utf8')).toContain('No differences.');
  expect(readFileSync(join(reports, 'compare.md'), 'utf8')).toContain('Judged by the provider\'s contract 3770c4e');
  expect(JSON.parse(readFileSync(join(reports, 'compare.json'), 'utf8'))).toMatchObject({ contract: '3770c4e' });
  expect(JSON.parse(readFileSync(join(reports, 'compare.json'), 'utf8')).differences).toEqual([]);
  // The pack is beside the reports, not in them (every NIN under reports/ is masked, synthetic ones too).
  expect(existsSync(join(reports, 'personas'))).toBe(false);
  const pack = join(folderOutsideProject(), 'personas', 'custom');
  const people = JSON.parse(readFileSync(join(pack, 'people.json'), 'utf8')).people as { nin: string }[];
  expect(people).toHaveLength(1);
  expect(isSyntheticNin(people[0]!.nin)).toBe(true);
  expect(people[0]!.nin, 'not the target\'s TestID person (the default NOGI_TEST_NIN)').not.toBe('14842249091');

  // `NOGI_SIM_FIXTURES=<pack> npm run mock` serves the recorded person's debt.
  const mock = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts'], {
    cwd: root, env: cleanEnv({ NOGI_SIM_FIXTURES: pack, NOGI_SIM_STORE: 'memory', NOGI_SIM_ACCESS_PORT: '0', NOGI_SIM_API_PORT: '0', NOGI_SIM_LOG: '' }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  mock.stdout.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => mock.on('exit', resolve));
  try {
    await expect.poll(() => out.split('\n').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    const [accessBaseUrl, apiBaseUrl] = out.split('\n');
    const nogi = new NoGiClient(httpTransport, { accessBaseUrl: accessBaseUrl!, apiBaseUrl: apiBaseUrl! });
    const audiences = audiencesFor(await getCatalogue(), preprod.apiBaseUrl);
    const client = { clientId: clients.a.client_id, clientSecret: clients.a.client_secret };
    const consentToken = await nogi.clientCredentialsToken(client, audiences.agreement, 'consent.create');
    const consent = await nogi.registerAgreement(consentToken.data.access_token, { nin: people[0]!.nin, scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30, client_consent_id: 'recorded-1' });
    expect(consent.status).toBe(200);
    const debtToken = await nogi.clientCredentialsToken(client, audiences.debt, 'debt.unsecured.presentation');
    const debt = await nogi.getDebtByConsentId(debtToken.data.access_token, consent.data.consent.id);
    expect(debt.status).toBe(200);
    expect(debt.data.ssn).toBe(people[0]!.nin);
    expect(debt.data.loans?.length).toBeGreaterThan(0);
  } finally {
    mock.kill('SIGTERM');
    await exited;
  }
});

test('compare against the simulator itself, and --record elsewhere, are usage errors: exit 2, one line', async () => {
  const self = await runCliInProcess(['compare', '--target', 'mock'], cleanEnv({}));
  expect(self.code).toBe(2);
  expect(self.stderr.trim()).toBe('nogi-conformance: compare needs a target other than the simulator it compares with: --target preprod or --target custom');
  const misplaced = await runCliInProcess(['doctor', '--record'], cleanEnv({}));
  expect(misplaced.code).toBe(2);
  expect(misplaced.stderr).toContain('doctor does not take --record (compare does)');
});
