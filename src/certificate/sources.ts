/**
 * The verdicts a certificate carries, read from what a run left in the reports folder:
 *   gate:          results.json (every test of the run) + gate.json (the gate's own result: its Pact verification)
 *   onboarding:    results.json's checklist annotations, as reports/onboarding.md lists them
 *   client-report: client-report.json (src/grading), one verdict per rule
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checklistFromResults } from '../reporting/checklist.ts';
import { checksOffOf, readResults, type RunResults } from '../reporting/results.ts';
import { checks as checkRegistry } from '../contract/checks.ts';
import { readRunRecord } from '../reporting/run-record.ts';
import { checksFromOutcomes, type CertificateSource, type CheckVerdict, type Verdict } from './document.ts';

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

/** Each check the run had switched off, as a verdict that is never a pass: not exercised, named so. */
function checksOffVerdicts(results: RunResults): CheckVerdict[] {
  return checksOffOf(results).map((name) => ({ id: `check-switched-off:${name}`, title: `check ${name} switched off (not judged): ${checkRegistry[name].rule}`, verdict: 'not exercised' }));
}

/** The gate's Pact provider verification (src/pact/command.ts), which runs outside Playwright: its verdict and exit code, or why it did not run. */
export type PactVerification = { status: 'passed' | 'failed'; exitCode: number } | { status: 'skipped'; reason: string };

/** What gate.json holds: the gate's own verdict beside results.json, structured (src/cli/gate.ts writes it). */
export interface GateResult {
  passed: boolean;
  exitCode: number;
  strict: boolean;
  /** The Pact provider verification, which runs outside Playwright. */
  pact: PactVerification;
  counts: RunResults['counts'];
}

export function gateChecks(results: RunResults, pact?: PactVerification): CheckVerdict[] {
  const checks = checksFromOutcomes(results.tests.map((t) => ({ id: `${t.project}:${t.file}:${t.titlePath.join(' › ')}`, title: t.titlePath.join(' › '), outcome: t.outcome })));
  if (pact) checks.push({ id: 'pact-verification', title: 'Pact provider verification against the target', verdict: pact.status === 'passed' ? 'pass' : pact.status === 'failed' ? 'fail' : 'not exercised' });
  for (const [i, e] of results.errors.entries()) checks.push({ id: `run-error-${i + 1}`, title: `run error: ${e.split('\n')[0] ?? ''}`, verdict: 'fail' });
  checks.push(...checksOffVerdicts(results));
  return checks;
}

export function onboardingChecks(results: RunResults): CheckVerdict[] {
  return [...checksFromOutcomes(checklistFromResults(results)), ...checksOffVerdicts(results)];
}

interface ClientReportFile {
  clientId: string;
  sandbox?: { accessUrl?: string; apiUrl?: string };
  rules: Array<{ id: string; name: string; verdict: Verdict }>;
}

function clientReportChecks(report: ClientReportFile): CheckVerdict[] {
  return report.rules.map((r) => ({ id: r.id, title: r.name, verdict: r.verdict }));
}

export interface LoadedSource {
  checks: CheckVerdict[];
  clientId?: string;
  /** The contract version that judged the run (run.json); a client report: the process's. */
  contractVersion?: string;
  /** The target the run was against, as that run recorded it. */
  target: { name: string; accessBaseUrl: string | null; apiBaseUrl: string | null };
}

/** The checks of `source` from the reports folder; SourceError when the run left nothing to certify. */
export function loadSource(source: CertificateSource, reportsDir: string): LoadedSource {
  if (source === 'client-report') {
    const file = join(reportsDir, 'client-report.json');
    if (!existsSync(file)) throw new SourceError(`${file} not found: run \`nogi-conformance client-report --client ID\` first`);
    const report = JSON.parse(readFileSync(file, 'utf8')) as ClientReportFile;
    return {
      checks: clientReportChecks(report),
      clientId: report.clientId,
      target: { name: 'sandbox', accessBaseUrl: report.sandbox?.accessUrl ?? null, apiBaseUrl: report.sandbox?.apiUrl ?? null },
    };
  }
  // results.json and gate.md must be this command's, from one finished run: run.json says whose they are.
  const run = readRunRecord(reportsDir);
  if (!run) throw new SourceError(`${join(reportsDir, 'run.json')} not found: no finished run left its results there; run \`nogi-conformance ${source}\` first`);
  if (run.command !== source) throw new SourceError(`the results in ${reportsDir} are from the ${run.command} run of ${run.finishedAt}, not ${source}: run \`nogi-conformance ${source}\` first`);
  const results = readResults(join(reportsDir, 'results.json'));
  if (!results || results.tests.length === 0) throw new SourceError(`${join(reportsDir, 'results.json')} has no tests: run \`nogi-conformance ${source}\` first`);
  const provenance = { target: run.target, clientId: run.clientId ?? undefined, contractVersion: run.contract };
  if (source === 'onboarding') return { checks: onboardingChecks(results), ...provenance };
  const gateFile = join(reportsDir, 'gate.json');
  if (!existsSync(gateFile)) throw new SourceError(`${gateFile} not found: run \`nogi-conformance gate\` first`);
  const gate = JSON.parse(readFileSync(gateFile, 'utf8')) as GateResult;
  return { checks: gateChecks(results, gate.pact), ...provenance };
}
