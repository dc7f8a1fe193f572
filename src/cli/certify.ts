/**
 * nogi-conformance certify [--from gate|onboarding|client-report] [--key <pem|jwk file>]
 *                          [--valid-days n] [--min-score p] [--reports dir]
 * Writes reports/certificate.json, reports/certificate.jws (JWS over its canonical JSON) and
 * reports/certificate-key.public.jwk (what `verify --key` needs). Without --key or
 * NOGI_CERT_SIGNING_JWK, a development key is used and the certificate says "development": true.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { buildCertificate, meetsMinScore } from '../certificate/document.ts';
import { KeyError, loadSigningKey } from '../certificate/keys.ts';
import { signCertificate } from '../certificate/sign.ts';
import { loadSource, SourceError } from '../certificate/sources.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';
import type { CliOptions } from './options.ts';

/** certify's options (src/cli/options.ts) are parsed and checked by the command line. */
export async function certify(options: Pick<CliOptions, 'from' | 'key' | 'validDays' | 'minScore' | 'reports'>, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const out = (s: string) => process.stdout.write(redact(s));
  const err = (s: string) => process.stderr.write(redact(`nogi-conformance certify: ${s}\n`));
  try {
    const source = options.from ?? 'gate';
    const { validDays, minScore } = options;
    const reportsOption = options.reports ?? env.NOGI_REPORTS_DIR ?? 'reports';
    const dir = isAbsolute(reportsOption) ? reportsOption : resolve(cwd, reportsOption);
    const loaded = loadSource(source, dir);
    const key = await loadSigningKey(options.key, env, cwd);
    const certificate = buildCertificate({
      source, checks: loaded.checks, development: key.development, validDays, env,
      target: loaded.target,
      clientId: loaded.clientId,
      contractVersion: loaded.contractVersion,
    });
    const jws = await signCertificate(certificate, key);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'certificate.json'), `${JSON.stringify(certificate, null, 2)}\n`);
    writeFileSync(join(dir, 'certificate.jws'), `${jws}\n`);
    writeFileSync(join(dir, 'certificate-key.public.jwk'), `${JSON.stringify(key.publicJwk, null, 2)}\n`);
    const { score } = certificate;
    out(`Certificate (${source}, contract ${certificate.contract.version}, ${certificate.checks.length} checks, score ${score.percent}%: ${score.passed} passed, ${score.failed} failed, ${score.notExercised} not exercised)\n`);
    out(`signed with the ${key.origin} (${key.alg}, kid ${key.kid})${key.development ? ': DEVELOPMENT certificate, for trying things out only' : ''}\n`);
    out(`valid until ${certificate.expiresAt}\nWritten: ${['certificate.json', 'certificate.jws', 'certificate-key.public.jwk'].map((f) => join(dir, f)).join(', ')}\n`);
    out(`Verify: npx nogi-conformance verify ${join(dir, 'certificate.jws')} --key ${join(dir, 'certificate-key.public.jwk')}\n`);
    const threshold = meetsMinScore(score, minScore);
    if (threshold.line) out(`${threshold.ok ? '✓' : '✗'} ${threshold.line}\n`);
    return threshold.ok ? ExitCode.passed : ExitCode.failed;
  } catch (e) {
    if (e instanceof SourceError || e instanceof KeyError) {
      err(e.message);
      return ExitCode.config;
    }
    throw e;
  }
}
