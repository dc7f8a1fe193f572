import type { CommandSpec } from '../command.ts';

export const checks: CommandSpec = {
  name: 'checks',
  summary: 'list every check a response or exchange is judged by, with the rule it cites',
  description: 'The check registry (src/contract/checks.ts), in the order the checks run: each check\'s name (Schemathesis\' where it has the check), whether it judges one response, the request, or the exchanges before it (stateful), the rule it cites and where that rule is written. Checks switched off by NOGI_CHECKS_OFF are marked. Switch one off with --checks-off <names> on gate, onboarding and health.',
  options: [],
  run: async ({ env }) => (await import('../checks.ts')).listChecks(env),
};
