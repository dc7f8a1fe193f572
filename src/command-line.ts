/**
 * The command lines of the suite's programs, on one parser (commander): the nogi-conformance CLI
 * (src/cli/program.ts), the simulator (`npm run mock`, and `nogi-conformance sandbox`, which hands
 * it its arguments: src/simulator/serve.ts) and the bench scripts (scripts/bench/args.ts). Each
 * flag is a commander Option whose parser checks its value; a mistake is one line saying what is
 * wrong, with "did you mean" for a near miss, and the program exits 2.
 */
import { Argument, Command, CommanderError, Option } from 'commander';

export { Argument, Option };

/** A mistake on a command line: one line, the program exits 2. */
export class CommandLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}

/**
 * A commander program that never prints and never exits by itself: what it would print goes to
 * `out`, and every mistake and --help comes back to the caller as a CommanderError.
 */
export function quietCommand(name: string, out: { text: string }): Command {
  return new Command(name)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => (out.text += s), writeErr: (s) => (out.text += s), outputError: () => undefined });
}

/** Whether commander stopped for --help or --version (exit 0), not for a mistake. */
export const isHelp = (error: CommanderError): boolean => ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);

/** commander's message on one line, without its `error: ` prefix: `unknown option '--prot' (Did you mean --port?)`. */
export function messageOf(error: CommanderError): string {
  return error.message.replace(/^error: /, '').replace(/\.$/, '').replace(/\n/g, ' ');
}

interface CommandLineSpec {
  /** What --help says the program does. */
  description?: string;
  /** The flags; each value checked by its Option's parser (an Error it throws is the mistake). */
  options: Option[];
  /** The positional arguments, each checked by its Argument's parser; none when absent. */
  arguments?: Argument[];
}

type ParsedCommandLine =
  | { kind: 'run'; values: Record<string, unknown>; args: unknown[] }
  | { kind: 'help'; text: string };

/**
 * `argv` (without node and the script) parsed against `spec`: the values by camelCase name
 * (--port-access: portAccess), or the help text for --help. Throws CommandLineError for a mistake.
 */
export function parseCommandLine(name: string, argv: string[], spec: CommandLineSpec): ParsedCommandLine {
  const out = { text: '' };
  const program = quietCommand(name, out).helpOption('-h, --help', 'this text');
  if (spec.description) program.description(spec.description);
  for (const option of spec.options) program.addOption(option);
  for (const argument of spec.arguments ?? []) program.addArgument(argument);
  let args: unknown[] = [];
  // commander calls the action with the positional arguments, then the options, then itself.
  program.action((...params: unknown[]) => void (args = params.slice(0, -2)));
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (isHelp(error)) return { kind: 'help', text: out.text };
      throw new CommandLineError(messageOf(error));
    }
    // An option's own parser refused its value.
    throw new CommandLineError((error as Error).message.replace(/\n/g, ' '));
  }
  return { kind: 'run', values: program.opts(), args };
}

/** A parser for a whole-number flag from `min` to `max` (spaces around it allowed). */
export function wholeNumber(flag: string, min: number, max: number): (text: string) => number {
  return (text) => parseWholeNumber(text, flag, min, max);
}

/** A whole number from `min` to `max`, or an Error naming `source` (a flag or a variable). */
export function parseWholeNumber(text: string | undefined, source: string, min: number, max: number): number {
  const value = Number(text);
  if (text === undefined || !/^\s*\d+\s*$/.test(text) || value < min || value > max) {
    throw new CommandLineError(`${source} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}
