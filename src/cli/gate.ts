/**
 * gate: the release gate. Every lifecycle (conformance specs, security included), the Pact
 * consumer contracts, their verification against the target and the bi-directional check,
 * then a summary (console + reports/gate.md). Non-zero on any failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';
import type { CliOptions } from './main.ts';
import { failingStep, type RunResults } from './results.ts';
import { buildAllureReport, reportsDir, runPlaywright } from './run-playwright.ts';
import { assertReachable, checkConfig } from './target.ts';

/** The Playwright projects a release must pass (playwright.config.ts). */
export const gateProjects = ['conformance', 'pact-consumer', 'pact-provider'];

const oneLine = (text: string | undefined): string => redact((text ?? '').split('\n').find((l) => l.trim()) ?? '').trim();

export function gateSummary(results: RunResults | undefined, target: string, exitCode: number): string {
  const lines = [`# Release gate: ${target}`, ''];
  if (!results) {
    lines.push(`No results were written (Playwright exited ${exitCode}); see the console output above.`);
    return lines.join('\n') + '\n';
  }
  const { passed, failed, skipped } = results.counts;
  lines.push(`**${failed === 0 && results.errors.length === 0 && exitCode === 0 ? 'PASSED' : 'FAILED'}**: ${passed} passed, ${failed} failed, ${skipped} skipped`, '');
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
  const target = checkConfig(env);
  await assertReachable(target);
  const name = env.NOGI_TARGET ?? 'mock';
  process.stdout.write(`nogi-conformance gate (target: ${name})\n\n`);
  const extraArgs: string[] = [];
  if (options.shard) extraArgs.push(`--shard=${options.shard}`);
  // Each shard also writes a blob report, merged afterwards with `playwright merge-reports`.
  const runEnv = options.shard ? { ...env, NOGI_BLOB_REPORT: '1' } : env;
  const { exitCode, results } = await runPlaywright({ projects: gateProjects, grep: options.grep, extraArgs, env: runEnv });
  const summary = gateSummary(results, name, exitCode);
  const dir = reportsDir(env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'gate.md'), summary);
  const allure = await buildAllureReport(env);
  process.stdout.write(`\n${summary}${allure ? `Allure report: ${allure}\n` : ''}`);
  const failed = exitCode !== 0 || !results || results.counts.failed > 0 || results.errors.length > 0;
  return failed ? ExitCode.failed : ExitCode.passed;
}
