/**
 * nogi-conformance <doctor | gate | onboarding | health> [--target mock|preprod|custom] ...
 * Exit codes: 0 passed; 1 a contract or lifecycle failure; 2 a configuration error;
 * 3 the target unreachable. See src/cli/README.md.
 */
import { config as loadDotenv } from 'dotenv';
import { ConfigError } from '../config/target.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode, RunNotStartedError, UnreachableError, UsageError } from './exit-codes.ts';
import { parse, runEnvironment, usage, type ParsedCommandLine } from './options.ts';

const fail = (message: string): void => void process.stderr.write(`${redact(message)}\n`);

/** Commands that parse their own options (certificates and the client report). */
const ownCommands: Record<string, () => Promise<{ run(argv: string[]): Promise<number> }>> = {
  certify: () => import('./certify.ts'),
  verify: () => import('./verify.ts'),
  'client-report': () => import('./client-report.ts'),
};

export async function main(argv: string[]): Promise<number> {
  const own = argv[0] !== undefined && Object.hasOwn(ownCommands, argv[0]) ? ownCommands[argv[0]] : undefined;
  if (own) {
    loadDotenv({ quiet: true });
    return (await own()).run(argv.slice(1));
  }
  let parsed: ParsedCommandLine;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(`nogi-conformance: ${error.message}${error.showUsage ? `\n\n${usage}` : ''}`);
    return ExitCode.config;
  }
  if (parsed.help || !parsed.command) {
    (parsed.help ? process.stdout : process.stderr).write(usage);
    return parsed.help ? ExitCode.passed : ExitCode.config;
  }
  // The partner's .env is the one of the folder they run from.
  loadDotenv({ quiet: true });
  try {
    const env = runEnvironment(parsed.options);
    switch (parsed.command) {
      case 'doctor':
        return await (await import('./doctor.ts')).doctor(env);
      case 'gate':
        return await (await import('./gate.ts')).gate(env, parsed.options);
      case 'onboarding':
        return await (await import('./onboarding.ts')).onboarding(env, parsed.options);
      case 'health':
        return await (await import('./health.ts')).health(env, parsed.options);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(error.message);
      return ExitCode.config;
    }
    if (error instanceof UsageError || error instanceof RunNotStartedError) {
      fail(`nogi-conformance: ${error.message}`);
      return ExitCode.config;
    }
    if (error instanceof UnreachableError) {
      fail(error.message);
      return ExitCode.unreachable;
    }
    throw error;
  }
}
