/** The shape of one command of nogi-conformance; the table of them is src/cli/commands.ts. */
import type { CliOptions, OptionName } from './options.ts';
import type { EnvFile, UnknownVariable } from './settings.ts';

/** What a command is run with. */
export interface Invocation {
  /** The run's environment: .env, the environment, then the flags (runEnvironment). */
  env: NodeJS.ProcessEnv;
  options: CliOptions;
  /** The .env that was read, if any. */
  envFile: EnvFile;
  /** NOGI_* variables .env.example does not list (only doctor sees them; other commands refuse to start). */
  unknownVariables: UnknownVariable[];
  /** The command's positional arguments (verify: the certificate file). */
  args: string[];
  /** The folder the CLI runs from: relative paths in the flags are relative to it. */
  cwd: string;
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Longer text for `<command> --help`: what it writes, when to use it. */
  description?: string;
  /** The options it takes, by name (src/cli/options.ts); any other is refused. */
  options: readonly OptionName[];
  /** Its positional arguments, as commander writes them (verify: '<certificate>'; contract: '<action> [input]'). */
  argument?: string;
  /**
   * Every argument after the command goes, as typed, into `args` (sandbox: the simulator's own
   * flags, parsed by src/simulator/main.ts, not declared twice); `options` is then empty.
   */
  passThrough?: boolean;
  /** doctor reports unknown NOGI_* variables as a check instead of refusing to start. */
  reportsUnknownVariables?: boolean;
  /** Runs the command and returns its exit code; import the command's module lazily (start-up stays fast). */
  run(invocation: Invocation): Promise<number>;
}
