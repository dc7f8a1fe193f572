/**
 * The one sequence gate, onboarding and health share: configuration → reachability → one
 * Playwright run of the target's project with the command's tag → reports built from THAT run's
 * results.json → the Allure report (unless NOGI_ALLURE_REPORT=0). Each command supplies only its tag, its extra arguments and
 * how it turns the results into its report and exit code.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TargetName } from '../config/target.ts';
import { currentContractVersion } from '../contract/load.ts';
import { namingContract } from '../reporting/contract-line.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';
import { assertReachable, checkConfig } from './preflight.ts';
import { forgetRunRecord, writeRunRecord } from '../reporting/run-record.ts';
import { tallyLine, tallyOf, type RunResults, type Tally } from '../reporting/results.ts';
import { allureReportWanted, buildAllureReport, reportsDir, runPlaywright } from './run-playwright.ts';

export type RunTag = '@gate' | '@onboarding' | '@health';

export interface RunContext {
  target: TargetName;
  reportsDir: string;
  env: NodeJS.ProcessEnv;
  /** Playwright's exit code: non-zero also when a test failed. */
  playwrightExitCode: number;
  /** How many tests ran and were skipped, and why. */
  tally: Tally;
  /** Set when no check ran: the one line that says so, and why when known. The run is exit 2, never a pass. */
  nothingRan?: string;
  /** Whether this run rendered its Allure HTML (allure-report/index.html): a report names only what exists. */
  allureReport: boolean;
}

export interface RunReport {
  exitCode: ExitCode;
  /** Printed after the run (masked again on the way out). */
  summary: string;
  /** Report files, relative to the reports folder, with their content. */
  files: Record<string, string>;
}

export interface TaggedRun {
  command: 'gate' | 'onboarding' | 'health';
  tag: RunTag;
  /** Projects run beside the target's (the gate: the Pact consumer contracts). */
  extraProjects?: string[];
  /** A further regular expression the tests must match (gate --grep). */
  grep?: string;
  extraArgs?: string[];
  env: NodeJS.ProcessEnv;
  /** Shown after the target in the first line, e.g. "5 samples". */
  note?: string;
  /** Called once the target is known to be configured and reachable, before Playwright starts. */
  onStart?(context: Pick<RunContext, 'target' | 'reportsDir' | 'env'>): void;
  report(results: RunResults, context: RunContext): Promise<RunReport> | RunReport;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The grep Playwright gets: the tag as a whole word (not `@gateway`), and the user's expression
 * too when given (Playwright matches one expression against "title path + tags" on one line).
 */
export function tagGrep(tag: RunTag, grep?: string): string {
  const byTag = `${escapeRegExp(tag)}(?![\\w-])`;
  return grep ? `^(?=.*${byTag})(?=.*(?:${grep}))` : byTag;
}

/**
 * A run in which no check ran (none passed, none failed) proves nothing: the line that says so,
 * with why when it is known; undefined when something ran.
 */
function nothingRanLine(results: RunResults, run: Pick<TaggedRun, 'tag' | 'grep' | 'env'>): string | undefined {
  const tally = tallyOf(results);
  if (tally.ran > 0) return undefined;
  const listed = (run.env.NOGI_PLAYWRIGHT_ARGS ?? '').split(/\s+/).includes('--list');
  const why = listed ? `NOGI_PLAYWRIGHT_ARGS has --list, so Playwright only listed ${results.tests.length} test${results.tests.length === 1 ? '' : 's'}`
    : results.tests.length === 0 ? `no test tagged ${run.tag}${run.grep ? ` matches --grep ${run.grep}` : ''}${run.env.NOGI_PLAYWRIGHT_ARGS?.trim() ? ` with NOGI_PLAYWRIGHT_ARGS ${run.env.NOGI_PLAYWRIGHT_ARGS.trim()}` : ''}`
    : tallyLine(tally);
  const errors = results.errors.length ? `; run error: ${results.errors[0]!.split('\n')[0]}` : '';
  return `Nothing ran: ${why}${errors}. Not a pass (exit ${ExitCode.config}).`;
}

export async function runTagged(run: TaggedRun): Promise<number> {
  // Both throw (ConfigError: exit 2; UnreachableError: exit 3) before anything starts.
  const resolved = await checkConfig(run.env);
  const renderAllure = allureReportWanted(run.env);
  await assertReachable(resolved);
  const target = (run.env.NOGI_TARGET ?? 'mock') as TargetName;
  const dir = reportsDir(run.env);
  const context = { target, reportsDir: dir, env: run.env };
  const contract = currentContractVersion(run.env);
  process.stdout.write(`nogi-conformance ${run.command} (target: ${target}, contract: ${contract}${run.note ? `, ${run.note}` : ''})\n\n`);
  // Until this run has written its reports, the folder says no run's results are complete.
  forgetRunRecord(dir);
  run.onStart?.(context);
  const { exitCode, results } = await runPlaywright({ projects: [target, ...(run.extraProjects ?? [])], grep: tagGrep(run.tag, run.grep), extraArgs: run.extraArgs, env: run.env });
  const nothingRan = nothingRanLine(results, run);
  // Before the command's report, which names the Allure report only when it was rendered. Not
  // rendered, an earlier run's would be read as this one's: it goes.
  if (!renderAllure) rmSync(join(dir, 'allure-report'), { recursive: true, force: true });
  const allure = renderAllure ? await buildAllureReport(run.env) : undefined;
  const report = await run.report(results, { ...context, playwrightExitCode: exitCode, tally: tallyOf(results), nothingRan, allureReport: allure !== undefined });
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(report.files)) writeFileSync(join(dir, name), redact(namingContract(name, content, contract)));
  writeRunRecord(dir, {
    command: run.command,
    contract,
    // The embedded simulator listens on ports picked per run: there is no base URL to name.
    target: { name: target, accessBaseUrl: resolved?.accessBaseUrl ?? null, apiBaseUrl: resolved?.apiBaseUrl ?? null },
    clientId: resolved?.client.clientId ?? null,
    finishedAt: new Date().toISOString(),
  });
  const written = Object.keys(report.files).map((name) => join(dir, name));
  // Nothing ran: one line, whatever the command's report would have said, and exit 2.
  process.stdout.write(redact(`\n${nothingRan ?? report.summary}\nWritten: ${written.join(', ')}\n${allure ? `Allure report: ${allure}\n` : ''}`));
  return nothingRan ? ExitCode.config : report.exitCode;
}
