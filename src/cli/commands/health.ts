import type { CommandSpec } from '../command.ts';

export const health: CommandSpec = {
  name: 'health',
  summary: 'nightly health: fast lifecycle subset, latency per endpoint, drift from the published spec',
  description: 'A fast lifecycle subset, latency per endpoint (p50, p95, max) and drift between the vendored and the published contract: reports/health.json and health.md. Exit 1 on a failed check or drift.',
  options: ['target', 'contract', 'reports', 'checksOff', 'specUrl', 'samples', 'noDrift'],
  run: async ({ env, options }) => (await import('../health.ts')).health(env, options),
};
