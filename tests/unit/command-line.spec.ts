/**
 * One command-line parser for the CLI, the simulator and the bench scripts (src/command-line.ts,
 * on commander): values checked by their options' parsers, a mistake one line with "did you mean",
 * --help as text. The bench scripts exit 2 with that line, as the CLI and the simulator do.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { Argument, CommandLineError, Option, parseCommandLine, wholeNumber } from '../../src/command-line.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const spec = {
  options: [
    new Option('--seconds <n>', 'seconds, 1-60').argParser(wholeNumber('--seconds', 1, 60)).default(5),
    new Option('--quick', 'small counts'),
    new Option('--delay-ms <n>', 'a delay').argParser(wholeNumber('--delay-ms', 0, 2000)),
  ],
  arguments: [new Argument('[iterations]', 'how many').argParser(wholeNumber('the number of iterations', 1, 100))],
};

test('values by camelCase name, checked by their parsers; defaults; positional arguments', () => {
  expect(parseCommandLine('demo', ['--delay-ms', '100', '--quick', '7'], spec)).toEqual({ kind: 'run', values: { seconds: 5, quick: true, delayMs: 100 }, args: [7] });
  expect(parseCommandLine('demo', [], spec)).toEqual({ kind: 'run', values: { seconds: 5 }, args: [undefined] });
});

test('a mistake is one line: unknown flag with "did you mean", a value out of range, an extra argument', () => {
  const mistake = (argv: string[]): string => {
    try {
      parseCommandLine('demo', argv, spec);
    } catch (e) {
      expect(e).toBeInstanceOf(CommandLineError);
      return (e as Error).message;
    }
    throw new Error(`no mistake in ${argv.join(' ')}`);
  };
  expect(mistake(['--secnds', '3'])).toBe("unknown option '--secnds' (Did you mean --seconds?)");
  expect(mistake(['--seconds', '99'])).toBe('--seconds must be a whole number from 1 to 60, got "99"');
  expect(mistake(['--seconds'])).toBe("option '--seconds <n>' argument missing");
  expect(mistake(['0'])).toBe('the number of iterations must be a whole number from 1 to 100, got "0"');
  expect(mistake(['1', '2'])).toBe('too many arguments. Expected 1 argument but got 2');
  for (const argv of [['--secnds'], ['--seconds', '99'], ['1', '2']]) expect(mistake(argv)).not.toContain('\n');
});

test('--help comes back as text listing the flags, never printed or exited by the parser', () => {
  const help = parseCommandLine('demo', ['--help'], spec);
  expect(help.kind).toBe('help');
  expect(help.kind === 'help' && help.text).toMatch(/^Usage: demo \[options\] \[iterations\]/);
  expect(help.kind === 'help' && help.text).toContain('--delay-ms <n>');
});

test('a bench script\'s mistake: one line on stderr naming the script, exit 2, no stack trace', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench/profile.ts', '--secnds', '3'], { cwd: root, encoding: 'utf8' });
  expect([run.status, run.stderr, run.stdout]).toEqual([2, "bench:profile: unknown option '--secnds' (Did you mean --seconds?)\n", '']);
});
