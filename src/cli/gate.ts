/**
 * gate: the release gate. Playwright projects conformance (every lifecycle, security included),
 * pact-consumer (the pacts from the typed client) and pact-provider (the Pact suite's own checks
 * and the bi-directional check against the OpenAPI contract); then the committed pacts verified
 * against the target (src/pact/cli.ts verify); then a summary (console + reports/gate.md).
 * Non-zero on any failure.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';
import type { CliOptions } from './main.ts';
import { failingStep, type RunResults } from './results.ts';
import { buildAllureReport, projectRoot, reportsDir, runPlaywright, runTsEntry } from './run-playwright.ts';
import { assertReachable, checkConfig } from './target.ts';

/** The Playwright projects a release must pass (playwright.config.ts). */
export const gateProjects = ['conformance', 'pact-consumer', 'pact-provider'];

const oneLine = (text: string | undefined): string => redact((text ?? '').split('\n').find((l) => l.trim()) ?? '').trim();

/** Provider verification of the committed pacts against the target (src/pact/cli.ts, npm run pact:verify). */
export const pactVerifyEntry = 'src/pact/cli.ts';

export type PactVerification = { status: 'passed' | 'failed'; exitCode: number } | { status: 'skipped'; reason: string };

export function gateSummary(results: RunResults | undefined, target: string, exitCode: number, pact?: PactVerification): string {
  const lines = [`# Release gate: ${target}`, ''];
  if (!results) {
    lines.push(`No results were written (Playwright exited ${exitCode}); see the console output above.`);
    return lines.join('\n') + '\n';
  }
  const { passed, failed, skipped } = results.counts;
  const pactFailed = pact?.status === 'failed';
  lines.push(`**${failed === 0 && results.errors.length === 0 && exitCode === 0 && !pactFailed ? 'PASSED' : 'FAILED'}**: ${passed} passed, ${failed} failed, ${skipped} skipped`, '');
  if (pact) {
    lines.push(
      pact.status === 'skipped'
        ? `Pact verification against the target: skipped (${pact.reason})`
        : `Pact verification against the target: **${pact.status.toUpperCase()}** (exit ${pact.exitCode}; details in pact/verification.txt)`,
      '',
    );
  }
  const byProject = new Map<string, { passed: number; failed: number; skipped: number }>();
  for (const t of results.tests) {
    const c = byProject.get(t.project) ?? { passed: 0, failed: 0, skipped: 0 };
    c[t.outcome]++;
    byProject.set(t.project, c);
  }
  lines.push('| project | passed | failed | skipped |', '| --- | --- | --- | --- |');
  for (const [project, c] of byProject) lines.push(`| ${project} | ${c.passed} | ${c.failed} | ${c.skipped} |`);
  const failures = results.tests.filter((t) => t.outcome === 'failed');
  if (failures.length || results.errors.length) lines.push('', '## What broke', '');
  for (const t of failures) {
    const step = failingStep(t.steps);
    lines.push(`- **${redact(t.titlePath.join(' › '))}** (${t.project}, ${t.file})`);
    if (step) lines.push(`  - step: ${redact(step.title)}`);
    lines.push(`  - ${oneLine(step?.error ?? t.error)}`);
  }
  for (const e of results.errors) lines.push(`- run error: ${oneLine(e)}`);
  const skippedTests = results.tests.filter((t) => t.outcome === 'skipped');
  if (skippedTests.length) {
    lines.push('', '## Skipped (capability missing on this target)', '');
    for (const t of skippedTests) {
      const reason = t.annotations.find((a) => a.type === 'skip')?.description;
      lines.push(`- ${redact(t.titlePath.join(' › '))}${reason ? `: ${redact(reason)}` : ''}`);
    }
  }
  lines.push('', 'Reports: allure-report/index.html, playwright-html/index.html, junit.xml, results.json.');
  return lines.join('\n') + '\n';
}

export async function gate(env: NodeJS.ProcessEnv, options: CliOptions): Promise<number> {
  const target = await checkConfig(env);
  await assertReachable(target);
  const name = env.NOGI_TARGET ?? 'mock';
  process.stdout.write(`nogi-conformance gate (target: ${name})\n\n`);
  const extraArgs: string[] = [];
  if (options.shard) extraArgs.push(`--shard=${options.shard}`);
  // Each shard also writes a blob report, merged afterwards with `playwright merge-reports`.
  const runEnv = options.shard ? { ...env, NOGI_BLOB_REPORT: '1' } : env;
  const { exitCode, results } = await runPlaywright({ projects: gateProjects, grep: options.grep, extraArgs, env: runEnv });
  // The committed pacts against the target itself (once, on the first shard only).
  let pact: PactVerification;
  if (options.shard && !options.shard.startsWith('1/')) pact = { status: 'skipped', reason: 'runs on shard 1' };
  else if (options.grep) pact = { status: 'skipped', reason: '--grep given' };
  else if (!existsSync(join(projectRoot, pactVerifyEntry))) pact = { status: 'skipped', reason: `${pactVerifyEntry} not found` };
  else {
    process.stdout.write('\nPact provider verification against the target\n');
    const code = await runTsEntry(pactVerifyEntry, ['verify'], env);
    pact = { status: code === 0 ? 'passed' : 'failed', exitCode: code };
  }
  const summary = gateSummary(results, name, exitCode, pact);
  const dir = reportsDir(env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gate.md'), summary);
  const allure = await buildAllureReport(env);
  process.stdout.write(`\n${summary}${allure ? `Allure report: ${allure}\n` : ''}`);
  const failed = exitCode !== 0 || !results || results.counts.failed > 0 || results.errors.length > 0 || pact.status === 'failed';
  return failed ? ExitCode.failed : ExitCode.passed;
}
