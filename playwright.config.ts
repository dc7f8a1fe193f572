/**
 * One runner for everything: the conformance specs against a target (the embedded simulator by
 * default), the Pact contracts, and the project's own tests. Reports go to reports/.
 */
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';
import { config as loadDotenv } from 'dotenv';
import { chromiumArgs, chromiumExecutable } from './src/config/browser.ts';
import { freePort } from './src/config/ports.ts';

// .env first, so that NOGI_TARGET there decides whether the simulator starts (the environment wins).
loadDotenv({ quiet: true });
const target = process.env.NOGI_TARGET ?? 'mock';
const reports = process.env.NOGI_REPORTS_DIR ?? 'reports';

// The config is evaluated again in every worker: pick the simulator's ports once, in the main
// process, and hand them to the workers through the environment.
if (target === 'mock' && !process.env.NOGI_SIM_ACCESS_PORT) {
  process.env.NOGI_SIM_ACCESS_PORT = String(await freePort());
  process.env.NOGI_SIM_API_PORT = String(await freePort());
  process.env.NOGI_SIM_ADMIN_PORT = String(await freePort());
}
const simulator = {
  access: `http://127.0.0.1:${process.env.NOGI_SIM_ACCESS_PORT}`,
  api: `http://127.0.0.1:${process.env.NOGI_SIM_API_PORT}`,
  admin: `http://127.0.0.1:${process.env.NOGI_SIM_ADMIN_PORT}`,
};
if (target === 'mock') {
  process.env.NOGI_ACCESS_BASE_URL = simulator.access;
  process.env.NOGI_API_BASE_URL = simulator.api;
  process.env.NOGI_ADMIN_BASE_URL = simulator.admin;
}

const webServer: PlaywrightTestConfig['webServer'] =
  target === 'mock'
    ? [
        {
          name: 'nogi-simulator',
          command: 'node --import tsx src/simulator/main.ts',
          url: `${simulator.access}/.well-known/openid-configuration`,
          env: {
            NOGI_SIM_ACCESS_PORT: process.env.NOGI_SIM_ACCESS_PORT!,
            NOGI_SIM_API_PORT: process.env.NOGI_SIM_API_PORT!,
            NOGI_SIM_ADMIN_PORT: process.env.NOGI_SIM_ADMIN_PORT!,
            NOGI_SIM_TEST_MODE: '1',
            NOGI_SIM_LOG: process.env.NOGI_SIM_LOG ?? `${reports}/simulator.log`,
          },
          stdout: 'ignore',
          stderr: 'pipe',
          timeout: 30_000,
          reuseExistingServer: false,
          gracefulShutdown: { signal: 'SIGTERM', timeout: 3_000 },
        },
      ]
    : undefined;

export default defineConfig({
  outputDir: `${reports}/test-results`,
  // A target that is not configured stops the run with one message (fixtures/global-setup.ts).
  globalSetup: './fixtures/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 5_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: process.env.CI ? 2 : undefined,
  reporter: [
    // First: clears this run's result files before any reporter writes (src/reporting/fresh-results.ts).
    ['./src/reporting/fresh-results.ts'],
    // NOGI_PROGRESS=1 (set by the nogi-conformance CLI): each lifecycle step as it ends.
    [process.env.NOGI_PROGRESS === '1' ? './src/reporting/progress-reporter.ts' : process.env.CI ? 'line' : 'list'],
    ['html', { outputFolder: `${reports}/playwright-html`, open: 'never' }],
    ['junit', { outputFile: `${reports}/junit.xml` }],
    ['json', { outputFile: `${reports}/results.json` }],
    ['./src/reporting/coverage-reporter.ts', { outputDir: reports }],
    ['allure-playwright', { resultsDir: `${reports}/allure-results`, detail: true, suiteTitle: true }],
    // Sharded runs (nogi-conformance gate --shard i/n): a blob per shard for `playwright merge-reports`.
    ...(process.env.NOGI_BLOB_REPORT === '1' ? [['blob', { outputDir: `${reports}/blob-report` }] as const] : []),
    // Last: masks what Playwright itself wrote (step titles, snippets) once every report is written.
    ['./src/reporting/scrub-reporter.ts', { dir: reports }],
  ],
  use: {
    // Traces hold raw headers (credentials): off unless asked for against a simulator.
    trace: process.env.NOGI_TRACE === 'on' && target === 'mock' ? 'on' : 'off',
    // A screenshot of a login page can show the NIN typed into it, and images cannot be scrubbed.
    screenshot: target === 'mock' ? 'only-on-failure' : 'off',
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
  },
  webServer,
  projects: [
    { name: 'unit', testDir: 'tests/unit' },
    { name: 'simulator', testDir: 'tests/simulator' },
    // One worker: specs share one simulator, and those that move its clock must not race others.
    { name: 'conformance', testDir: 'specs', fullyParallel: false, workers: 1 },
    { name: 'pact-consumer', testDir: 'tests/pact/consumer' },
    { name: 'pact-provider', testDir: 'tests/pact/provider', dependencies: ['pact-consumer'] },
    { name: 'self', testDir: 'tests/self' },
    // The tests of the CLI runs (they start the runs below as nested runs).
    { name: 'runs', testDir: 'tests/runs' },
    // The onboarding checklist and the health subset: only when nogi-conformance asks for them
    // (NOGI_CLI_RUN=1), so that a plain `playwright test` does not run them twice.
    ...(process.env.NOGI_CLI_RUN === '1'
      ? [
          { name: 'onboarding', testDir: 'src/cli/onboarding', fullyParallel: false },
          { name: 'health', testDir: 'src/cli/health', fullyParallel: false },
        ]
      : []),
  ],
});
