/**
 * The gate against a provider that deviates (a simulator with `revoke-ignored` switched on), as
 * a release pipeline would run it: exit 1, and the summary names the lifecycle step that broke.
 * Limited with --grep to the integrated lifecycle to stay quick (which also skips the separate
 * Pact verification).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, customTarget, runCli } from './helpers.ts';

// Each test starts nested runs of the CLI: slower when the rest of npm test shares the machine.
test.describe.configure({ timeout: 180_000 });

const grep = 'integrated consent lifecycle';

async function gate(sim: RunningSimulator, flags: string[] = []) {
  const reports = test.info().outputPath('reports');
  // An earlier run's Allure report, which a run that renders none must not leave to be read as its own.
  mkdirSync(join(reports, 'allure-report'), { recursive: true });
  writeFileSync(join(reports, 'allure-report', 'index.html'), 'an earlier run');
  const r = await runCli(['gate', '--grep', grep, ...flags], cleanEnv({ ...customTarget(sim), NOGI_REPORTS_DIR: reports, NOGI_PACT_DIR: test.info().outputPath('pacts') }));
  // When the run never got as far as its summary, the failure shows what it printed instead.
  expect(existsSync(join(reports, 'gate.md')), `gate.md (exit ${r.code}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`).toBe(true);
  return { ...r, md: readFileSync(join(reports, 'gate.md'), 'utf8') };
}

// A conformant provider passing the gate: the installed package's full gate on the mock target (all-from-the-installed-package.spec.ts, which certifies that run).

test('a revoke that does not take effect fails the gate: exit 1, the step named', async () => {
  const sim = await startSimulator({ host: '127.0.0.1', testMode: true, deviations: ['revoke-ignored'], log: () => undefined });
  try {
    const r = await gate(sim);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.md).toContain('**FAILED**');
    expect(r.md).toContain('## What broke');
    expect(r.md).toMatch(/- step: .*(revoked|inactive)/i);
    expect(r.stdout).toMatch(/✗ .*(revoked|inactive)/i);
    // NOGI_ALLURE_REPORT=0 (cleanEnv): the results are kept, the HTML is not rendered.
    expect(existsSync(join(test.info().outputPath('reports'), 'allure-results'))).toBe(true);
    expect(existsSync(join(test.info().outputPath('reports'), 'allure-report'))).toBe(false);
    expect(r.stdout).not.toContain('Allure report:');
    expect(r.md).toContain('Reports: allure-results/ (the Allure HTML was not rendered: npm run report renders it)');
    // JUnit, which has no run-level properties, names the contract in its suite's name.
    expect(readFileSync(join(test.info().outputPath('reports'), 'junit.xml'), 'utf8')).toMatch(/<testsuites id="" name="NoGi conformance, contract 3770c4e"/);
  } finally {
    await sim.close();
  }
});

// The strict profile is the gate's default: a provider's token answers without Cache-Control:
// no-store (RFC 6749 §5.1) fail it, naming the rule; --no-strict lets them through as warnings.
test('strict by default: an RFC 6749 MUST the provider breaks fails the gate; --no-strict passes it', async () => {
  const sim = await startSimulator({ host: '127.0.0.1', testMode: true, deviations: ['token-no-cache-control'], log: () => undefined });
  try {
    const strict = await gate(sim);
    expect(strict.code, strict.stdout + strict.stderr).toBe(1);
    expect(strict.stdout).toContain('strict');
    expect(strict.md).toContain('**FAILED**');
    expect(strict.md).toMatch(/- contract rule: \[token_response_invariants\] token 200 RFC 6749 §5\.1 Cache-Control: at header:Cache-Control expected no-store/);
    const lenient = await gate(sim, ['--no-strict']);
    expect(lenient.code, lenient.stdout + lenient.stderr).toBe(0);
    expect(lenient.stdout).toContain('not strict (--no-strict)');
    expect(lenient.md).toContain('**PASSED**');
  } finally {
    await sim.close();
  }
});
