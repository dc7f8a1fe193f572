/**
 * The Pact verifier's own process (verifier-process.ts forks it): receives the options, runs
 * verifyPacts() once, sends the report back and exits. What the Pact core and the state handlers
 * print here reaches the console only through the parent's redact().
 */
import type { VerifierChildMessage, VerifierProcessOptions } from './verifier-process.ts';
import { verifyPacts } from './verify.ts';

const send = (message: VerifierChildMessage): Promise<void> => new Promise((resolve) => process.send!(message, () => resolve()));

process.once('message', (options: VerifierProcessOptions) => {
  verifyPacts(options)
    .then((report) => send({ report }), (e: unknown) => send({ error: e instanceof Error ? e.stack ?? e.message : String(e) }))
    .finally(() => process.disconnect());
});
