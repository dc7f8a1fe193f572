/**
 * The command line, on commander (as the simulator's and the bench's: src/command-line.ts):
 * per-command help, --version, "did you mean" for commands and options, values checked by the
 * options' own parsers. Every mistake is a UsageError: one line saying what is wrong, the
 * command's usage line, and where the help is (exit 2).
 */
import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { isHelp, messageOf, quietCommand } from '../command-line.ts';
import type { CommandSpec } from './command.ts';
import { packagePath } from '../package-root.ts';
import { commands as commandTable } from './commands.ts';
import { ExitCode, UsageError } from './exit-codes.ts';
import { cliOptions, toCliOptions, type CliOptions, type OptionName } from './options.ts';

export const programName = 'nogi-conformance';

export const version: string = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;

const exitCodesHelp = `
Settings come from .env in the current folder (see .env.example) and the environment; secrets are
never printed. NOGI_PLAYWRIGHT_ARGS adds arguments to the \`playwright test\` of the runs.

Exit codes:
  0  everything passed
  1  a contract or lifecycle failure (health: also drift from the published contract)
  2  a configuration error or a usage mistake (nothing ran): the message says what to fix
  3  the target is unreachable (nothing ran)
`;

export type ParsedCommandLine =
  | { kind: 'run'; command: CommandSpec; options: CliOptions; args: string[] }
  /** --help, --version, or no command: text to print and the exit code. */
  | { kind: 'print'; text: string; stream: 'stdout' | 'stderr'; exitCode: ExitCode };

interface Selected { command?: CommandSpec; values?: Record<string, unknown>; args?: string[] }

/** The flag as typed (--spec-url) of each option name. */
const flagOf = (name: OptionName): string => cliOptions[name]().long ?? name;

function build(commands: readonly CommandSpec[], out: { text: string }, selected: Selected): Command {
  const program = quietCommand(programName, out)
    .usage('<command> [options]')
    .description('Contract tests and conformance runs for the NoGi consent API.')
    .version(version, '-V, --version', 'the version of nogi-conformance')
    .helpOption('-h, --help', 'this text; <command> --help for the options of a command')
    .addHelpText('after', exitCodesHelp);
  for (const spec of commands) {
    const command = program.command(spec.name).summary(spec.summary).description(spec.description ?? spec.summary);
    if (spec.argument) command.arguments(spec.argument);
    for (const name of spec.options) command.addOption(cliOptions[name]());
    if (spec.passThrough) command.allowUnknownOption().allowExcessArguments();
    // commander calls the action with the positional arguments, then the options, then itself.
    command.action((...params: unknown[]) => {
      selected.command = spec;
      selected.values = params.at(-2) as Record<string, unknown>;
      // A variadic argument (sandbox's simulator flags) arrives as one array: flattened into args.
      selected.args = params.slice(0, -2).flat() as string[];
    });
  }
  return program;
}

/** The one-line usage of a command, or of the program. */
function usageLine(program: Command, commandName?: string): string {
  const command = program.commands.find((c) => c.name() === commandName);
  return command ? `Usage: ${programName} ${command.name()} ${command.usage()}` : `Usage: ${programName} ${program.usage()}`;
}

/** Which commands take this flag (e.g. --samples: health), to say where it belongs. */
function commandsTaking(commands: readonly CommandSpec[], flag: string): string[] {
  return commands.filter((c) => c.options.some((o) => flagOf(o) === flag)).map((c) => c.name);
}

/** commander's message, made specific: "doctor does not take --samples (health does)". */
function usageError(error: CommanderError, program: Command, commands: readonly CommandSpec[], argv: string[]): UsageError {
  // The command comes first; a command name later on means options were put before it.
  const isCommand = (a: string | undefined): boolean => commands.some((c) => c.name === a);
  const commandName = isCommand(argv[0]) ? argv[0] : undefined;
  let message = messageOf(error);
  const unknownOption = /^unknown option '([^']+)'/.exec(message);
  if (unknownOption) {
    const flag = unknownOption[1]!.split('=')[0]!;
    const takers = commandsTaking(commands, flag);
    if (takers.length && commandName) message = `${commandName} does not take ${flag} (${takers.join(', ')} ${takers.length === 1 ? 'does' : 'do'})`;
    else if (takers.length) message = `${flag} goes after the command: ${programName} ${argv.find(isCommand) ?? takers[0]} ${flag} …`;
  }
  const help = commandName ? `${programName} ${commandName} --help` : `${programName} --help`;
  return new UsageError(`${message}\n${usageLine(program, commandName)}  (${help} for more)`);
}

/** Parses argv (without node and the script). Throws UsageError for a mistake. */
export function parse(argv: string[], commands: readonly CommandSpec[] = commandTable): ParsedCommandLine {
  const out = { text: '' };
  const selected: Selected = {};
  const program = build(commands, out, selected);
  if (argv.length === 0) {
    return { kind: 'print', text: `${usageLine(program)}\n\nCommands:\n${commands.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}\n\n${programName} --help for the options and exit codes\n`, stream: 'stderr', exitCode: ExitCode.config };
  }
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (isHelp(error)) return { kind: 'print', text: out.text, stream: 'stdout', exitCode: ExitCode.passed };
    throw usageError(error, program, commands, argv);
  }
  if (!selected.command || !selected.values) throw new UsageError(`no command given\n${usageLine(program)}  (${programName} --help for more)`);
  return { kind: 'run', command: selected.command, options: toCliOptions(selected.values), args: selected.args ?? [] };
}
