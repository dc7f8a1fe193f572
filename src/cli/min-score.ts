/**
 * --min-score for gate and onboarding: with a threshold, the run passes when the score (percent
 * of judged checks that passed, as the certificate computes it) reaches it, instead of on no
 * failure at all; the summary gets one line saying which.
 */
import { meetsMinScore, scoreOf, type CheckVerdict } from '../certificate/document.ts';
import { ExitCode } from './exit-codes.ts';

export function withMinScore(exitCode: ExitCode, checks: readonly CheckVerdict[], minScore: number | undefined): { exitCode: ExitCode; line?: string } {
  if (minScore === undefined) return { exitCode };
  const { ok, line } = meetsMinScore(scoreOf(checks), minScore);
  return { exitCode: ok ? ExitCode.passed : ExitCode.failed, line: `${ok ? '✓' : '✗'} ${line}` };
}
