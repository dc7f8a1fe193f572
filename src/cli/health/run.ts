/**
 * health: the nightly check. The fast lifecycle subset with latency per endpoint (project
 * "health"), and drift between the vendored contract and the published one. Writes
 * reports/health.json and reports/health.md. Exit 0 healthy; 1 a failed check or drift;
 * 2 configuration; 3 unreachable. A published document that cannot be fetched is "drift unknown"
 * (reported, exit unaffected).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDrift, defaultPublishedUrl, driftMarkdown, type DriftReport } from '../../reporting/drift.ts';
import { latencyStats, type LatencyStats } from '../../reporting/latency.ts';
import { redact } from '../../reporting/redact.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliOptions } from '../main.ts';
import { failingStep, type RunResults } from '../results.ts';
import { buildAllureReport, reportsDir, runPlaywright } from '../run-playwright.ts';
import { assertReachable, checkConfig } from '../target.ts';

export interface HealthReport {
  target: string;
  date: string;
  status: 'healthy' | 'unhealthy';
  exitCode: number;
  checks: Array<{ name: string; outcome: 'passed' | 'failed' | 'skipped'; step?: string; error?: string; ms: number }>;
  latency: LatencyStats[];
  drift: DriftReport | { status: 'skipped' };
}

const firstLine = (s: string | undefined): string | undefined => (s ? redact(s.split('\n').find((l) => l.trim()) ?? '').trim() : undefined);

export function healthReport(target: string, results: RunResults | undefined, playwrightExit: number, drift: HealthReport['drift']): HealthReport {
  const tests = results?.tests.filter((t) => t.project === 'health') ?? [];
  const checks = tests.map((t) => ({
    name: t.title,
    outcome: t.outcome,
    step: failingStep(t.steps)?.title,
    error: t.outcome === 'failed' ? firstLine(t.error) : undefined,
    ms: Math.round(t.durationMs),
  }));
  if (!results || tests.length === 0) {
    checks.push({ name: 'health run', outcome: 'failed', step: undefined, error: `no results (Playwright exited ${playwrightExit})${results?.errors[0] ? `: ${firstLine(results.errors[0])}` : ''}`, ms: 0 });
  }
  for (const e of results?.errors ?? []) checks.push({ name: 'run error', outcome: 'failed', step: undefined, error: firstLine(e), ms: 0 });
  const latency: LatencyStats[] = [];
  for (const t of tests) {
    for (const a of t.annotations) {
      if (a.type !== 'latency' || !a.description) continue;
      const { endpoint, ms, failures } = JSON.parse(a.description) as { endpoint: string; ms: number[]; failures: number };
      latency.push(latencyStats(endpoint, ms, failures));
    }
  }
  const failed = checks.some((c) => c.outcome === 'failed');
  const drifted = drift.status === 'drift';
  const exitCode = failed || drifted ? ExitCode.failed : ExitCode.passed;
  return { target, date: new Date().toISOString(), status: exitCode === 0 ? 'healthy' : 'unhealthy', exitCode, checks, latency, drift };
}

export function healthMarkdown(h: HealthReport): string {
  const mark = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;
  const lines = [`# NoGi health: ${h.target}`, '', `${h.date}: **${h.status.toUpperCase()}** (exit ${h.exitCode})`, '', '## Checks', ''];
  for (const c of h.checks) {
    lines.push(`- ${mark[c.outcome]} ${c.name} (${c.ms} ms)`);
    if (c.step) lines.push(`  - failed step: ${c.step}`);
    if (c.error) lines.push(`  - ${c.error}`);
  }
  lines.push('', '## Latency per endpoint (ms)', '');
  if (h.latency.length) {
    lines.push('| endpoint | samples | p50 | p95 | max | failures |', '| --- | --- | --- | --- | --- | --- |');
    for (const l of h.latency) lines.push(`| ${l.endpoint} | ${l.samples} | ${l.p50} | ${l.p95} | ${l.max} | ${l.failures} |`);
  } else {
    lines.push('Not measured (the subset failed before sampling).');
  }
  lines.push('');
  lines.push(h.drift.status === 'skipped' ? '## Contract drift\n\nSkipped (--no-drift).\n' : driftMarkdown(h.drift));
  return redact(lines.join('\n'));
}

export async function health(env: NodeJS.ProcessEnv, options: CliOptions): Promise<number> {
  const target = await checkConfig(env);
  await assertReachable(target);
  const name = env.NOGI_TARGET ?? 'mock';
  const specUrl = options.specUrl ?? defaultPublishedUrl(env);
  process.stdout.write(`nogi-conformance health (target: ${name}, ${options.samples} samples per endpoint)\n\n`);
  const driftPromise: Promise<HealthReport['drift']> = options.drift ? checkDrift(specUrl) : Promise.resolve({ status: 'skipped' as const });
  const { exitCode, results } = await runPlaywright({ projects: ['health'], env: { ...env, NOGI_HEALTH_SAMPLES: String(options.samples) } });
  const report = healthReport(name, results, exitCode, await driftPromise);
  const dir = reportsDir(env);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'health.json'), redact(JSON.stringify(report, null, 2)) + '\n');
  const markdown = healthMarkdown(report);
  writeFileSync(join(dir, 'health.md'), markdown);
  await buildAllureReport(env);
  process.stdout.write(`\n${markdown}\nWritten: ${join(dir, 'health.json')} and health.md\n`);
  return report.exitCode;
}
