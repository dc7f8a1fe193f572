/**
 * `nogi-conformance pact <verify|publish|can-i-deploy>`: the action checked here (a usage mistake
 * is exit 2, naming the closest action), then run by src/pact/command.ts in this process.
 */
import { closest, distance } from 'fastest-levenshtein';
import { pact as runPact, pactActions, type PactAction } from '../pact/command.ts';
import { UsageError } from './exit-codes.ts';

const isAction = (action: string): action is PactAction => (pactActions as readonly string[]).includes(action);

export function pact(action: string, env: NodeJS.ProcessEnv): Promise<number> {
  if (!isAction(action)) {
    const near = closest(action, [...pactActions]);
    const hint = near !== undefined && distance(action, near) <= Math.max(2, Math.floor(action.length / 3)) ? `; did you mean ${near}?` : '';
    throw new UsageError(`pact takes verify, publish or can-i-deploy, got "${action}"${hint}`);
  }
  return runPact(action, env);
}
