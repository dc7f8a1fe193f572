/**
 * The suite must fail, naming the broken rule, when a provider deviates from the contract; and
 * pass against a conformant provider reached only through the environment (NOGI_TARGET=custom).
 * Each case starts a simulator in-process with one deviation switched on and runs the relevant
 * conformance spec against it in a child Playwright run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { fixtureClients, startSimulator, type DeviationName, type RunningSimulator } from '../../src/simulator/index.ts';

const run = promisify(execFile);

interface ConformanceRun {
  exitCode: number;
  output: string;
}

async function conformanceAgainst(sim: RunningSimulator, spec: string, grep?: string): Promise<ConformanceRun> {
  const { a, b, withoutAgreement } = fixtureClients();
  const reports = mkdtempSync(join(tmpdir(), 'nogi-self-'));
  const env = {
    ...process.env,
    NOGI_TARGET: 'custom',
    NOGI_ACCESS_BASE_URL: sim.accessUrl,
    NOGI_API_BASE_URL: sim.apiUrl,
    NOGI_ADMIN_BASE_URL: sim.adminUrl,
    NOGI_CLIENT_ID: a.client_id,
    NOGI_CLIENT_SECRET: a.client_secret,
    NOGI_REDIRECT_URI: a.redirect_uris[0],
    NOGI_CLIENT2_ID: b.client_id,
    NOGI_CLIENT2_SECRET: b.client_secret,
    NOGI_CLIENT_NO_AGREEMENT_ID: withoutAgreement.client_id,
    NOGI_CLIENT_NO_AGREEMENT_SECRET: withoutAgreement.client_secret,
    NOGI_REPORTS_DIR: reports,
    NOGI_PROGRESS: '',
    FORCE_COLOR: '0',
  };
  const args = ['playwright', 'test', '--project=conformance', '--reporter=line', spec, ...(grep ? ['--grep', grep] : [])];
  try {
    const { stdout, stderr } = await run('npx', args, { env, maxBuffer: 16 * 2 ** 20, timeout: 150_000 });
    return { exitCode: 0, output: stdout + stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { exitCode: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

const deviations: Array<{ deviation: DeviationName; spec: string; grep?: string; names: RegExp[] }> = [
  { deviation: 'debt-missing-ssn', spec: 'specs/integrated-consent.spec.ts', names: [/response_schema_conformance/, /numberOfCreditorsAnswered/, /4\. Look up debt using the consent/] },
  { deviation: 'status-wrong-content-type', spec: 'specs/integrated-consent.spec.ts', names: [/content_type_conformance/, /getConsentStatusWithID/] },
  { deviation: 'agreement-wrong-status', spec: 'specs/integrated-consent.spec.ts', names: [/status_code_conformance/, /createConsent/, /got 201/] },
  { deviation: 'revoke-ignored', spec: 'specs/integrated-consent.spec.ts', names: [/a revoked consent must not be active/] },
  { deviation: 'feed-drops-archived', spec: 'specs/integrated-consent.spec.ts', names: [/SAMTYKKE_OPPRETTET and SAMTYKKE_ARKIVERT for this consent/] },
  { deviation: 'single-use-reusable', spec: 'specs/regular-consent.spec.ts', grep: 'single-use', names: [/a default consent allows collecting the debt info one time/] },
  { deviation: 'id-token-bad-signature', spec: 'specs/regular-consent.spec.ts', grep: 'openid:', names: [/Verify the ID token/, /signature verification failed/] },
  { deviation: 'wrong-audience-accepted', spec: 'specs/security.spec.ts', grep: 'another audience', names: [/a consent\.create token \(agreement audience\) must not read debt/] },
  { deviation: 'debt-invalid-token-401', spec: 'specs/security.spec.ts', grep: 'no token is refused', names: [/status_code_conformance/, /getDebtWithConsentID/, /expected one of 200, 400, 403, 500/] },
  { deviation: 'redirect-unregistered', spec: 'specs/security.spec.ts', grep: 'unregistered redirect_uri', names: [/an error page, never a redirect/] },
];

test.describe.configure({ mode: 'parallel', timeout: 180_000 });

for (const { deviation, spec, grep, names } of deviations) {
  test(`a provider with "${deviation}" fails the suite, which names the rule`, async () => {
    const sim = await startSimulator({ accessPort: 0, apiPort: 0, adminPort: 0, testMode: true, deviations: [deviation], log: () => {} });
    try {
      const { exitCode, output } = await conformanceAgainst(sim, spec, grep);
      expect(exitCode, `the run must fail:\n${output.slice(-3000)}`).not.toBe(0);
      for (const name of names) expect(output, `the failure names ${name}`).toMatch(name);
    } finally {
      await sim.close();
    }
  });
}

test('a conformant provider on other ports, named only by the environment, passes every spec', async () => {
  const sim = await startSimulator({ accessPort: 0, apiPort: 0, adminPort: 0, testMode: true, log: () => {} });
  try {
    const { exitCode, output } = await conformanceAgainst(sim, 'specs/');
    expect(exitCode, output.slice(-3000)).toBe(0);
    expect(output).toMatch(/\d+ passed/);
    expect(output).not.toMatch(/\d+ skipped/);
  } finally {
    await sim.close();
  }
});
