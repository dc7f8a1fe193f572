import type { CommandSpec } from '../command.ts';

export const certify: CommandSpec = {
  name: 'certify',
  summary: 'sign the results of a gate, onboarding or client report as a certificate anyone can verify',
  ownArguments: true,
  options: [],
  run: async ({ env, args }) => (await import('../certify.ts')).certify(args, env),
};
