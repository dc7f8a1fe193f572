import type { CommandSpec } from '../command.ts';

export const doctor: CommandSpec = {
  name: 'doctor',
  summary: 'pre-flight checks: Node, Pact native library, Chromium, .env, target reachable, loopback',
  description: 'Checks the machine, .env and the target one by one; each failure with its fix. Exit 0 all passed, 2 configuration, 3 the target unreachable.',
  options: ['target'],
  reportsUnknownVariables: true,
  run: async (invocation) => (await import('../doctor.ts')).doctor(invocation),
};
