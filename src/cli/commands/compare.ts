import type { CommandSpec } from '../command.ts';

export const compare: CommandSpec = {
  name: 'compare',
  summary: 'the simulator vs a real target: where they differ (reports/compare.md and .json)',
  description: 'Runs the same lifecycle subset against the simulator and --target preprod|custom through the one client, pairs the exchanges step by step and diffs status, content type, the headers that matter, JSON shape and error bodies. --record saves the target\'s debt answers as a persona pack with synthetic NINs and names. Exit 1 when they differ.',
  options: ['target', 'contract', 'reports', 'record'],
  run: async ({ env, options }) => (await import('../compare.ts')).compare(env, options),
};
