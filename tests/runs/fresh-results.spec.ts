/**
 * Every run begins with empty result files (src/reporting/fresh-results.ts): after two runs of the
 * same spec into one reports folder, Allure holds one result per test, no historyId twice (which
 * Allure would show as retries), and every attachment a result names exists.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { JSONReport } from '@playwright/test/reporter';
import FreshResultsReporter, { clearResults, resultPaths } from '../../src/reporting/fresh-results.ts';
import { cleanEnv, root } from './helpers.ts';

test.describe.configure({ timeout: 180_000 });

const playwrightCli = createRequire(import.meta.url).resolve('@playwright/test/cli');
const spec = 'tests/unit/redact.spec.ts';

function runUnitSpec(reports: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [playwrightCli, 'test', '--project=unit', spec], {
      cwd: root,
      env: cleanEnv({ NOGI_REPORTS_DIR: reports }),
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
}

interface AllureStep {
  attachments?: Array<{ source: string }>;
  steps?: AllureStep[];
}
interface AllureResult extends AllureStep {
  historyId?: string;
  testCaseId?: string;
  name: string;
}

function sources(step: AllureStep): string[] {
  return [...(step.attachments ?? []).map((a) => a.source), ...(step.steps ?? []).flatMap(sources)];
}

test('two runs into one reports folder: one Allure result per test, no retries, every attachment resolves', async () => {
  const reports = test.info().outputPath('reports');
  // What an earlier run of something else left behind.
  mkdirSync(join(reports, 'allure-results'), { recursive: true });
  mkdirSync(join(reports, 'playwright-html'), { recursive: true });
  writeFileSync(join(reports, 'allure-results', 'stale-result.json'), JSON.stringify({ name: 'stale', historyId: 'stale' }));
  writeFileSync(join(reports, 'playwright-html', 'stale.txt'), 'stale');

  expect(await runUnitSpec(reports)).toBe(0);
  expect(await runUnitSpec(reports)).toBe(0);

  const json = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as JSONReport;
  const testsRun = json.stats.expected + json.stats.unexpected + json.stats.flaky + json.stats.skipped;
  expect(testsRun).toBeGreaterThan(5);

  const dir = join(reports, 'allure-results');
  const results = readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as AllureResult);
  expect(existsSync(join(dir, 'stale-result.json'))).toBe(false);
  expect(existsSync(join(reports, 'playwright-html', 'stale.txt'))).toBe(false);
  expect(results).toHaveLength(testsRun);

  const historyIds = results.map((r) => r.historyId ?? r.testCaseId);
  expect(historyIds.every(Boolean)).toBe(true);
  expect(new Set(historyIds).size, 'a historyId twice is a retry in Allure').toBe(results.length);

  const attachments = results.flatMap(sources);
  expect(attachments.length, 'the spec attaches at least one file').toBeGreaterThan(0);
  for (const source of attachments) expect(existsSync(join(dir, source)), `attachment ${source}`).toBe(true);

  // The JUnit file describes one run, not two.
  const junit = readFileSync(join(reports, 'junit.xml'), 'utf8');
  expect(junit.match(/<testcase /g)).toHaveLength(testsRun);
});

test('the paths come from the reporters as Playwright resolves them; merging shards clears nothing; the project is never cleared', () => {
  const dir = test.info().outputPath('cfg');
  const config = {
    configFile: join(dir, 'playwright.config.ts'),
    rootDir: dir,
    reporter: [
      ['list', undefined],
      ['json', { outputFile: 'out/results.json' }],
      ['junit', { outputFile: join(dir, 'out/junit.xml') }],
      ['html', { outputFolder: 'out/html' }],
      ['/x/node_modules/allure-playwright/dist/cjs/index.js', { resultsDir: 'out/allure-results' }],
    ],
  } as unknown as Parameters<typeof resultPaths>[0];
  expect(resultPaths(config)).toEqual(['results.json', 'junit.xml', 'html', 'allure-results'].map((f) => join(dir, 'out', f)));

  mkdirSync(join(dir, 'out', 'allure-results'), { recursive: true });
  writeFileSync(join(dir, 'out', 'allure-results', 'a-result.json'), '{}');
  new FreshResultsReporter({ _mode: 'merge' }).onBegin(config as never);
  expect(existsSync(join(dir, 'out', 'allure-results', 'a-result.json'))).toBe(true);
  new FreshResultsReporter({ _mode: 'test' }).onBegin(config as never);
  expect(existsSync(join(dir, 'out', 'allure-results'))).toBe(false);

  expect(() => clearResults([dir], join(dir, 'sub'))).toThrow('contains the project folder');
  expect(() => clearResults([dir], dir)).toThrow('contains the project folder');
});
