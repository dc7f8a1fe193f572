/**
 * onboarding: every spec tagged @onboarding against the target with the partner's credentials,
 * then reports/onboarding.md and reports/onboarding.html from the run's "checklist" annotations,
 * in the order of `checklistItems`, with the likely cause and the fix for each failure.
 *
 * The protocol (each spec, for each checklist step it reaches):
 *   testInfo.annotations.push({ type: 'checklist', description: JSON.stringify({ id, outcome, observed?, reason? }) })
 */
import {
  checklistHtml,
  checklistItems,
  checklistMarkdown,
  describeObserved,
  hintFor,
  type ChecklistEntry,
  type Observed,
} from '../reporting/checklist.ts';
import { redact } from '../reporting/redact.ts';
import { isRfcMust } from '../contract/invariants.ts';
import { checksFromOutcomes } from '../certificate/document.ts';
import { ExitCode } from './exit-codes.ts';
import { withMinScore } from './min-score.ts';
import type { CliOptions } from './options.ts';
import { checksOffSection, tallyLine, type RunResults, type RunTest } from './results.ts';
import { runTagged } from './tagged-run.ts';

export const checklistAnnotation = 'checklist';

/** What a spec records for one checklist step. */
export interface ChecklistRecord {
  id: string;
  outcome: 'passed' | 'failed' | 'skipped';
  observed?: Observed;
  reason?: string;
}

interface Recorded extends ChecklistRecord {
  /** The test that recorded it, and where in that test's sequence. */
  test: RunTest;
}

const outcomes = new Set(['passed', 'failed', 'skipped']);

function parseRecord(description: string | undefined): ChecklistRecord | undefined {
  if (!description) return undefined;
  try {
    const value = JSON.parse(description) as Partial<ChecklistRecord>;
    return typeof value.id === 'string' && outcomes.has(value.outcome ?? '') ? (value as ChecklistRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Every checklist record of the run, by item id. A failure anywhere (a repeat, a second spec) wins. */
function recordsOf(results: RunResults): Map<string, Recorded> {
  const byId = new Map<string, Recorded>();
  for (const test of results.tests) {
    for (const a of test.annotations) {
      if (a.type !== checklistAnnotation) continue;
      const record = parseRecord(a.description);
      if (!record) continue;
      const known = byId.get(record.id);
      if (!known || (known.outcome !== 'failed' && record.outcome !== 'skipped')) byId.set(record.id, { ...record, test });
    }
  }
  return byId;
}

const titleOf = new Map<string, string>(checklistItems.map((i) => [i.id, i.title]));

/**
 * Why an item has no record. The annotations do not say which test an unreached item belongs
 * to: it is taken to be the test that recorded the nearest item before it in the checklist's
 * order. When that test failed at a checklist item, the item needed that one; else it did not run.
 */
function notReachedReason(index: number, records: Map<string, Recorded>): string {
  for (let i = index - 1; i >= 0; i--) {
    const previous = records.get(checklistItems[i]!.id);
    if (!previous) continue;
    if (previous.test.outcome !== 'failed') return 'not run';
    const failedInSameTest = [...records.values()].filter((r) => r.test === previous.test && r.outcome === 'failed');
    const lastFailed = failedInSameTest[failedInSameTest.length - 1];
    return lastFailed ? `needs: ${titleOf.get(lastFailed.id) ?? lastFailed.id}` : 'not run';
  }
  return 'not run';
}

/** The checklist, in the order of `checklistItems`, from the run's "checklist" annotations. */
export function checklistFromResults(results: RunResults): ChecklistEntry[] {
  const records = recordsOf(results);
  return checklistItems.map(({ id, title }, index): ChecklistEntry => {
    const r = records.get(id);
    if (!r) return { id, title, outcome: 'skipped', detail: notReachedReason(index, records) };
    if (r.outcome === 'failed') {
      const hint = hintFor(id, r.observed);
      return { id, title, outcome: 'failed', detail: describeObserved(r.observed) ?? (r.reason ? redact(r.reason) : undefined), cause: hint.cause, fix: hint.fix };
    }
    return { id, title, outcome: r.outcome, detail: r.outcome === 'skipped' && r.reason ? redact(r.reason) : undefined };
  });
}

/** The RFC MUSTs the provider broke, each once (a warning per exchange would repeat them): from the 'contract warning' annotations. */
export function providerFindings(results: RunResults): string[] {
  const texts = results.tests.flatMap((t) => t.annotations.filter((a) => a.type === 'contract warning' && isRfcMust(a.description ?? '')).map((a) => redact(a.description ?? '')));
  return [...new Set(texts)];
}

export function onboarding(env: NodeJS.ProcessEnv, options: Pick<CliOptions, 'minScore'> = {}): Promise<number> {
  return runTagged({
    command: 'onboarding',
    tag: '@onboarding',
    // Never strict: the RFC MUSTs a provider breaks are not the partner's fault; they are listed apart.
    env: { ...env, NOGI_STRICT: '0' },
    report(results, context) {
      const entries = checklistFromResults(results);
      const meta = { target: context.target, date: new Date().toISOString(), tally: tallyLine(context.tally), nothingRan: context.nothingRan, providerFindings: providerFindings(results) };
      const off = checksOffSection(results);
      const markdown = off.length ? `${checklistMarkdown(entries, meta).trimEnd()}\n\n${off.join('\n')}` : checklistMarkdown(entries, meta);
      const runErrors = results.errors.map((e) => `run error: ${redact(e.split('\n')[0] ?? '')}`);
      const failed = entries.some((e) => e.outcome === 'failed') || results.counts.failed > 0 || results.errors.length > 0 || context.playwrightExitCode !== 0;
      // Nothing ran: exit 2 (tagged-run.ts prints the one line), never a passed checklist nor a score.
      if (context.nothingRan) return { exitCode: ExitCode.config, summary: context.nothingRan, files: { 'onboarding.md': markdown, 'onboarding.html': checklistHtml(entries, meta) } };
      const scored = withMinScore(failed ? ExitCode.failed : ExitCode.passed, checksFromOutcomes(entries), options.minScore);
      return {
        exitCode: scored.exitCode,
        summary: [markdown, ...runErrors, ...(scored.line ? [scored.line] : [])].join('\n'),
        files: { 'onboarding.md': markdown, 'onboarding.html': checklistHtml(entries, meta) },
      };
    },
  });
}
