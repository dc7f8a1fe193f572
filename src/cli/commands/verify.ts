import type { CommandSpec } from '../command.ts';

export const verify: CommandSpec = {
  name: 'verify',
  summary: 'check a certificate offline: signature, contract hashes, expiry',
  ownArguments: true,
  options: [],
  run: async ({ args }) => (await import('../verify.ts')).verify(args),
};
