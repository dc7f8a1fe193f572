/**
 * Reads Playwright's JSON report (reports/results.json) into a flat list of tests, with their
 * tags, steps, annotations and first error, for the run summaries (gate, onboarding, health).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { JSONReport, JSONReportSpec, JSONReportSuite, JSONReportTestStep } from '@playwright/test/reporter';
import { checks, checksOffIn, type CheckName } from '../contract/checks.ts';

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface RunStep {
  title: string;
  failed: boolean;
  error?: string;
  steps: RunStep[];
}

export interface Annotation {
  type: string;
  description?: string;
}

export interface RunTest {
  project: string;
  file: string;
  titlePath: string[];
  title: string;
  tags: string[];
  outcome: Outcome;
  durationMs: number;
  error?: string;
  /** The test's annotations and those of its last attempt. */
  annotations: Annotation[];
  /** The annotations each attempt added (a retried test made its calls more than once). */
  attemptAnnotations: Annotation[][];
  steps: RunStep[];
}

export interface RunResults {
  tests: RunTest[];
  /** Errors outside any test (config, global setup, a worker crash). */
  errors: string[];
  counts: Record<Outcome, number>;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters
export const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

function toStep(step: JSONReportTestStep): RunStep {
  return {
    title: step.title,
    failed: Boolean(step.error),
    error: step.error?.message ? stripAnsi(step.error.message) : undefined,
    steps: (step.steps ?? []).map(toStep),
  };
}

function collect(suite: JSONReportSuite, parents: string[], out: RunTest[]): void {
  const titles = suite.title && !suite.title.endsWith('.ts') ? [...parents, suite.title] : parents;
  for (const spec of suite.specs as JSONReportSpec[]) {
    for (const test of spec.tests) {
      const last = test.results[test.results.length - 1];
      const outcome: Outcome =
        test.status === 'skipped' ? 'skipped' : test.status === 'expected' || test.status === 'flaky' ? 'passed' : 'failed';
      const resultAnnotations = last?.annotations ?? [];
      const seen = new Set<string>();
      const annotations = [...test.annotations, ...resultAnnotations].filter((a) => {
        const key = `${a.type}\u0000${a.description ?? ''}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      out.push({
        project: test.projectName,
        file: spec.file,
        titlePath: [...titles, spec.title],
        title: spec.title,
        tags: spec.tags ?? [],
        outcome,
        durationMs: last?.duration ?? 0,
        error: last?.error?.message ? stripAnsi(last.error.message) : undefined,
        annotations,
        attemptAnnotations: test.results.map((r) => r.annotations ?? []),
        steps: (last?.steps ?? []).map(toStep),
      });
    }
  }
  for (const child of suite.suites ?? []) collect(child, titles, out);
}

export function readResults(file: string): RunResults | undefined {
  if (!existsSync(file)) return undefined;
  return resultsFromReport(JSON.parse(readFileSync(file, 'utf8')) as JSONReport);
}

/** The flat view of a JSON report (also for hand-made reports in tests). */
export function resultsFromReport(report: JSONReport): RunResults {
  const tests: RunTest[] = [];
  for (const suite of report.suites) collect(suite, [], tests);
  const counts: Record<Outcome, number> = { passed: 0, failed: 0, skipped: 0 };
  for (const t of tests) counts[t.outcome]++;
  return { tests, errors: (report.errors ?? []).map((e) => stripAnsi(e.message ?? '')), counts };
}

/** The first failing step, deepest first: "where it broke", as the provider's docs name it. */
export function failingStep(steps: RunStep[]): RunStep | undefined {
  for (const step of steps) {
    if (!step.failed) continue;
    return failingStep(step.steps) ?? step;
  }
  return undefined;
}

/**
 * How many tests ran (passed or failed), how many were skipped, and why (Playwright's 'skip'
 * annotations). Tests, not checks: a test runs many of the registry's named checks, and an
 * onboarding checklist item is a step of a test; each count says what it counts.
 */
export interface Tally {
  ran: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Skip reason → how many tests it skipped; tests skipped without one under NO_SKIP_REASON. */
  skipReasons: Record<string, number>;
}

const NO_SKIP_REASON = 'no reason given (not run)';

export function tallyOf(results: RunResults): Tally {
  const skipReasons: Record<string, number> = {};
  for (const t of results.tests) {
    if (t.outcome !== 'skipped') continue;
    const reason = t.annotations.find((a) => a.type === 'skip')?.description?.trim() || NO_SKIP_REASON;
    skipReasons[reason] = (skipReasons[reason] ?? 0) + 1;
  }
  const { passed, failed, skipped } = results.counts;
  return { ran: passed + failed, passed, failed, skipped, skipReasons };
}

/** "3 tests ran (2 passed, 1 failed), 2 skipped: 1 no second client; 1 no reason given (not run)" */
export function tallyLine(t: Tally): string {
  const reasons = Object.entries(t.skipReasons).map(([reason, n]) => `${n} ${reason}`).join('; ');
  return `${t.ran} test${t.ran === 1 ? '' : 's'} ran (${t.passed} passed, ${t.failed} failed), ${t.skipped} skipped${reasons ? `: ${reasons}` : ''}`;
}

/** The checks this run's tests ran with switched off (the fixtures' annotations, src/contract/checks.ts), in registry order. */
export function checksOffOf(results: RunResults): CheckName[] {
  return checksOffIn(results.tests.flatMap((t) => t.annotations));
}

/**
 * The "Checks switched off" section of a run's Markdown report: each check with its rule. A check
 * switched off judged nothing: it is listed as such, never counted as passed. Empty when none was.
 */
export function checksOffSection(results: RunResults): string[] {
  const off = checksOffOf(results);
  if (!off.length) return [];
  return [
    '## Checks switched off',
    '',
    `${off.length} check${off.length === 1 ? '' : 's'} judged nothing in this run (NOGI_CHECKS_OFF or --checks-off); not passed, not counted:`,
    '',
    ...off.map((name) => `- \`${name}\`: ${checks[name].rule}`),
    '',
  ];
}
