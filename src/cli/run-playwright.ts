/**
 * Spawns `playwright test` for a run (one project, a tag grep, the run's environment) with the
 * step-by-step progress reporter on the console, and reads the results.json THAT run wrote. Then
 * builds the Allure HTML report with Allure 3 (npm `allure`, no Java).
 *
 * Files of the project itself (playwright.config.ts, the specs) are found from
 * the package root, never from the working directory: the CLI may be run from anywhere. In a clone
 * they are the TypeScript sources (run through tsx); in the installed package, their compiled
 * JavaScript in dist/ (src/package-root.ts).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { modulePath, packageRoot } from '../package-root.ts';
import { redact } from '../reporting/redact.ts';
import { RunNotStartedError, UsageError } from './exit-codes.ts';
import { readResults, stripAnsi, type RunResults } from '../reporting/results.ts';

const require = createRequire(import.meta.url);

/** Where the run's reports go: NOGI_REPORTS_DIR (made absolute by runEnvironment), else ./reports. */
export function reportsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.NOGI_REPORTS_DIR ?? 'reports');
}

export interface PlaywrightRun {
  /** The Playwright projects: the target's name (mock, preprod, custom), and any the run adds (pact-consumer). */
  projects: string[];
  /** A regular expression over test titles and tags, e.g. `@gate`. */
  grep: string;
  extraArgs?: string[];
  env: NodeJS.ProcessEnv;
}

export interface PlaywrightOutcome {
  exitCode: number;
  results: RunResults;
}

interface ChildOutcome {
  code: number;
  stderr: string;
}

/** Runs a child process from the project's folder; stdout to ours, stderr kept (and returned). */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, stdout: 'inherit' | 'ignore'): Promise<ChildOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: packageRoot, env, stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), stderr }));
  });
}

/** The first line that says what went wrong (Playwright prints `Error: …` and then a stack). */
function firstErrorLine(stderr: string): string | undefined {
  const lines = stripAnsi(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  return lines.find((l) => /^\w*Error\b/.test(l)) ?? lines[0];
}

/** NOGI_PLAYWRIGHT_ARGS: more arguments for `playwright test` (e.g. `--workers=2 --timeout=90000`), split at spaces. */
function playwrightArgs(run: PlaywrightRun): string[] {
  const fromEnvironment = (run.env.NOGI_PLAYWRIGHT_ARGS ?? '').split(/\s+/).filter(Boolean);
  return ['test', `--config=${modulePath('playwright.config.ts')}`, ...run.projects.map((p) => `--project=${p}`), `--grep=${run.grep}`, ...(run.extraArgs ?? []), ...fromEnvironment];
}

/**
 * One Playwright run. results.json is deleted first and must be written again by this run: a
 * run that wrote none (a refused argument, an unknown project, a config that does not load), or
 * one that ran no test and only reports errors (an invalid grep, global set-up), is a
 * RunNotStartedError with Playwright's one-line reason, never a summary of an earlier run.
 */
export async function runPlaywright(run: PlaywrightRun): Promise<PlaywrightOutcome> {
  const env: NodeJS.ProcessEnv = { ...run.env, NOGI_PROGRESS: '1', NOGI_CLI_RUN: '1' };
  const resultsFile = join(reportsDir(env), 'results.json');
  rmSync(resultsFile, { force: true });
  const startedMs = Date.now();
  const { code, stderr } = await runChild(process.execPath, [require.resolve('@playwright/test/cli'), ...playwrightArgs(run)], env, 'inherit');
  const fresh = (() => {
    try {
      // Some file systems keep whole seconds only.
      return statSync(resultsFile).mtimeMs >= startedMs - 1_000;
    } catch {
      return false;
    }
  })();
  const results = fresh ? readResults(resultsFile) : undefined;
  if (!results) {
    throw new RunNotStartedError(`Playwright did not run (exit ${code}): ${redact(firstErrorLine(stderr) ?? 'no results were written')}`);
  }
  // Reporters started, but nothing ran: an argument or set-up error reported as a run error.
  if (results.tests.length === 0 && results.errors.length > 0) {
    throw new RunNotStartedError(`Playwright ran no test (exit ${code}): ${redact(firstErrorLine(results.errors[0]!) ?? 'no test')}`);
  }
  // Playwright's own stderr (the simulator's log lines, warnings), after the run.
  if (stderr.trim()) process.stderr.write(redact(stderr));
  return { exitCode: code, results };
}

/**
 * Whether a run renders its Allure HTML: NOGI_ALLURE_REPORT=0 leaves the results unrendered (a CI
 * job that merges shards renders once; `npm run report` renders them later), about a second of
 * CPU a run. Read before the run starts, so a bad value stops it there.
 */
export function allureReportWanted(env: NodeJS.ProcessEnv): boolean {
  const setting = env.NOGI_ALLURE_REPORT;
  if (setting === undefined || setting === '' || setting === '1') return true;
  if (setting === '0') return false;
  throw new UsageError(`NOGI_ALLURE_REPORT must be 1 (render the Allure report, the default) or 0, got "${setting}"`);
}

/** Allure 3 HTML from the run's allure-results; a failure here is reported, never fatal. */
export async function buildAllureReport(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const dir = reportsDir(env);
  let bin: string;
  try {
    // allure's exports hide package.json: its main is dist/index.js, the CLI sits beside dist/.
    bin = join(dirname(require.resolve('allure')), '..', 'cli.js');
  } catch {
    return undefined;
  }
  const outcome = await runChild(process.execPath, [bin, 'generate', join(dir, 'allure-results'), '-o', join(dir, 'allure-report')], env, 'ignore').catch(() => undefined);
  if (outcome && outcome.code !== 0 && outcome.stderr) process.stderr.write(redact(outcome.stderr));
  return outcome?.code === 0 ? join(dir, 'allure-report', 'index.html') : undefined;
}
