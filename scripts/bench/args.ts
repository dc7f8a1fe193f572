/**
 * The benchmark scripts' command lines: node:util's parseArgs, and a mistake is one line on stderr
 * and exit 2 (as the CLI's usage errors), never a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseWholeNumber } from '../../src/cli/options.ts';

/** Prints `script: message` and exits 2. */
export function usage(script: string, message: string): never {
  process.stderr.write(`${script}: ${message}\n`);
  process.exit(2);
}

/** parseArgs with `options` (no positionals), or exit 2 with parseArgs' own message. */
export function benchArgs<O extends NonNullable<ParseArgsConfig['options']>>(script: string, options: O) {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    return usage(script, (e as Error).message);
  }
}

/** A whole number from `min` to `max` given as `what` (e.g. --seconds), by the CLI's parser, or exit 2. */
export function wholeNumber(script: string, what: string, value: string | undefined, min: number, max: number): number {
  try {
    return parseWholeNumber(value, what, min, max);
  } catch (e) {
    return usage(script, (e as Error).message);
  }
}
