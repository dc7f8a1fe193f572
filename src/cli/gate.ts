/**
 * gate: the release gate. Every spec tagged @gate against the target (--project=<target>), then
 * the committed pacts verified against the target by a direct call (src/pact/command.ts, what
 * `nogi-conformance pact verify` runs); then a summary
 * (console + reports/gate.md) that says what broke, in which step, and which contract rule.
 * Non-zero on any failure.
 */
import { existsSync } from 'node:fs';
import { packagePath } from '../package-root.ts';
import { redact } from '../reporting/redact.ts';
import { gateChecks, type GateResult, type PactVerification } from '../certificate/sources.ts';
import { ExitCode } from './exit-codes.ts';
import { withMinScore } from './min-score.ts';
import type { CliOptions } from './options.ts';
import { checksOffOf, checksOffSection, failingStep, tallyLine, tallyOf, type RunResults, type RunTest } from '../reporting/results.ts';
import { checkNames } from '../contract/checks.ts';
import { runTagged, type RunContext } from './tagged-run.ts';

const oneLine = (text: string | undefined): string => redact((text ?? '').split('\n').find((l) => l.trim()) ?? '').trim();

/** A finding's line names a check of the registry: `[status_code_conformance] …` (formatFinding). */
const findingLine = new RegExp(`^\\[(?:${checkNames.join('|')})\\] `);

/** The contract rules an error names: `[status_code_conformance] getDebt responses: …` (fixtures/nogi.ts). */
export function contractRules(error: string | undefined): string[] {
  return (error ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => findingLine.test(l))
    .map((l) => redact(l));
}

function failureLines(t: RunTest): string[] {
  const step = failingStep(t.steps);
  const error = step?.error ?? t.error;
  const lines = [`- **${redact(t.titlePath.join(' › '))}** (${t.file})`];
  if (step) lines.push(`  - step: ${redact(step.title)}`);
  for (const rule of contractRules(error)) lines.push(`  - contract rule: ${rule}`);
  lines.push(`  - ${oneLine(error)}`);
  return lines;
}

export function gateSummary(results: RunResults, target: string, playwrightExitCode: number, pact?: PactVerification, allureReport = false): string {
  const { passed, failed, skipped } = results.counts;
  const pactFailed = pact?.status === 'failed';
  const ok = failed === 0 && results.errors.length === 0 && playwrightExitCode === 0 && !pactFailed;
  // A gate in which no check ran is no verdict: never PASSED.
  const tally = tallyOf(results);
  const verdict = tally.ran === 0 ? 'NOTHING RAN' : ok ? 'PASSED' : 'FAILED';
  const off = checksOffOf(results);
  const offLine = off.length ? `; switched off (not judged): ${off.join(', ')}` : '';
  const lines = [`# Release gate: ${target}`, '', `**${verdict}**: ${passed} passed, ${failed} failed, ${skipped} skipped`, '', `Tests: ${tallyLine(tally)}${offLine}.`, ''];
  if (pact) {
    lines.push(
      pact.status === 'skipped'
        ? `Pact verification against the target: skipped (${pact.reason})`
        : `Pact verification against the target: **${pact.status.toUpperCase()}** (exit ${pact.exitCode}; details in pact/verification.txt)`,
      '',
    );
  }
  // Before the verdict's detail: what this gate did not judge at all.
  lines.push(...checksOffSection(results));
  const byFile = new Map<string, Record<'passed' | 'failed' | 'skipped', number>>();
  for (const t of results.tests) {
    const c = byFile.get(t.file) ?? { passed: 0, failed: 0, skipped: 0 };
    c[t.outcome]++;
    byFile.set(t.file, c);
  }
  lines.push('| spec | passed | failed | skipped |', '| --- | --- | --- | --- |');
  for (const [file, c] of byFile) lines.push(`| ${file} | ${c.passed} | ${c.failed} | ${c.skipped} |`);
  const failures = results.tests.filter((t) => t.outcome === 'failed');
  if (failures.length || results.errors.length) lines.push('', '## What broke', '');
  for (const t of failures) lines.push(...failureLines(t));
  for (const e of results.errors) lines.push(`- run error: ${oneLine(e)}`);
  const skippedTests = results.tests.filter((t) => t.outcome === 'skipped');
  if (skippedTests.length) {
    lines.push('', '## Skipped (capability missing on this target)', '');
    for (const t of skippedTests) {
      const reason = t.annotations.find((a) => a.type === 'skip')?.description;
      lines.push(`- ${redact(t.titlePath.join(' › '))}${reason ? `: ${redact(reason)}` : ''}`);
    }
  }
  // Behaviour the provider's docs leave open (specs warn, never fail: fixtures/nogi.ts warnUndocumented).
  const warnings = results.tests.flatMap((t) => t.annotations.filter((a) => a.type === 'undocumented behaviour').map((a) => `- ${redact(t.title)}: ${redact(a.description ?? '')}`));
  if (warnings.length) lines.push('', '## Warnings: behaviour the provider\'s docs leave open (not failures)', '', ...warnings);
  lines.push('', `Reports: ${allureReport ? 'allure-report/index.html' : 'allure-results/ (the Allure HTML was not rendered: npm run report renders it)'}, playwright-html/index.html, junit.xml, results.json.`);
  return lines.join('\n') + '\n';
}

async function verifyPacts(options: CliOptions, env: NodeJS.ProcessEnv): Promise<PactVerification> {
  // The committed pacts against the target itself: once, on the first shard only.
  if (options.shard && options.shard.index !== 1) return { status: 'skipped', reason: 'runs on shard 1' };
  if (options.grep) return { status: 'skipped', reason: '--grep given' };
  process.stdout.write('\nPact provider verification against the target\n');
  // Loaded here: the Pact library is needed only once the specs have run.
  const { verifyAgainstTarget } = await import('../pact/command.ts');
  const { exitCode } = await verifyAgainstTarget(env);
  return { status: exitCode === 0 ? 'passed' : 'failed', exitCode };
}

/**
 * The gate's profile: --strict / --no-strict, else NOGI_STRICT, else strict. NoGi's own release
 * must not ship a provider that breaks the RFC MUSTs its OAuth contract adopts; the specs read the
 * profile from NOGI_STRICT (fixtures/nogi.ts).
 */
export function strictProfile(options: Pick<CliOptions, 'strict'>, env: NodeJS.ProcessEnv): boolean {
  return options.strict ?? env.NOGI_STRICT !== '0';
}

export function gate(runEnv: NodeJS.ProcessEnv, options: CliOptions): Promise<number> {
  const shard = options.shard ? `${options.shard.index}/${options.shard.total}` : undefined;
  const strict = strictProfile(options, runEnv);
  const env: NodeJS.ProcessEnv = { ...runEnv, NOGI_STRICT: strict ? '1' : '0' };
  return runTagged({
    command: 'gate',
    tag: '@gate',
    // In a clone the consumer contract tests run first, and fail where their pacts are not the
    // committed ones (src/pact/committed.ts); the installed package has no tests and verifies the
    // pacts it ships (contracts/pacts, written by the release it comes from).
    extraProjects: existsSync(packagePath('tests', 'pact', 'consumer')) ? ['pact-consumer'] : [],
    grep: options.grep,
    extraArgs: shard ? [`--shard=${shard}`] : [],
    // Each shard also writes a blob report, merged afterwards with `playwright merge-reports`.
    env: shard ? { ...env, NOGI_BLOB_REPORT: '1' } : env,
    note: [strict ? 'strict' : 'not strict (--no-strict)', ...(shard ? [`shard ${shard}`] : [])].join(', '),
    async report(results: RunResults, context: RunContext) {
      // Nothing ran: the pacts are not verified either, and the gate is exit 2 (tagged-run.ts prints the line).
      const pact: PactVerification = context.nothingRan ? { status: 'skipped', reason: 'nothing else ran' } : await verifyPacts(options, env);
      if (context.nothingRan) {
        const summary = gateSummary(results, context.target, context.playwrightExitCode, pact, context.allureReport);
        const result: GateResult = { passed: false, exitCode: ExitCode.config, strict, pact, counts: results.counts };
        return { exitCode: ExitCode.config, summary: context.nothingRan, files: { 'gate.md': `${summary}\n${context.nothingRan}\n`, 'gate.json': `${JSON.stringify(result, null, 2)}\n` } };
      }
      const summary = gateSummary(results, context.target, context.playwrightExitCode, pact, context.allureReport);
      const failed = context.playwrightExitCode !== 0 || results.counts.failed > 0 || results.errors.length > 0 || pact.status === 'failed';
      const scored = withMinScore(failed ? ExitCode.failed : ExitCode.passed, gateChecks(results, pact), options.minScore);
      const text = scored.line ? `${summary}\n${scored.line}\n` : summary;
      // The structured result certify and other tools read (gate.md is for people).
      const result: GateResult = { passed: scored.exitCode === ExitCode.passed, exitCode: scored.exitCode, strict, pact, counts: results.counts };
      return { exitCode: scored.exitCode, summary: text, files: { 'gate.md': text, 'gate.json': `${JSON.stringify(result, null, 2)}\n` } };
    },
  });
}
