/**
 * nogi-conformance client-report --client ID [--admin URL] [--scenario NAME [--operation OP] [--set k=v]]
 *                                [--reset] [--min-score p] [--reports dir]
 * Reads the sandbox's judgement of one client (its admin surface: `npm run mock -- --test-mode`)
 * and writes reports/client-report.{md,html,json}. --scenario plays a scenario for the client
 * instead; --reset forgets its recording (start a fresh grading).
 * Authenticates with the admin token NOGI_SIM_ADMIN_TOKEN; without it, as the client itself
 * (NOGI_CLIENT_ID / NOGI_CLIENT_SECRET, when the id is --client's): a run-time client reaches its
 * own grading with its own credentials.
 * Exit: 0 no rule failed (or the score reaches --min-score), 1 otherwise, 2 usage, 3 sandbox unreachable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { meetsMinScore } from '../certificate/document.ts';
import { AdminRefusal, SimulatorAdmin } from '../client/admin-client.ts';
import { httpTransport } from '../client/transport.ts';
import { clientReportHtml, clientReportMarkdown } from '../grading/render.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode, UsageError } from './exit-codes.ts';
import type { CliOptions } from './options.ts';

/** client-report's options (src/cli/options.ts) are parsed and checked by the command line. */
export async function clientReport(options: Pick<CliOptions, 'client' | 'admin' | 'scenario' | 'operation' | 'set' | 'errorReference' | 'reset' | 'minScore' | 'reports'>, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const out = (s: string) => process.stdout.write(redact(s));
  const err = (s: string) => process.stderr.write(redact(`nogi-conformance client-report: ${s}\n`));
  const { client, minScore } = options;
  if (!client) throw new UsageError('--client <client id> is required');
  if (Object.keys(options.set).length && !options.scenario) throw new UsageError('--set gives options to --scenario');
  const adminUrl = (options.admin ?? env.NOGI_ADMIN_BASE_URL ?? 'http://127.0.0.1:4430').replace(/\/+$/, '');
  const own = env.NOGI_CLIENT_ID && env.NOGI_CLIENT_SECRET && env.NOGI_CLIENT_ID.toLowerCase() === client.toLowerCase()
    ? { clientId: env.NOGI_CLIENT_ID, clientSecret: env.NOGI_CLIENT_SECRET } : undefined;
  const credentials = env.NOGI_SIM_ADMIN_TOKEN || own;
  if (!credentials) throw new UsageError(`the sandbox's admin surface needs NOGI_SIM_ADMIN_TOKEN (printed by the simulator at start), or the client's own NOGI_CLIENT_ID=${client} and NOGI_CLIENT_SECRET`);
  const admin = new SimulatorAdmin(httpTransport, adminUrl, credentials);
  /** The call's answer, or the exit code: the sandbox refused (its message), or did not answer. */
  const call = async <T>(what: () => Promise<T>): Promise<{ ok: T } | { exit: ExitCode }> => {
    try {
      return { ok: await what() };
    } catch (e) {
      if (e instanceof AdminRefusal) return (err(e.problem), { exit: ExitCode.config });
      err(`the sandbox's admin surface at ${adminUrl} does not answer (${(e as Error).message}): start it with \`npm run mock -- --test-mode\` or give --admin`);
      return { exit: ExitCode.unreachable };
    }
  };

  if (options.reset) {
    const r = await call(() => admin.forgetExchanges(client));
    if ('exit' in r) return r.exit;
    out(`Forgot the recording of ${client}.\n`);
    if (!options.scenario) return ExitCode.passed;
  }
  if (options.scenario) {
    const scenario = options.scenario;
    const r = await call(() => admin.playScenario(client, scenario, { ...options.set, ...(options.operation ? { operationId: options.operation } : {}) }));
    if ('exit' in r) return r.exit;
    out(`Played ${r.ok.played}\n`);
    return ExitCode.passed;
  }
  const r = await call(() => admin.clientReport(client, options.errorReference ?? []));
  if ('exit' in r) return r.exit;
  const report = r.ok;
  const reportsOption = options.reports ?? env.NOGI_REPORTS_DIR ?? 'reports';
  const dir = isAbsolute(reportsOption) ? reportsOption : resolve(cwd, reportsOption);
  mkdirSync(dir, { recursive: true });
  const markdown = clientReportMarkdown(report);
  writeFileSync(join(dir, 'client-report.md'), markdown);
  writeFileSync(join(dir, 'client-report.html'), clientReportHtml(report));
  writeFileSync(join(dir, 'client-report.json'), redact(`${JSON.stringify(report, null, 2)}\n`));
  out(`${markdown}\nWritten: ${['md', 'html', 'json'].map((x) => join(dir, `client-report.${x}`)).join(', ')}\n`);
  const threshold = meetsMinScore(report.score, minScore);
  if (threshold.line) out(`${threshold.ok ? '✓' : '✗'} ${threshold.line}\n`);
  const passed = minScore === undefined ? report.score.failed === 0 : threshold.ok;
  return passed ? ExitCode.passed : ExitCode.failed;
}
