/**
 * A run in which no check ran is never a pass: health, gate and onboarding with
 * NOGI_PLAYWRIGHT_ARGS=--list (Playwright lists the tests and runs none) exit 2 with one line
 * saying that nothing ran and why, never HEALTHY or PASSED, and their summaries say how many
 * tests ran and were skipped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, customTarget, runCli, startQuietSimulator } from './helpers.ts';

// Three nested runs of the CLI (each only lists its tests).
test.describe.configure({ timeout: 180_000 });

let sim: RunningSimulator;
test.beforeAll(async () => {
  sim = await startQuietSimulator();
});
test.afterAll(async () => {
  await sim.close();
});

for (const [command, summary] of [['health', 'health.md'], ['gate', 'gate.md'], ['onboarding', 'onboarding.md']] as const) {
  test(`${command} with nothing run (--list): exit 2, one line saying so, never a pass`, async () => {
    const reports = test.info().outputPath('reports');
    const r = await runCli([command], cleanEnv({ ...customTarget(sim), NOGI_REPORTS_DIR: reports, NOGI_PACT_DIR: test.info().outputPath('pacts'), NOGI_PLAYWRIGHT_ARGS: '--list', NOGI_HEALTH_SAMPLES: '1' }));
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('Nothing ran:'));
    expect(lines).toEqual([expect.stringContaining('--list')]);
    expect(r.stdout).not.toMatch(/HEALTHY|PASSED|\(passed\)/);
    const md = readFileSync(join(reports, summary), 'utf8');
    expect(md).not.toMatch(/HEALTHY|PASSED/);
    expect(md).toContain('NOTHING RAN');
    expect(md).toMatch(/0 tests ran \(0 passed, 0 failed\), [1-9]\d* skipped: [1-9]\d* no reason given/);
  });
}

test('a run whose own Playwright arguments select nothing says so: the arguments are named in the line', async () => {
  const reports = test.info().outputPath('reports');
  const r = await runCli(['health'], cleanEnv({ ...customTarget(sim), NOGI_REPORTS_DIR: reports, NOGI_PLAYWRIGHT_ARGS: '--pass-with-no-tests --grep no-such-test', NOGI_HEALTH_SAMPLES: '1' }));
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stdout.split('\n').filter((l) => l.startsWith('Nothing ran:'))).toEqual([
    'Nothing ran: no test tagged @health with NOGI_PLAYWRIGHT_ARGS --pass-with-no-tests --grep no-such-test. Not a pass (exit 2).',
  ]);
});
