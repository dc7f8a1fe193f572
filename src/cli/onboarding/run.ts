/**
 * onboarding: runs the checklist (project "onboarding") against the target with the partner's
 * credentials, then writes reports/onboarding.md and reports/onboarding.html from what the run
 * recorded, with the likely cause and the fix for each failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checklistHtml,
  checklistItems,
  checklistMarkdown,
  describeObserved,
  hintFor,
  type ChecklistEntry,
  type Observed,
} from '../../reporting/checklist.ts';
import { redact } from '../../reporting/redact.ts';
import { ExitCode } from '../exit-codes.ts';
import type { RunResults } from '../results.ts';
import { buildAllureReport, reportsDir, runPlaywright } from '../run-playwright.ts';
import { assertReachable, checkConfig } from '../target.ts';

interface Recorded {
  id: string;
  outcome: 'passed' | 'failed' | 'skipped';
  observed?: Observed;
  reason?: string;
}

/** The checklist, in order, from the onboarding test's "checklist" annotations. */
export function checklistFromResults(results: RunResults | undefined): ChecklistEntry[] {
  const test = results?.tests.find((t) => t.project === 'onboarding');
  const recorded = new Map<string, Recorded>();
  for (const a of test?.annotations ?? []) {
    if (a.type !== 'checklist' || !a.description) continue;
    const r = JSON.parse(a.description) as Recorded;
    recorded.set(r.id, r);
  }
  return checklistItems.map(({ id, title }) => {
    const r = recorded.get(id);
    if (!r) {
      const why = test?.error ? `the run stopped before this item: ${redact(test.error.split('\n')[0] ?? '')}` : 'the run did not reach this item';
      return { id, title, outcome: test?.outcome === 'skipped' ? 'skipped' : 'failed', detail: why };
    }
    if (r.outcome === 'failed') {
      const hint = hintFor(id, r.observed);
      return { id, title, outcome: 'failed', detail: describeObserved(r.observed) ?? r.reason, cause: hint.cause, fix: hint.fix };
    }
    return { id, title, outcome: r.outcome, detail: r.outcome === 'skipped' ? r.reason : undefined };
  });
}

export async function onboarding(env: NodeJS.ProcessEnv): Promise<number> {
  const target = await checkConfig(env);
  await assertReachable(target);
  const name = env.NOGI_TARGET ?? 'mock';
  process.stdout.write(`nogi-conformance onboarding (target: ${name})\n\n`);
  const { exitCode, results } = await runPlaywright({ projects: ['onboarding'], env });
  const entries = checklistFromResults(results);
  const meta = { target: name, date: new Date().toISOString() };
  const dir = reportsDir(env);
  mkdirSync(dir, { recursive: true });
  const markdown = checklistMarkdown(entries, meta);
  writeFileSync(join(dir, 'onboarding.md'), markdown);
  writeFileSync(join(dir, 'onboarding.html'), checklistHtml(entries, meta));
  await buildAllureReport(env);
  process.stdout.write(`\n${markdown}\nWritten: ${join(dir, 'onboarding.md')} and onboarding.html\n`);
  const failed = entries.some((e) => e.outcome === 'failed') || exitCode !== 0;
  return failed ? ExitCode.failed : ExitCode.passed;
}
