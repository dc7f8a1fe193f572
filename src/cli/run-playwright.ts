/**
 * Spawns `playwright test` for a run (its projects, grep, environment), with the step-by-step
 * progress reporter on the console, then reads reports/results.json. Then builds the Allure HTML
 * report with Allure 3 (npm `allure`, no Java).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readResults, type RunResults } from './results.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);

export function reportsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(projectRoot, env.NOGI_REPORTS_DIR ?? 'reports');
}

export interface PlaywrightRun {
  projects: string[];
  grep?: string;
  extraArgs?: string[];
  env: NodeJS.ProcessEnv;
  /** Print Playwright's output (progress) to this process's stdout. */
  quiet?: boolean;
}

export interface PlaywrightOutcome {
  exitCode: number;
  results: RunResults | undefined;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, quiet: boolean): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: quiet ? ['ignore', 'ignore', 'pipe'] : ['ignore', 'inherit', 'inherit'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (quiet && code !== 0 && stderr) process.stderr.write(stderr);
      resolvePromise(code ?? (signal ? 1 : 0));
    });
  });
}

export async function runPlaywright(opts: PlaywrightRun): Promise<PlaywrightOutcome> {
  const cli = require.resolve('@playwright/test/cli');
  const args = [cli, 'test', ...opts.projects.map((p) => `--project=${p}`)];
  if (opts.grep) args.push(`--grep=${opts.grep}`);
  args.push(...(opts.extraArgs ?? []));
  const env = { ...opts.env, NOGI_PROGRESS: '1', NOGI_CLI_RUN: '1' };
  // allure-playwright adds to its folder; one run, one Allure report.
  rmSync(join(reportsDir(env), 'allure-results'), { recursive: true, force: true });
  const exitCode = await run(process.execPath, args, env, Boolean(opts.quiet));
  const results = readResults(join(reportsDir(env), 'results.json'));
  return { exitCode, results };
}

/** Runs a TypeScript entry point of this project (through tsx) with the run's environment. */
export function runTsEntry(entry: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return run(process.execPath, ['--import', 'tsx', join(projectRoot, entry), ...args], env, false);
}

/** Allure 3 HTML from reports/allure-results; a failure here is reported, never fatal. */
export async function buildAllureReport(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const dir = reportsDir(env);
  let bin: string;
  try {
    // allure's exports hide package.json: its main is dist/index.js, the CLI sits beside dist/.
    bin = join(dirname(require.resolve('allure')), '..', 'cli.js');
  } catch {
    return undefined;
  }
  const code = await run(process.execPath, [bin, 'generate', join(dir, 'allure-results'), '-o', join(dir, 'allure-report')], env, true).catch(() => 1);
  return code === 0 ? join(dir, 'allure-report', 'index.html') : undefined;
}
