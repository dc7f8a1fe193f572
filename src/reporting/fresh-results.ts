/**
 * Every run begins with empty result files for what it runs. The JSON, JUnit and HTML reporters
 * overwrite their output, but allure-playwright adds to its folder: two runs would leave two
 * results per test with one historyId, which Allure shows as retries (with `retries: 0`), and a
 * CLI that read a results.json from an earlier run would report on tests that did not run now.
 *
 * Listed FIRST among the reporters in playwright.config.ts, so that its onBegin clears before any
 * other reporter writes. Reporters live in Playwright's main process only (the config is evaluated
 * again in each worker, reporters are not), so it runs once per run. It never clears when
 * Playwright merges shard blob reports (`playwright merge-reports`): that would throw away the
 * shards' results the merge is made from.
 */
import { rmSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import type { FullConfig, Reporter } from '@playwright/test/reporter';

/** What each reporter writes, by the option that names it. */
const outputOption: Record<string, string> = {
  json: 'outputFile',
  junit: 'outputFile',
  html: 'outputFolder',
  'allure-playwright': 'resultsDir',
};

/** Playwright hands reporters the config with package reporters resolved to their entry file. */
function reporterName(name: string): string {
  return /[\\/]node_modules[\\/]allure-playwright[\\/]/.test(name) ? 'allure-playwright' : name;
}

/** The files and folders the configured reporters write, resolved against the config's folder. */
export function resultPaths(config: Pick<FullConfig, 'reporter' | 'configFile' | 'rootDir'>): string[] {
  const base = config.configFile ? dirname(config.configFile) : config.rootDir;
  const paths: string[] = [];
  for (const [name, options] of config.reporter) {
    const option = outputOption[reporterName(name)];
    const value = option ? (options as Record<string, unknown> | undefined)?.[option] : undefined;
    if (typeof value === 'string' && value.trim()) paths.push(resolve(base, value));
  }
  return paths;
}

/**
 * Removes the given result files and folders. Refuses a path that is the project folder or
 * contains it: a misconfigured outputFolder must not delete the project.
 */
export function clearResults(paths: string[], projectDir: string): string[] {
  const cleared: string[] = [];
  for (const path of paths) {
    const fromPath = relative(path, projectDir);
    const containsProject = fromPath === '' || (!fromPath.startsWith('..') && !isAbsolute(fromPath));
    if (containsProject) throw new Error(`fresh-results: refusing to clear ${path}: it contains the project folder`);
    rmSync(path, { recursive: true, force: true });
    cleared.push(path);
  }
  return cleared;
}

/** Playwright passes its mode to every reporter: 'test', 'list' or 'merge' (merge-reports). */
interface ReporterOptions {
  _mode?: string;
}

export default class FreshResultsReporter implements Reporter {
  private readonly mode: string | undefined;

  constructor(options: ReporterOptions = {}) {
    this.mode = options._mode;
  }

  printsToStdio(): boolean {
    return false;
  }

  onBegin(config: FullConfig): void {
    // Merging builds reports from earlier runs' results: nothing here is stale.
    if (this.mode === 'merge') return;
    clearResults(resultPaths(config), config.configFile ? dirname(config.configFile) : config.rootDir);
  }
}
