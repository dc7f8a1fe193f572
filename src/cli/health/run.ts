export async function health(_env: NodeJS.ProcessEnv, _options?: unknown): Promise<number> {
  process.stderr.write('health: not implemented yet\n');
  return 1;
}
