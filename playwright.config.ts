/**
 * One runner for everything: the conformance specs against a target (one project per target:
 * the embedded simulator by default), the self test (projects whose target is a deviating
 * simulator, in the same run), the Pact contracts, and the project's own tests.
 * Reports go to reports/.
 */
import { defineConfig, type PlaywrightTestConfig, type PlaywrightTestProject } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { config as loadDotenv } from 'dotenv';
import { chromiumArgs, chromiumExecutable } from './src/config/browser.ts';
import { moduleExtension as ext, nodeCommandFor } from './src/package-root.ts';
import { currentContractVersion, type ContractVersion } from './src/contract/load.ts';
import { checksOffFromEnvironment, describeCheckOff } from './src/contract/checks.ts';
import type { TargetName } from './src/config/target.ts';
import type { SelfTest, SelfTestCase } from './fixtures/nogi.ts';

// The project's own tests exist in a clone only: the installed package (this file compiled to
// dist/playwright.config.js) has the conformance specs and none of the projects of tests/.
const ownTests = (dir: string): boolean => existsSync(new URL(`./${dir}/`, import.meta.url));
const selfTestModule = new URL('./tests/self/deviations.ts', import.meta.url);
const selfTestGroups = existsSync(selfTestModule)
  ? ((await import(selfTestModule.href)) as { selfTestGroups(): Array<{ name: string; contract?: ContractVersion; cases: Array<Omit<SelfTestCase, 'grep'> & { grep: RegExp }> }> }).selfTestGroups()
  : [];

// .env first, so that the credentials of preprod or a custom target there are honoured (the environment wins).
loadDotenv({ quiet: true });
const reports = process.env.NOGI_REPORTS_DIR ?? 'reports';

// Every process this run starts (workers, the simulator, the CLI runs of the project's own tests)
// inherits a larger young generation: each loads Playwright and the contract afresh, and with V8's
// default semi-space most of that start-up went to scavenges. npm test on 2 cores, side by side:
// 124.7 s and 185 s of user CPU by default, 116.8 s and 172 s with 32 MB. A size of the caller's
// own (NODE_OPTIONS) is kept.
if (!/--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=32`.trim();
}

/** The --project filters of this run (none: every project runs). */
function selectedProjects(argv: string[]): string[] {
  const names: string[] = [];
  argv.forEach((arg, i) => {
    if (arg.startsWith('--project=')) names.push(arg.slice('--project='.length));
    else if (arg === '--project' && argv[i + 1]) names.push(argv[i + 1]!);
  });
  return names;
}
const selected = selectedProjects(process.argv);
const runs = (project: string) => selected.length === 0 || selected.includes(project);

// preprod and custom are projects only when asked for: a plain `playwright test` must not need
// their credentials. `NOGI_TARGET` in .env asks for one too.
const realTargets = (['preprod', 'custom'] as const).filter((t) => selected.includes(t) || process.env.NOGI_TARGET === t);

// The simulator listens on ports the OS picks (0) and prints its URLs; the runner reads the ports
// from that output (webServer.wait's named groups become its environment, which the workers
// inherit). Ports picked here and bound later would race every other listener on the machine: a
// nested run's simulator once found its port taken by a Pact mock server, and answered the mock's
// client in its place.
const startSimulator = runs('mock');
const simulatorPorts = /^http:\/\/127\.0\.0\.1:(?<nogi_sim_access_port>\d+)\nhttp:\/\/127\.0\.0\.1:(?<nogi_sim_api_port>\d+)\n.*\nhttp:\/\/127\.0\.0\.1:(?<nogi_sim_admin_port>\d+)\n/m;
// Its admin token likewise: picked here, given to the simulator and (by the environment) to the workers.
if (startSimulator && !process.env.NOGI_SIM_ADMIN_TOKEN) process.env.NOGI_SIM_ADMIN_TOKEN = randomBytes(24).toString('base64url');

const webServer: PlaywrightTestConfig['webServer'] = startSimulator
  ? [
      {
        name: 'nogi-simulator',
        // Through tsx in a clone, the compiled dist/src/simulator/main.js in the installed package.
        command: nodeCommandFor('src/simulator/main.ts'),
        wait: { stdout: simulatorPorts },
        // The suite's own simulator, whatever a .env for `npm run mock` says: loopback, its URLs
        // its own (what simulatorPorts reads), no deviation.
        env: {
          NOGI_SIM_HOST: '127.0.0.1',
          NOGI_SIM_ADMIN_HOST: '127.0.0.1',
          NOGI_SIM_ACCESS_PUBLIC_URL: '',
          NOGI_SIM_API_PUBLIC_URL: '',
          NOGI_SIM_DEVIATIONS: '',
          NOGI_SIM_ACCESS_PORT: '0',
          NOGI_SIM_API_PORT: '0',
          NOGI_SIM_ADMIN_PORT: '0',
          NOGI_SIM_ADMIN_TOKEN: process.env.NOGI_SIM_ADMIN_TOKEN!,
          NOGI_SIM_TEST_MODE: '1',
          // A run starts from nothing and leaves nothing behind (npm run mock keeps its state on disk).
          NOGI_SIM_STORE: 'memory',
          NOGI_SIM_LOG: process.env.NOGI_SIM_LOG ?? `${reports}/simulator.log`,
        },
        stderr: 'pipe',
        timeout: 30_000,
        reuseExistingServer: false,
        gracefulShutdown: { signal: 'SIGTERM', timeout: 3_000 },
      },
    ]
  : undefined;

/** A conformance project: the specs against one target. */
function targetProject(name: TargetName): PlaywrightTestProject {
  return {
    name,
    testDir: 'specs',
    // Side by side, on every target: where the target offers run-time clients (a simulator's admin
    // surface) each worker has its own, with its own clock and faults (fixtures/nogi.ts); where it
    // does not (preprod), the specs that would move a clock or switch a fault skip, and every other
    // spec touches only the consents it registers.
    fullyParallel: true,
    use: { targetName: name } as PlaywrightTestProject['use'],
  };
}

/**
 * How many tests run at once: NOGI_WORKERS; else, against a remote target (preprod, custom), the
 * cores but at least 4, since its tests wait on the network (npm run bench:remote: on 2 cores, 4
 * workers beat 2 and 8; each worker's start-up costs CPU); else, for the whole suite (no --project:
 * npm test, whose own tests spend much of their time waiting on the runs and servers they start),
 * one more than the cores (on 2 cores, side by side: 114.7 s with 3, 117.9 s with 2; the last
 * session measured 3 s in favour of 3 as well); else half the cores but at least 2 (Playwright's
 * default of half the cores is one worker on a 2-core machine, where these tests, mostly waiting on
 * HTTP and child runs, take a third less time on two).
 */
function workerCount(raw: string | undefined): number {
  if (raw !== undefined && raw !== '') {
    if (!/^[1-9]\d*$/.test(raw) || Number(raw) > 64) throw new Error(`NOGI_WORKERS must be a whole number from 1 to 64, got "${raw}"`);
    return Number(raw);
  }
  if (realTargets.length) return Math.max(4, availableParallelism());
  if (selected.length === 0) return availableParallelism() + 1;
  return Math.max(2, Math.floor(availableParallelism() / 2));
}

/**
 * A self-test project: the specs its cases select, against a simulator of its own (one worker, so
 * one simulator, each case's deviation switched on around its own tests). Strict, as the gate is by
 * default: a deviation from an RFC MUST must fail the gate.
 */
function selfTestProject(name: string, selfTest: SelfTest): PlaywrightTestProject {
  const grep = new RegExp(selfTest.cases.map((c) => `(?:${c.grep})`).join('|'));
  return { name, testDir: 'specs', grep, workers: 1, use: { selfTest, strict: true } as PlaywrightTestProject['use'] };
}

// Every report names the provider's contract version that judged (NOGI_CONTRACT or the default).
const contract = currentContractVersion();
// Checks switched off by name (NOGI_CHECKS_OFF): an entry of the Allure report's environment and of
// the HTML report's header, beside each test's own note (fixtures/nogi.ts), so none reads as passed.
const checksOff = checksOffFromEnvironment();
const runInfo = { 'NoGi contract': contract, ...(checksOff.length ? { 'Checks switched off': checksOff.map(describeCheckOff).join(' | ') } : {}) };
// JUnit has no run-level properties: the contract goes in the suite's name (Playwright reads it from here).
process.env.PLAYWRIGHT_JUNIT_SUITE_NAME ??= `NoGi conformance, contract ${contract}`;

export default defineConfig({
  outputDir: `${reports}/test-results`,
  // Shown in the HTML report's header.
  metadata: runInfo,
  // A target that is not configured stops the run with one message (fixtures/global-setup.ts).
  globalSetup: `./fixtures/global-setup${ext}`,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  workers: workerCount(process.env.NOGI_WORKERS),
  reporter: [
    // First: clears this run's result files before any reporter writes (src/reporting/fresh-results.ts).
    [`./src/reporting/fresh-results${ext}`],
    // NOGI_PROGRESS=1 (set by the nogi-conformance CLI): each lifecycle step as it ends.
    [process.env.NOGI_PROGRESS === '1' ? `./src/reporting/progress-reporter${ext}` : process.env.CI ? 'line' : 'list'],
    ['html', { outputFolder: `${reports}/playwright-html`, open: 'never' }],
    ['junit', { outputFile: `${reports}/junit.xml` }],
    ['json', { outputFile: `${reports}/results.json` }],
    [`./src/reporting/coverage-reporter${ext}`, { outputDir: reports }],
    ['allure-playwright', { resultsDir: `${reports}/allure-results`, detail: true, suiteTitle: true, environmentInfo: runInfo }],
    // Sharded runs (nogi-conformance gate --shard i/n): a blob per shard for `playwright merge-reports`.
    ...(process.env.NOGI_BLOB_REPORT === '1' ? [['blob', { outputDir: `${reports}/blob-report` }] as const] : []),
    // Last: masks what Playwright itself wrote (step titles, snippets) once every report is written.
    [`./src/reporting/scrub-reporter${ext}`, { dir: reports }],
  ],
  use: {
    // Traces hold raw headers (credentials): off unless asked for against the simulator.
    trace: process.env.NOGI_TRACE === 'on' && realTargets.length === 0 ? 'on' : 'off',
    // A screenshot of a login page can show the NIN typed into it, and images cannot be scrubbed.
    screenshot: realTargets.length === 0 ? 'only-on-failure' : 'off',
    launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
  },
  webServer,
  projects: [
    // The tests of the CLI runs (they start the runs as child processes): the longest tests, first
    // and spread over every worker, so that the short projects fill in beside them.
    { name: 'runs', testDir: 'tests/runs', fullyParallel: true },
    { name: 'unit', testDir: 'tests/unit' },
    { name: 'simulator', testDir: 'tests/simulator' },
    targetProject('mock'),
    ...realTargets.map(targetProject),
    // One worker each: a few seconds of tests, where a second worker would cost more to start than it saves.
    { name: 'pact-consumer', testDir: 'tests/pact/consumer', workers: 1 },
    // Beside the consumer tests, not after them: those compare their pacts with the committed ones
    // and write none (src/pact/committed.ts), so the committed pacts these read do not move.
    { name: 'pact-provider', testDir: 'tests/pact/provider', workers: 1 },
    // The self test, in this run: each deviation must fail the specs that should catch it, naming
    // the rule (the clean simulator passing every spec is the mock project).
    ...selfTestGroups.map((g) => selfTestProject(`self ${g.name}`, { contract: g.contract, cases: g.cases.map((c) => ({ ...c, grep: c.grep.source })) })),
  ].filter((p) => !p.testDir?.startsWith('tests/') || ownTests(p.testDir)),
});
