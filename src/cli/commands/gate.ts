import type { CommandSpec } from '../command.ts';

export const gate: CommandSpec = {
  name: 'gate',
  summary: 'release gate: every lifecycle, security, Pact verification and the bi-directional check',
  description: 'Every spec tagged @gate against the target, then the committed pacts verified against it; reports/gate.md says what broke, in which step, and which contract rule. Strict by default: the RFC 6749 MUSTs the OAuth contract adopts are errors (--no-strict: warnings).',
  options: ['target', 'contract', 'reports', 'checksOff', 'shard', 'grep', 'strict', 'noStrict', 'minScore'],
  run: async ({ env, options }) => (await import('../gate.ts')).gate(env, options),
};
