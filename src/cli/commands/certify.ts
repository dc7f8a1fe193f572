import type { CommandSpec } from '../command.ts';

export const certify: CommandSpec = {
  name: 'certify',
  summary: 'sign the results of a gate, onboarding or client report as a certificate anyone can verify',
  description: 'Signs the results of the last finished gate or onboarding run (reports/run.json names its target and client), or a client report, as reports/certificate.json and certificate.jws (a JWS over its canonical JSON), with certificate-key.public.jwk for `verify --key`. Without a key, a development key is used and the certificate says so.',
  options: ['from', 'signingKey', 'validDays', 'minScore', 'reports'],
  run: async ({ env, options, cwd }) => (await import('../certify.ts')).certify(options, env, cwd),
};
