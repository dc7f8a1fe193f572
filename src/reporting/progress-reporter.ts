/**
 * Progress for the CLI runs: each lifecycle step (test.step) as it ends, with pass or fail, so a
 * person watching a gate or an onboarding run sees where it is and what broke. Every line goes
 * through redact(). Chosen in playwright.config.ts when NOGI_PROGRESS=1 (the CLI sets it).
 */
import type { FullResult, Reporter, TestCase, TestResult, TestStep, TestError } from '@playwright/test/reporter';
import { stripAnsi } from './results.ts';
import { redact } from './redact.ts';

const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number, text: string): string => (useColour ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = (t: string): string => paint(32, t);
const red = (t: string): string => paint(31, t);
const dim = (t: string): string => paint(2, t);
const yellow = (t: string): string => paint(33, t);

const exchangeStep = /^(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) \S+ → \d{3}$/;

function depth(step: TestStep): number {
  let d = 0;
  for (let p = step.parent; p; p = p.parent) if (p.category === 'test.step') d++;
  return d;
}

const firstLine = (error: TestError | undefined): string =>
  redact(stripAnsi(error?.message ?? error?.value ?? '').split('\n').find((l) => l.trim()) ?? '');

export default class ProgressReporter implements Reporter {
  private counts = { passed: 0, failed: 0, skipped: 0 };

  printsToStdio(): boolean {
    return true;
  }

  onTestBegin(test: TestCase): void {
    const project = test.parent.project()?.name;
    process.stdout.write(`${dim(`[${project ?? ''}]`)} ${redact(test.titlePath().slice(2).join(' › '))}\n`);
  }

  onStepEnd(_test: TestCase, _result: TestResult, step: TestStep): void {
    if (step.category !== 'test.step') return;
    // The typed client's per-exchange steps ("GET /v1/debt/{id} → 200"): shown only when they fail.
    if (exchangeStep.test(step.title) && !step.error) return;
    const pad = '    '.repeat(depth(step) + 1);
    const skip = (step as TestStep & { annotations?: Array<{ type: string; description?: string }> }).annotations?.find((a) => a.type === 'skip');
    if (skip && !step.error) {
      process.stdout.write(`${pad}${yellow('-')} ${redact(step.title)} ${dim(`skipped${skip.description ? `: ${redact(skip.description)}` : ''}`)}\n`);
      return;
    }
    const mark = step.error ? red('✗') : green('✓');
    const line = `${pad}${mark} ${redact(step.title)} ${dim(`(${Math.round(step.duration)} ms)`)}`;
    process.stdout.write(step.error ? `${line}\n${pad}    ${red(firstLine(step.error))}\n` : `${line}\n`);
  }

  onTestEnd(test: TestCase, result: TestResult): void {
    const outcome = test.outcome();
    if (outcome === 'skipped') {
      this.counts.skipped++;
      const reason = test.annotations.find((a) => a.type === 'skip')?.description;
      process.stdout.write(`  ${yellow('-')} skipped${reason ? `: ${redact(reason)}` : ''}\n`);
    } else if (outcome === 'expected' || outcome === 'flaky') {
      this.counts.passed++;
      process.stdout.write(`  ${green('✓ passed')} ${dim(`(${Math.round(result.duration)} ms)`)}\n`);
    } else {
      this.counts.failed++;
      process.stdout.write(`  ${red('✗ failed')}: ${firstLine(result.error)}\n`);
    }
  }

  onError(error: TestError): void {
    process.stdout.write(`${red('error')}: ${firstLine(error)}\n`);
  }

  onEnd(result: FullResult): void {
    const { passed, failed, skipped } = this.counts;
    // Playwright says "passed" for a run in which nothing ran (--list, all skipped): not here.
    const status = passed + failed === 0 ? 'nothing ran' : result.status;
    process.stdout.write(`\nPlaywright tests: ${passed} passed · ${failed} failed · ${skipped} skipped (${status})\n`);
  }
}
