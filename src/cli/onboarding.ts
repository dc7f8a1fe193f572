/**
 * onboarding: every spec tagged @onboarding against the target with the partner's credentials,
 * then reports/onboarding.md and reports/onboarding.html from the run's "checklist" annotations,
 * in the order of `checklistItems`, with the likely cause and the fix for each failure.
 *
 * The protocol (each spec, for each checklist step it reaches):
 *   testInfo.annotations.push({ type: 'checklist', description: JSON.stringify({ id, outcome, observed?, reason? }) })
 */
import { checklistFromResults, checklistHtml, checklistMarkdown } from '../reporting/checklist.ts';
import { redact } from '../reporting/redact.ts';
import { isRfcMust } from '../contract/invariants.ts';
import { checksFromOutcomes } from '../certificate/document.ts';
import { ExitCode } from './exit-codes.ts';
import { withMinScore } from './min-score.ts';
import type { CliOptions } from './options.ts';
import { checksOffSection, tallyLine, type RunResults } from '../reporting/results.ts';
import { runTagged } from './tagged-run.ts';

/** The RFC MUSTs the provider broke, each once (a warning per exchange would repeat them): from the 'contract warning' annotations. */
function providerFindings(results: RunResults): string[] {
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
      const meta = { target: context.target, date: new Date().toISOString(), tally: tallyLine(context.tally), nothingRan: context.nothingRan, providerFindings: providerFindings(results), allureReport: context.allureReport };
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
