export async function onboarding(_env: NodeJS.ProcessEnv, _options?: unknown): Promise<number> {
  process.stderr.write('onboarding: not implemented yet\n');
  return 1;
}
