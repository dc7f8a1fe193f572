/**
 * The benchmark scripts' command lines, on the suite's one parser (src/command-line.ts, commander,
 * as the CLI's and the simulator's): each flag a commander Option whose parser checks its value; a
 * mistake is one line on stderr, with "did you mean" for a near miss, and exit 2 (as the CLI's
 * usage errors), never a stack trace. --help prints the flags.
 */
import { Argument, CommandLineError, Option, parseCommandLine, wholeNumber } from '../../src/command-line.ts';

export { Argument, Option, wholeNumber };

/** Prints `script: message` and exits 2. */
export function usage(script: string, message: string): never {
  process.stderr.write(`${script}: ${message}\n`);
  process.exit(2);
}

/**
 * The script's flags (`options`; no positional arguments but `positional`) from its command line:
 * the values by camelCase name (--delay-ms: delayMs) and the positional arguments' values; --help
 * prints them and exits 0; a mistake exits 2.
 */
export function benchArgs<V extends Record<string, unknown>>(script: string, options: Option[], positional: Argument[] = []): V & { args: unknown[] } {
  try {
    const parsed = parseCommandLine(script, process.argv.slice(2), { options, arguments: positional });
    if (parsed.kind === 'help') {
      process.stdout.write(parsed.text);
      process.exit(0);
    }
    return { ...(parsed.values as V), args: parsed.args };
  } catch (e) {
    if (e instanceof CommandLineError) return usage(script, e.message);
    throw e;
  }
}
