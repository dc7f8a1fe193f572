/**
 * `nogi-conformance sandbox`: the simulator's own program (src/simulator/main.ts; its compiled
 * dist/ build in the package), run in this process exactly as `npm run mock` runs it: its flags
 * are the raw arguments, its settings the run's environment (the .env of the folder it runs from,
 * then the environment), its state in that folder (.nogi-sim). It stops on Ctrl-C or SIGTERM by
 * itself and exits 2 on a bad flag or setting.
 */
import { pathToFileURL } from 'node:url';
import { modulePath } from '../config/package-root.ts';

export const simulatorEntry = 'src/simulator/main.ts';

export async function sandbox(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const entry = modulePath(simulatorEntry);
  process.argv = [process.argv[0]!, entry, ...args];
  for (const [name, value] of Object.entries(env)) if (value !== undefined && name.startsWith('NOGI_')) process.env[name] = value;
  // Resolves once the simulator listens (it printed its URLs); it keeps the process alive until stopped.
  await import(pathToFileURL(entry).href);
  return 0;
}
