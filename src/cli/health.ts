/**
 * health: the nightly check. Every spec tagged @health against the target, repeated
 * (--repeat-each) as many times as samples are asked for; latency per endpoint from the run's
 * "timings" annotations; drift between the vendored contract and the published one. Writes
 * reports/health.json and reports/health.md. Exit 0 healthy; 1 a failed check or drift;
 * 2 configuration; 3 unreachable. A published document that cannot be fetched is "drift unknown"
 * (reported, exit unaffected).
 *
 * The protocol (each test, once): testInfo.annotations.push({ type: 'timings',
 *   description: JSON.stringify([{ endpoint: 'GET /v1/debt/{id}', status: 200, ms: 12.3 }, ...]) })
 */
import { checkDrift, defaultPublishedUrl, driftMarkdown, type DriftReport } from '../reporting/drift.ts';
import { latencyStats, timingsAnnotation, type LatencyStats, type Timing } from '../reporting/latency.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';
import { healthSamples, type CliOptions } from './options.ts';
import { checksOffSection, failingStep, tallyLine, tallyOf, type Outcome, type RunResults, type Tally } from '../reporting/results.ts';
import { runTagged } from './tagged-run.ts';

export interface HealthCheck {
  name: string;
  outcome: Outcome;
  /** How many times it ran (samples), and how many of those failed. */
  runs: number;
  failedRuns: number;
  step?: string;
  error?: string;
  /** Median duration over its runs. */
  ms: number;
}

export interface HealthReport {
  target: string;
  date: string;
  /** 'nothing ran': no check passed or failed (all skipped, or none listed): never healthy. */
  status: 'healthy' | 'unhealthy' | 'nothing ran';
  exitCode: ExitCode;
  tally: Tally;
  checks: HealthCheck[];
  latency: LatencyStats[];
  drift: DriftReport | { status: 'skipped' };
  /** The "Checks switched off" section (Markdown lines), when the run had any switched off. */
  checksOff?: string[];
}

const firstLine = (s: string | undefined): string | undefined => (s ? redact(s.split('\n').find((l) => l.trim()) ?? '').trim() : undefined);

/** No answer, or a server error: the endpoint failed. (A 4xx may be what the test expected.) */
const isFailedCall = (t: Timing): boolean => !(typeof t.status === 'number' && t.status > 0) || t.status >= 500;

function parseTimings(description: string | undefined): Timing[] {
  if (!description) return [];
  try {
    const value = JSON.parse(description) as unknown;
    return Array.isArray(value) ? value.filter((t): t is Timing => typeof t?.endpoint === 'string' && typeof t?.ms === 'number' && Number.isFinite(t.ms)) : [];
  } catch {
    return [];
  }
}

/** Latency per endpoint from every "timings" annotation of every attempt of the run. */
export function latencyFromResults(results: RunResults): LatencyStats[] {
  const byEndpoint = new Map<string, Timing[]>();
  for (const test of results.tests) {
    for (const annotations of test.attemptAnnotations) {
      for (const a of annotations) {
        if (a.type !== timingsAnnotation) continue;
        for (const t of parseTimings(a.description)) byEndpoint.set(t.endpoint, [...(byEndpoint.get(t.endpoint) ?? []), t]);
      }
    }
  }
  return [...byEndpoint]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([endpoint, timings]) => latencyStats(endpoint, timings.map((t) => t.ms), timings.filter(isFailedCall).length));
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
};

/** One check per test title; its repetitions (samples) folded together: one failed run fails it. */
function checksFromResults(results: RunResults): HealthCheck[] {
  const byName = new Map<string, RunResults['tests']>();
  for (const t of results.tests) {
    const name = t.titlePath.join(' › ');
    byName.set(name, [...(byName.get(name) ?? []), t]);
  }
  const checks: HealthCheck[] = [];
  for (const [name, runs] of byName) {
    const failed = runs.filter((t) => t.outcome === 'failed');
    const firstFailure = failed[0];
    const outcome: Outcome = failed.length ? 'failed' : runs.every((t) => t.outcome === 'skipped') ? 'skipped' : 'passed';
    checks.push({
      name: redact(name),
      outcome,
      runs: runs.length,
      failedRuns: failed.length,
      step: firstFailure ? firstLine(failingStep(firstFailure.steps)?.title) : undefined,
      error: firstFailure ? firstLine(firstFailure.error) : undefined,
      ms: Math.round(median(runs.map((t) => t.durationMs))),
    });
  }
  if (checks.length === 0) checks.push({ name: 'health run', outcome: 'failed', runs: 0, failedRuns: 0, error: 'no test tagged @health ran', ms: 0 });
  for (const e of results.errors) checks.push({ name: 'run error', outcome: 'failed', runs: 1, failedRuns: 1, error: firstLine(e), ms: 0 });
  return checks;
}

export function healthReport(target: string, results: RunResults, drift: HealthReport['drift'], date = new Date()): HealthReport {
  const checks = checksFromResults(results);
  const latency = latencyFromResults(results);
  // The verdict is the tests' (a failed call the test did not expect fails its test).
  const failed = checks.some((c) => c.outcome === 'failed');
  const tally = tallyOf(results);
  const off = checksOffSection(results);
  const checksOff = off.length ? { checksOff: off } : {};
  if (tally.ran === 0) return { target, date: date.toISOString(), status: 'nothing ran', exitCode: ExitCode.config, tally, checks, latency, drift, ...checksOff };
  const exitCode = failed || drift.status === 'drift' ? ExitCode.failed : ExitCode.passed;
  return { target, date: date.toISOString(), status: exitCode === ExitCode.passed ? 'healthy' : 'unhealthy', exitCode, tally, checks, latency, drift, ...checksOff };
}

export function healthMarkdown(h: HealthReport): string {
  const mark = { passed: '✅', failed: '❌', skipped: '⏭️' } as const;
  const lines = [`# NoGi health: ${h.target}`, '', `${h.date}: **${h.status.toUpperCase()}** (exit ${h.exitCode})`, '', `${tallyLine(h.tally)}.`, '', '## Checks', ''];
  for (const c of h.checks) {
    const runs = c.runs > 1 ? `, ${c.runs} runs${c.failedRuns ? `, ${c.failedRuns} failed` : ''}` : '';
    lines.push(`- ${mark[c.outcome]} ${c.name} (${c.ms} ms${runs})`);
    if (c.step) lines.push(`  - failed step: ${c.step}`);
    if (c.error) lines.push(`  - ${c.error}`);
  }
  if (h.checksOff?.length) lines.push('', ...h.checksOff);
  lines.push('', '## Latency per endpoint (ms)', '');
  if (h.latency.length) {
    lines.push('| endpoint | samples | p50 | p95 | max | failures |', '| --- | --- | --- | --- | --- | --- |');
    for (const l of h.latency) lines.push(`| ${l.endpoint} | ${l.samples} | ${l.p50} | ${l.p95} | ${l.max} | ${l.failures} |`);
    lines.push('', 'failures: no answer, or a 5xx.');
  } else {
    lines.push('Not measured (no test recorded timings).');
  }
  lines.push('');
  lines.push(h.drift.status === 'skipped' ? '## Contract drift\n\nSkipped (--no-drift).\n' : driftMarkdown(h.drift));
  return redact(lines.join('\n'));
}

export function health(env: NodeJS.ProcessEnv, options: CliOptions): Promise<number> {
  const samples = healthSamples(env);
  const specUrl = options.specUrl ?? defaultPublishedUrl(env);
  let drift: Promise<HealthReport['drift']> = Promise.resolve({ status: 'skipped' });
  return runTagged({
    command: 'health',
    tag: '@health',
    extraArgs: [`--repeat-each=${samples}`],
    env,
    note: `${samples} samples`,
    // Fetched while the specs run; only once the target is known to be configured and reachable.
    onStart() {
      if (options.drift) drift = checkDrift(specUrl);
    },
    async report(results, context) {
      const report = healthReport(context.target, results, await drift);
      const markdown = healthMarkdown(report);
      return { exitCode: report.exitCode, summary: markdown, files: { 'health.json': JSON.stringify(report, null, 2) + '\n', 'health.md': markdown } };
    },
  });
}
