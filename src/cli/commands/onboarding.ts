import type { CommandSpec } from '../command.ts';

export const onboarding: CommandSpec = {
  name: 'onboarding',
  summary: 'partner checklist with a hint for each failure: reports/onboarding.md and .html',
  description: 'The ordered checklist a new partner works through (usually --target preprod): token, agreement, debt, status, revoke, feed, redirect flow, ID token; pass, fail or skip, with a likely cause and fix for each failure.',
  options: ['target', 'contract', 'reports', 'checksOff', 'minScore'],
  run: async ({ env, options }) => (await import('../onboarding.ts')).onboarding(env, options),
};
