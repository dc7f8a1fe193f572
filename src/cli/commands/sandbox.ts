import type { CommandSpec } from '../command.ts';

export const sandbox: CommandSpec = {
  name: 'sandbox',
  summary: 'the simulator as a sandbox on localhost, as `npm run mock` (its flags and NOGI_SIM_* settings)',
  description: [
    'A stateful NoGi on localhost with its consent page, synthetic people and switchable faults: the same program and settings as `npm run mock` in a clone.',
    'Every argument goes to the simulator: --port-access N, --port-api N, --port-admin N, --host H, --admin-host H, --test-mode, --deviations a,b, --fixtures DIR, --data-dir DIR, --memory, --contract V.',
    'Settings from .env and the environment: NOGI_SIM_* (see .env.example). State is kept in ./.nogi-sim unless --memory.',
    'Prints the access, API and discovery URLs (and the admin URL in test mode), one per line; runs until Ctrl-C. Exit 2 for a bad flag or setting.',
  ].join('\n'),
  options: [],
  argument: '[simulator-flags...]',
  passThrough: true,
  run: async ({ env, args }) => (await import('../sandbox.ts')).sandbox(args, env),
};
