/**
 * nogi-conformance client-report --client ID [--admin URL] [--scenario NAME [--operation OP] [--set k=v]]
 *                                [--reset] [--min-score p] [--reports dir]
 * Reads the sandbox's judgement of one client (its admin surface: `npm run mock -- --test-mode`)
 * and writes reports/client-report.{md,html,json}. --scenario plays a scenario for the client
 * instead; --reset forgets its recording (start a fresh grading).
 * Exit: 0 no rule failed (or the score reaches --min-score), 1 otherwise, 2 usage, 3 sandbox unreachable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { meetsMinScore, parseMinScore } from '../certificate/document.ts';
import type { ClientReport } from '../grading/admin.ts';
import { clientReportHtml, clientReportMarkdown } from '../grading/render.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';

export const clientReportUsage = `Usage: nogi-conformance client-report --client <client id> [options]
  --admin <url>       the sandbox's admin URL (default NOGI_ADMIN_BASE_URL, else http://127.0.0.1:4430)
  --scenario <name>   play a scenario for this client instead of reporting: server-error-once,
                      creditor-timeout, portal-revoke, feed-gaps-on-page-boundaries,
                      tokens-expire-in-seconds (see GET <admin>/grading/scenarios)
  --operation <id>    the operation a fault scenario applies to (default getDebtWithConsentID)
  --set <name=value>  a scenario option, repeatable: seconds=3, limit=10 gap=5, creditors=2,
                      status=503, consentId=...
  --reset             forget the client's recording (start a fresh grading)
  --min-score <p>     exit 1 only when the score is below p percent (default: on any failed rule)
  --reports <dir>     where the report goes (default reports/ or NOGI_REPORTS_DIR)
`;

export async function clientReportCommand(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const out = (s: string) => process.stdout.write(redact(s));
  const err = (s: string) => process.stderr.write(redact(`nogi-conformance client-report: ${s}\n`));
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: {
      client: { type: 'string' }, admin: { type: 'string' }, scenario: { type: 'string' }, operation: { type: 'string' }, set: { type: 'string', multiple: true },
      reset: { type: 'boolean', default: false }, 'min-score': { type: 'string' }, reports: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (e) {
    err(`${(e as Error).message}\n\n${clientReportUsage}`);
    return ExitCode.config;
  }
  if (values.help) {
    out(clientReportUsage);
    return ExitCode.passed;
  }
  let minScore: number | undefined;
  const scenarioOptions: Record<string, string | number> = {};
  try {
    minScore = parseMinScore(values['min-score']);
    if (!values.client) throw new RangeError('--client <client id> is required');
    for (const pair of values.set ?? []) {
      const m = /^([A-Za-z]\w*)=(.+)$/.exec(pair);
      if (!m) throw new RangeError(`--set takes name=value, got "${pair}"`);
      scenarioOptions[m[1]!] = /^-?\d+$/.test(m[2]!) ? Number(m[2]) : m[2]!;
    }
    if (values.set?.length && !values.scenario) throw new RangeError('--set gives options to --scenario');
  } catch (e) {
    err(`${(e as Error).message}\n\n${clientReportUsage}`);
    return ExitCode.config;
  }
  const admin = (values.admin ?? env.NOGI_ADMIN_BASE_URL ?? 'http://127.0.0.1:4430').replace(/\/+$/, '');
  const base = `${admin}/grading/clients/${encodeURIComponent(values.client)}`;
  const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown } | undefined> => {
    try {
      const r = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      const text = await r.text();
      return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    } catch (e) {
      err(`the sandbox's admin surface at ${admin} does not answer (${(e as Error).message}): start it with \`npm run mock -- --test-mode\` or give --admin`);
      return undefined;
    }
  };
  const problem = (r: { status: number; body: unknown }) => (r.body as { error?: string } | undefined)?.error ?? `HTTP ${r.status}`;

  if (values.reset) {
    const r = await call('DELETE', `${base}/exchanges`);
    if (!r) return ExitCode.unreachable;
    if (r.status !== 200) return (err(problem(r)), ExitCode.config);
    out(`Forgot the recording of ${values.client}.\n`);
    if (!values.scenario) return ExitCode.passed;
  }
  if (values.scenario) {
    const r = await call('POST', `${base}/scenarios`, { ...scenarioOptions, name: values.scenario, ...(values.operation ? { operationId: values.operation } : {}) });
    if (!r) return ExitCode.unreachable;
    if (r.status !== 200) return (err(problem(r)), ExitCode.config);
    out(`Played ${(r.body as { played: string }).played}\n`);
    return ExitCode.passed;
  }
  const r = await call('GET', `${base}/report`);
  if (!r) return ExitCode.unreachable;
  if (r.status !== 200) return (err(problem(r)), ExitCode.config);
  const report = r.body as ClientReport;
  const reportsOption = values.reports ?? env.NOGI_REPORTS_DIR ?? 'reports';
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

export const run = (argv: string[]): Promise<number> => clientReportCommand(argv);
