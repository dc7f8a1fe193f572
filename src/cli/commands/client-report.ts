import type { CommandSpec } from '../command.ts';

export const clientReport: CommandSpec = {
  name: 'client-report',
  summary: 'grade what a partner\'s own client did in the sandbox: each rule, its evidence and fix, a score',
  ownArguments: true,
  options: [],
  run: async ({ env, args }) => (await import('../client-report.ts')).clientReportCommand(args, env),
};
