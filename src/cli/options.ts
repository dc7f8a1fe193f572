/**
 * The command line of nogi-conformance: its commands, its options and their checks. A module of
 * its own so that the runs (gate, onboarding, health) and main depend on it, never on each other.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseMinScore } from '../certificate/document.ts';
import { UsageError } from './exit-codes.ts';

export const commands = {
  doctor: 'pre-flight checks: Node, Pact native library, Chromium, .env, target reachable, loopback',
  gate: 'release gate: every lifecycle, security, Pact verification and the bi-directional check',
  onboarding: 'partner checklist with a hint for each failure: reports/onboarding.md and .html',
  health: 'nightly health: fast lifecycle subset, latency per endpoint, drift from the published spec',
} as const;
export type Command = keyof typeof commands;

export const targetNames = ['mock', 'preprod', 'custom'] as const;

export const usage = `Usage: nogi-conformance <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, text]) => `  ${name.padEnd(11)} ${text}`)
  .join('\n')}
  certify     sign the results of a gate, onboarding or client report: reports/certificate.json and .jws
  verify      check a certificate offline: signature, contract hashes, expiry
  client-report  the sandbox's grading of one client: reports/client-report.md, .html, .json
  (these three take their own options: nogi-conformance <command> --help)

Options:
  --target <name>     mock (the embedded simulator, default), preprod, or custom (NOGI_ACCESS_BASE_URL,
                      NOGI_API_BASE_URL). Overrides NOGI_TARGET.
  --reports <dir>     where reports go (default reports/ in the current folder, or NOGI_REPORTS_DIR)
  --shard <i/n>       gate: run shard i of n, 1 <= i <= n (merge the blob reports afterwards, see the README)
  --grep <regex>      gate: only the tests whose title matches
  --spec-url <url>    health: the published OpenAPI document to compare with the vendored one
                      (default: the provider's documentation site, or NOGI_PUBLISHED_SPEC_URL)
  --samples <n>       health: how many times the health subset runs (1-20, default 5, or NOGI_HEALTH_SAMPLES)
  --no-drift          health: skip the drift check
  --min-score <p>     gate, onboarding: pass when at least p percent of the judged checks passed
                      (instead of on no failure); certify and client-report take it too
  -h, --help          this text

Settings come from .env (see .env.example) and the environment; secrets are never printed.
NOGI_PLAYWRIGHT_ARGS adds arguments to the \`playwright test\` of gate, onboarding and health.

Exit codes:
  0  everything passed
  1  a contract or lifecycle failure (health: also drift from the published contract)
  2  a configuration error (nothing ran): the message lists what to set
  3  the target is unreachable (nothing ran)
`;

export interface Shard {
  index: number;
  total: number;
}

export interface CliOptions {
  target?: string;
  reports?: string;
  shard?: Shard;
  grep?: string;
  specUrl?: string;
  /** Health samples; undefined: NOGI_HEALTH_SAMPLES, else 5. */
  samples?: number;
  drift: boolean;
  /** gate, onboarding: pass at this score (percent) instead of on no failure. */
  minScore?: number;
}

export interface ParsedCommandLine {
  command?: Command;
  help: boolean;
  options: CliOptions;
}

/** `i/n` with 1 <= i <= n, checked here so that Playwright never sees a shard it would refuse. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new UsageError(`--shard takes <index>/<total>, e.g. 1/3; got "${text}"`);
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (total < 1 || index < 1 || index > total) throw new UsageError(`--shard ${text}: the index must be from 1 to the total (1/${total || 1} … ${total || 1}/${total || 1})`);
  return { index, total };
}

/** Health samples from --samples or NOGI_HEALTH_SAMPLES: a whole number from 1 to 20. */
export function parseSamples(text: string, source = '--samples'): number {
  const samples = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isInteger(samples) || samples < 1 || samples > 20) {
    throw new UsageError(`${source} must be a whole number from 1 to 20, got "${text}"`);
  }
  return samples;
}

function minScoreOption(text: string | undefined): number | undefined {
  try {
    return parseMinScore(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parse(argv: string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: 'string' },
        reports: { type: 'string' },
        shard: { type: 'string' },
        grep: { type: 'string' },
        'spec-url': { type: 'string' },
        samples: { type: 'string' },
        'no-drift': { type: 'boolean', default: false },
        'min-score': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { showUsage: true });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one command at a time, got: ${positionals.join(' ')}`, { showUsage: true });
  const command = positionals[0];
  if (command !== undefined && !(command in commands)) throw new UsageError(`unknown command "${command}"`, { showUsage: true });
  if (values.target !== undefined && !(targetNames as readonly string[]).includes(values.target)) {
    throw new UsageError(`--target must be mock, preprod or custom, got "${values.target}"`);
  }
  if (values.grep !== undefined) {
    try {
      new RegExp(values.grep);
    } catch (error) {
      throw new UsageError(`--grep: ${(error as Error).message}`);
    }
  }
  return {
    command: command as Command | undefined,
    help: values.help,
    options: {
      target: values.target,
      reports: values.reports,
      shard: values.shard === undefined ? undefined : parseShard(values.shard),
      grep: values.grep,
      specUrl: values['spec-url'],
      samples: values.samples === undefined ? undefined : parseSamples(values.samples),
      drift: !values['no-drift'],
      minScore: minScoreOption(values['min-score']),
    },
  };
}

/**
 * The environment a run hands to Playwright: .env, then the flags on top. The reports folder is
 * made absolute against the caller's folder: Playwright runs from the project's own folder.
 */
export function runEnvironment(options: CliOptions, base: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // CI templates pass unset variables as empty strings, and .env may say `KEY=`: both mean unset.
  for (const key of Object.keys(env)) if (key.startsWith('NOGI_') && env[key] === '') delete env[key];
  if (options.target) env.NOGI_TARGET = options.target;
  env.NOGI_TARGET ??= 'mock';
  const reports = options.reports ?? env.NOGI_REPORTS_DIR ?? 'reports';
  env.NOGI_REPORTS_DIR = isAbsolute(reports) ? reports : resolve(cwd, reports);
  if (options.specUrl) env.NOGI_PUBLISHED_SPEC_URL = options.specUrl;
  if (options.samples !== undefined) env.NOGI_HEALTH_SAMPLES = String(options.samples);
  return env;
}

/** Health samples for this run: --samples, else NOGI_HEALTH_SAMPLES, else 5. */
export function healthSamples(env: NodeJS.ProcessEnv): number {
  return env.NOGI_HEALTH_SAMPLES === undefined ? 5 : parseSamples(env.NOGI_HEALTH_SAMPLES, 'NOGI_HEALTH_SAMPLES');
}
