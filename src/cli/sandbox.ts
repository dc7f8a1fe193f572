/**
 * `nogi-conformance sandbox`: the simulator's own program (src/simulator/serve.ts), run in this
 * process exactly as `npm run mock` runs it: its flags are the raw arguments, parsed by the
 * simulator's own parser; its settings the run's environment (the .env of the folder it runs from,
 * then the environment); its state in that folder (.nogi-sim). It stops on Ctrl-C or SIGTERM by
 * itself and exits 2 on a bad flag or setting.
 */
export async function sandbox(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // The simulator's modules read some settings from the process's environment: the run's are its.
  for (const [name, value] of Object.entries(env)) if (value !== undefined && name.startsWith('NOGI_')) process.env[name] = value;
  const { serve } = await import('../simulator/serve.ts');
  // Resolves once the simulator listens (it printed its URLs); it keeps the process alive until stopped.
  await serve(args, process.env);
  return 0;
}
