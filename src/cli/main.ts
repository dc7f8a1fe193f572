/**
 * nogi-conformance <command> [options]: the commands are the table in src/cli/commands.ts.
 * Exit codes: 0 passed; 1 a contract or lifecycle failure; 2 a configuration error or a usage
 * mistake; 3 the target unreachable. See src/cli/README.md.
 */
import { ConfigError } from '../config/target.ts';
import { currentContractVersion, UnknownContractVersion } from '../contract/load.ts';
import { parseChecksOff, UnknownCheckName } from '../contract/checks.ts';
import { redact } from '../reporting/redact.ts';
import { CommandLineError } from '../command-line.ts';
import { ExitCode, RunNotStartedError, UnreachableError } from './exit-codes.ts';
import { runEnvironment } from './options.ts';
import { parse, programName, type ParsedCommandLine } from './program.ts';
import { describeUnknown, loadEnvFile, unknownVariables } from './settings.ts';

const fail = (message: string): void => void process.stderr.write(`${redact(message)}\n`);

export async function main(argv: string[]): Promise<number> {
  return runCommandLine(argv, process.env, process.cwd());
}

/**
 * One command line, run as from the folder `cwd` with the environment `base` (its .env is read
 * into `base`). The tests run commands in-process through this, exactly as a partner's shell does.
 */
export async function runCommandLine(argv: string[], base: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  let parsed: ParsedCommandLine;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof CommandLineError)) throw error;
    fail(`${programName}: ${error.message}`);
    return ExitCode.config;
  }
  if (parsed.kind === 'print') {
    (parsed.stream === 'stdout' ? process.stdout : process.stderr).write(parsed.text);
    return parsed.exitCode;
  }
  // The partner's .env is the one of the folder they run from.
  const envFile = loadEnvFile(cwd, base);
  const unknown = unknownVariables(base, envFile);
  if (unknown.length && !parsed.command.reportsUnknownVariables) {
    // A mistyped name would otherwise be ignored silently (a misspelt target name runs against mock).
    fail(`${programName}: ${unknown.map(describeUnknown).join('\n  ')}\nRename or remove ${unknown.length === 1 ? 'it' : 'them'}; ${programName} doctor checks every setting.`);
    return ExitCode.config;
  }
  if (!parsed.command.reportsUnknownVariables) {
    // A misspelt NOGI_CONTRACT would otherwise stop the run deep inside (doctor reports it as a check).
    try {
      currentContractVersion(base);
    } catch (error) {
      fail(`${programName}: NOGI_CONTRACT: ${(error as Error).message}`);
      return ExitCode.config;
    }
  }
  // A misspelt check name would otherwise switch nothing off, or stop every worker.
  try {
    parseChecksOff(base.NOGI_CHECKS_OFF, 'NOGI_CHECKS_OFF');
  } catch (error) {
    if (!(error instanceof UnknownCheckName)) throw error;
    fail(`${programName}: ${error.message}`);
    return ExitCode.config;
  }
  try {
    const env = runEnvironment(parsed.options, base, cwd);
    // --contract picks the version for this process too (drift, compare, certificates read the
    // contract in-process), for the command's duration only: runCommandLine also runs in tests.
    const previous = process.env.NOGI_CONTRACT;
    if (parsed.options.contract) process.env.NOGI_CONTRACT = parsed.options.contract;
    try {
      return await parsed.command.run({ env, options: parsed.options, envFile, unknownVariables: unknown, args: parsed.args, cwd });
    } finally {
      if (previous === undefined) delete process.env.NOGI_CONTRACT;
      else process.env.NOGI_CONTRACT = previous;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      fail(error.message);
      return ExitCode.config;
    }
    if (error instanceof CommandLineError || error instanceof RunNotStartedError || error instanceof UnknownContractVersion) {
      fail(`${programName}: ${error.message}`);
      return ExitCode.config;
    }
    if (error instanceof UnreachableError) {
      fail(error.message);
      return ExitCode.unreachable;
    }
    throw error;
  }
}
