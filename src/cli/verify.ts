/**
 * nogi-conformance verify <certificate.jws> (--key <public key file> | --jwks <url>) [--contracts <dir>]
 * Offline (with --key): the signature, that the certificate names the contracts this suite (or
 * --contracts) has, and its expiry. Exit 0 when all hold, 1 with the reason when one does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { devKeyFile, KeyError, parseKey } from '../certificate/keys.ts';
import { jwksFromUrl, verifyCertificate, type VerifyOptions } from '../certificate/sign.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode, UsageError } from './exit-codes.ts';
import type { CliOptions } from './options.ts';

/** verify's options (src/cli/options.ts) are parsed by the command line; `file` is its argument. */
export async function verify(file: string, options: Pick<CliOptions, 'key' | 'jwks' | 'contracts'>, cwd = process.cwd()): Promise<number> {
  const out = (s: string) => process.stdout.write(redact(s));
  const err = (s: string) => process.stderr.write(redact(`nogi-conformance verify: ${s}\n`));
  if (!options.key === !options.jwks) throw new UsageError('give exactly one of --key <file> and --jwks <url>');
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    err(`${file}: no such file`);
    return ExitCode.config;
  }
  const checks: VerifyOptions = { developmentKeyFile: devKeyFile(process.env, cwd) };
  try {
    if (options.key) {
      const keyPath = resolve(cwd, options.key);
      if (!existsSync(keyPath)) throw new KeyError(`--key ${options.key}: no such file`);
      const text = readFileSync(keyPath, 'utf8');
      checks.key = parseKey(text, 'public', `--key ${options.key}`);
      if (text.trim().startsWith('{')) checks.keyJwk = JSON.parse(text) as VerifyOptions['keyJwk'];
    } else {
      checks.jwks = jwksFromUrl(options.jwks!);
    }
  } catch (e) {
    err((e as Error).message);
    return ExitCode.config;
  }
  if (options.contracts) {
    checks.contractsDir = resolve(cwd, options.contracts);
    if (!existsSync(join(checks.contractsDir, 'versions'))) {
      err(`--contracts ${options.contracts}: not a contracts folder (no versions/ in it)`);
      return ExitCode.config;
    }
  }
  const outcome = await verifyCertificate(readFileSync(path, 'utf8'), checks);
  for (const c of outcome.checks) out(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}\n`);
  const cert = outcome.certificate;
  if (cert) out(`  contract ${cert.contract?.version ?? '(none)'}, suite ${cert.suite.name} ${cert.suite.version} (${cert.suite.commit.slice(0, 12)}), target ${cert.target.name}, client ${cert.clientId ?? '-'}, issued ${cert.issuedAt}\n`);
  out(outcome.ok ? 'VALID\n' : 'INVALID\n');
  return outcome.ok ? ExitCode.passed : ExitCode.failed;
}
