/**
 * The Pact core (a native library) prints its verification output itself, straight to the
 * process's standard output: a diff shows the provider's bodies (NINs, tokens on a token request).
 * Nothing in Node can mask what native code writes to its own file descriptor, so the verifier
 * runs in a process of its own (verifier-child.ts: verifyPacts() and nothing else), whose output
 * comes here line by line through redact(). Everything else of the verification (the target, the
 * simulator, the report, the verdict) stays in the caller's process: the gate and
 * `nogi-conformance pact verify`.
 */
import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { nodeArgsFor, packageRoot } from '../package-root.ts';
import { redact } from '../reporting/redact.ts';
import type { VerifyOptions, VerifyReport } from './verify.ts';

/** The options that cross to the verifier's process: data only (no state handlers, no hooks). */
export type VerifierProcessOptions = Pick<VerifyOptions, 'target' | 'dir' | 'providers' | 'broker' | 'formBodyWorkaround'>;

export type VerifierChildMessage = { report: VerifyReport } | { error: string };

const verifierChildEntry = 'src/pact/verifier-child.ts';

/** verifyPacts(options) in the verifier's process, with `env` as its environment; every line it prints is masked. */
export function verifyInVerifierProcess(options: VerifierProcessOptions, env: Record<string, string | undefined>): Promise<VerifyReport> {
  return new Promise((resolvePromise, reject) => {
    // In a clone through tsx (resolved from the package's own folder), in the package its dist/ build.
    const args = nodeArgsFor(verifierChildEntry);
    const child = fork(args.at(-1)!, [], {
      cwd: packageRoot,
      env: env as NodeJS.ProcessEnv,
      execArgv: args.slice(0, -1),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const masked = (from: NodeJS.ReadableStream, to: NodeJS.WriteStream) => createInterface({ input: from }).on('line', (line) => to.write(`${redact(line)}\n`));
    masked(child.stdout!, process.stdout);
    masked(child.stderr!, process.stderr);
    let answer: VerifierChildMessage | undefined;
    child.on('message', (message: VerifierChildMessage) => (answer = message));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (answer && 'report' in answer) resolvePromise(answer.report);
      else reject(new Error(answer ? redact(answer.error) : `the Pact verifier's process stopped without a report (${signal ?? `exit ${code}`})`));
    });
    child.send(options);
  });
}
