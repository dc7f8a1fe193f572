import type { CommandSpec } from '../command.ts';

export const verify: CommandSpec = {
  name: 'verify',
  summary: 'check a certificate offline: signature, contract hashes, expiry',
  description: 'Offline with --key: the signature, that the certificate names the contracts this suite (or --contracts) has, and its expiry. Exit 0 when all hold, 1 with the reason when one does not. Give exactly one of --key and --jwks.',
  options: ['publicKey', 'jwks', 'contracts'],
  argument: '<certificate>',
  run: async ({ options, args, cwd }) => (await import('../verify.ts')).verify(args[0]!, options, cwd),
};
