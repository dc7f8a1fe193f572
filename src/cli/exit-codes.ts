/** The exit codes every run documents (src/cli/README.md). A scheduler or CI acts on these. */
import { CommandLineError } from '../command-line.ts';

export const ExitCode = {
  /** Everything that ran passed. */
  passed: 0,
  /** A contract or lifecycle failure (or, for health, drift from the published contract). */
  failed: 1,
  /** A configuration error: fix .env or the flags; nothing was run. */
  config: 2,
  /** The target could not be reached: nothing was run. */
  unreachable: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Thrown by a run when its target cannot be reached; main prints the message and exits 3. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/**
 * A usage mistake: an unknown command, flag or NOGI_* variable, an option the command does not
 * take, a flag's value out of range. main prints the message (at most two lines), exit 2. A
 * mistake the shared command-line parsers find (src/command-line.ts) is one too: main catches both.
 */
export class UsageError extends CommandLineError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Playwright refused the run before any test (a bad argument, an unknown project, a config that
 * does not load): no results were written. A configuration error, exit 2, one line.
 */
export class RunNotStartedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunNotStartedError';
  }
}
