/**
 * nogi-conformance certify [--from gate|onboarding|client-report] [--key <pem|jwk file>]
 *                          [--valid-days n] [--min-score p] [--reports dir] [--target name]
 * Writes reports/certificate.json, reports/certificate.jws (JWS over its canonical JSON) and
 * reports/certificate-key.public.jwk (what `verify --key` needs). Without --key or
 * NOGI_CERT_SIGNING_JWK, a development key is used and the certificate says "development": true.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCertificate, meetsMinScore, parseMinScore, type CertificateSource } from '../certificate/document.ts';
import { KeyError, loadSigningKey } from '../certificate/keys.ts';
import { signCertificate } from '../certificate/sign.ts';
import { loadSource, SourceError } from '../certificate/sources.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';

export const certifyUsage = `Usage: nogi-conformance certify [options]
  --from <run>        gate (default), onboarding or client-report: which run's results to certify
  --key <file>        the signing key (PEM or JWK, private); else NOGI_CERT_SIGNING_JWK; else a
                      development key in NOGI_DATA_DIR (default .nogi/), marked "development": true
  --valid-days <n>    days until the certificate expires (default 90)
  --min-score <p>     exit 1 when the score (percent of judged checks that passed) is below p
  --reports <dir>     the reports folder (default reports/ or NOGI_REPORTS_DIR)
The target and client are those the run recorded (reports/run.json, or client-report.json).
`;

const sources: readonly CertificateSource[] = ['gate', 'onboarding', 'client-report'];

export async function certify(argv: string[], env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const out = (s: string) => process.stdout.write(redact(s));
  const err = (s: string) => process.stderr.write(redact(`nogi-conformance certify: ${s}\n`));
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: {
      from: { type: 'string', default: 'gate' }, key: { type: 'string' }, 'valid-days': { type: 'string' },
      'min-score': { type: 'string' }, reports: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (e) {
    err(`${(e as Error).message}\n\n${certifyUsage}`);
    return ExitCode.config;
  }
  if (values.help) {
    out(certifyUsage);
    return ExitCode.passed;
  }
  try {
    const source = values.from as CertificateSource;
    if (!sources.includes(source)) throw new RangeError(`--from must be one of ${sources.join(', ')}, got "${values.from}"`);
    const validDays = values['valid-days'] === undefined ? undefined : Number(values['valid-days']);
    if (validDays !== undefined && (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650)) throw new RangeError('--valid-days must be a whole number from 1 to 3650');
    const minScore = parseMinScore(values['min-score']);
    const reportsOption = values.reports ?? env.NOGI_REPORTS_DIR ?? 'reports';
    const dir = isAbsolute(reportsOption) ? reportsOption : resolve(cwd, reportsOption);
    const loaded = loadSource(source, dir);
    const key = await loadSigningKey(values.key, env, cwd);
    const certificate = buildCertificate({
      source, checks: loaded.checks, development: key.development, validDays, env,
      target: loaded.target,
      clientId: loaded.clientId,
    });
    const jws = await signCertificate(certificate, key);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'certificate.json'), `${JSON.stringify(certificate, null, 2)}\n`);
    writeFileSync(join(dir, 'certificate.jws'), `${jws}\n`);
    writeFileSync(join(dir, 'certificate-key.public.jwk'), `${JSON.stringify(key.publicJwk, null, 2)}\n`);
    const { score } = certificate;
    out(`Certificate (${source}, ${certificate.checks.length} checks, score ${score.percent}%: ${score.passed} passed, ${score.failed} failed, ${score.notExercised} not exercised)\n`);
    out(`signed with the ${key.origin} (${key.alg}, kid ${key.kid})${key.development ? ': DEVELOPMENT certificate, for trying things out only' : ''}\n`);
    out(`valid until ${certificate.expiresAt}\nWritten: ${['certificate.json', 'certificate.jws', 'certificate-key.public.jwk'].map((f) => join(dir, f)).join(', ')}\n`);
    out(`Verify: npx nogi-conformance verify ${join(dir, 'certificate.jws')} --key ${join(dir, 'certificate-key.public.jwk')}\n`);
    const threshold = meetsMinScore(score, minScore);
    if (threshold.line) out(`${threshold.ok ? '✓' : '✗'} ${threshold.line}\n`);
    return threshold.ok ? ExitCode.passed : ExitCode.failed;
  } catch (e) {
    if (e instanceof SourceError || e instanceof KeyError || e instanceof RangeError) {
      err(e.message);
      return ExitCode.config;
    }
    throw e;
  }
}

export const run = certify;
