import type { CommandSpec } from '../command.ts';

export const clientReport: CommandSpec = {
  name: 'client-report',
  summary: 'grade what a partner\'s own client did in the sandbox: each rule, its evidence and fix, a score',
  description: 'Reads the sandbox\'s judgement of one client (its admin surface: `npm run mock -- --test-mode`) and writes reports/client-report.{md,html,json}. With --scenario, plays a scenario for the client instead; --reset forgets its recording. Exit 0 when no rule failed (or the score reaches --min-score), 1 otherwise, 3 when the sandbox does not answer.',
  options: ['client', 'admin', 'scenario', 'operation', 'set', 'errorReference', 'reset', 'minScore', 'reports'],
  run: async ({ env, options, cwd }) => (await import('../client-report.ts')).clientReport(options, env, cwd),
};
