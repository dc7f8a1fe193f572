/**
 * nogi-conformance <doctor | gate | onboarding | health> [--target mock|preprod|custom] ...
 * Exit codes: 0 passed; 1 a contract or lifecycle failure; 2 a configuration error;
 * 3 the target unreachable. See src/cli/README.md.
 */
import { parseArgs } from 'node:util';
import { config as loadDotenv } from 'dotenv';
import { ConfigError } from '../config/target.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode, UnreachableError, UsageError } from './exit-codes.ts';

export const commands = {
  doctor: 'pre-flight checks: Node, Pact native library, Chromium, .env, target reachable, loopback',
  gate: 'release gate: every lifecycle, security, Pact verification and the bi-directional check',
  onboarding: 'partner checklist with a hint for each failure: reports/onboarding.md and .html',
  health: 'nightly health: fast lifecycle subset, latency per endpoint, drift from the published spec',
} as const;
export type Command = keyof typeof commands;

export const usage = `Usage: nogi-conformance <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, text]) => `  ${name.padEnd(11)} ${text}`)
  .join('\n')}

Options:
  --target <name>     mock (the embedded simulator, default), preprod, or custom (NOGI_ACCESS_BASE_URL,
                      NOGI_API_BASE_URL). Overrides NOGI_TARGET.
  --reports <dir>     where reports go (default reports/, or NOGI_REPORTS_DIR)
  --shard <i/n>       gate: run one shard of n (merge the blob reports afterwards, see the README)
  --grep <regex>      gate: only the tests whose title matches
  --spec-url <url>    health: the published OpenAPI document to compare with the vendored one
                      (default: the provider's documentation site, or NOGI_PUBLISHED_SPEC_URL)
  --samples <n>       health: latency samples per endpoint (1-20, default 5)
  --no-drift          health: skip the drift check
  -h, --help          this text

Settings come from .env (see .env.example) and the environment; secrets are never printed.

Exit codes:
  0  everything passed
  1  a contract or lifecycle failure (health: also drift from the published contract)
  2  a configuration error (nothing ran): the message lists what to set
  3  the target is unreachable (nothing ran)
`;

export interface CliOptions {
  target?: string;
  reports?: string;
  shard?: string;
  grep?: string;
  specUrl?: string;
  samples: number;
  drift: boolean;
}

export function parse(argv: string[]): { command?: Command; help: boolean; options: CliOptions } {
  const { values, positionals } = parseArgs({
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 1) throw new UsageError(`one command at a time, got: ${positionals.join(' ')}`);
  const command = positionals[0];
  if (command !== undefined && !(command in commands)) throw new UsageError(`unknown command "${command}"`);
  if (values.target !== undefined && !['mock', 'preprod', 'custom'].includes(values.target)) {
    throw new UsageError(`--target must be mock, preprod or custom, got "${values.target}"`);
  }
  if (values.shard !== undefined && !/^\d+\/\d+$/.test(values.shard)) throw new UsageError('--shard takes <index>/<total>, e.g. 1/3');
  const samples = values.samples === undefined ? 5 : Number(values.samples);
  if (!Number.isInteger(samples) || samples < 1 || samples > 20) throw new UsageError('--samples must be a whole number from 1 to 20');
  return {
    command: command as Command | undefined,
    help: values.help,
    options: {
      target: values.target,
      reports: values.reports,
      shard: values.shard,
      grep: values.grep,
      specUrl: values['spec-url'],
      samples,
      drift: !values['no-drift'],
    },
  };
}

/** The environment a run hands to Playwright: .env, then the flags on top. */
export function runEnvironment(options: CliOptions, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // CI templates pass unset variables as empty strings, and .env may say `KEY=`: both mean unset.
  for (const key of Object.keys(env)) if (key.startsWith('NOGI_') && env[key] === '') delete env[key];
  if (options.target) env.NOGI_TARGET = options.target;
  env.NOGI_TARGET ??= 'mock';
  if (options.reports) env.NOGI_REPORTS_DIR = options.reports;
  if (options.specUrl) env.NOGI_PUBLISHED_SPEC_URL = options.specUrl;
  return env;
}

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`nogi-conformance: ${(error as Error).message}\n\n${usage}`);
    return ExitCode.config;
  }
  if (parsed.help || !parsed.command) {
    (parsed.help ? process.stdout : process.stderr).write(usage);
    return parsed.help ? ExitCode.passed : ExitCode.config;
  }
  loadDotenv({ quiet: true });
  const env = runEnvironment(parsed.options);
  try {
    switch (parsed.command) {
      case 'doctor':
        return await (await import('./doctor.ts')).doctor(env);
      case 'gate':
        return await (await import('./gate.ts')).gate(env, parsed.options);
      case 'onboarding':
        return await (await import('./onboarding/run.ts')).onboarding(env);
      case 'health':
        return await (await import('./health/run.ts')).health(env, parsed.options);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${redact(error.message)}\n`);
      return ExitCode.config;
    }
    if (error instanceof UnreachableError) {
      process.stderr.write(`${redact(error.message)}\n`);
      return ExitCode.unreachable;
    }
    throw error;
  }
}
