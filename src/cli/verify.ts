/**
 * nogi-conformance verify <certificate.jws> (--key <public key file> | --jwks <url>) [--contracts <dir>]
 * Offline (with --key): the signature, that the certificate names the contracts this suite (or
 * --contracts) has, and its expiry. Exit 0 when all hold, 1 with the reason when one does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { certifiedContracts, type ContractKey } from '../certificate/document.ts';
import { KeyError, parseKey } from '../certificate/keys.ts';
import { jwksFromUrl, verifyCertificate, type VerifyOptions } from '../certificate/sign.ts';
import { redact } from '../reporting/redact.ts';
import { ExitCode } from './exit-codes.ts';

export const verifyUsage = `Usage: nogi-conformance verify <certificate.jws> [options]
  --key <file>        the issuer's public key (PEM or JWK); certify writes certificate-key.public.jwk
  --jwks <url>        or the issuer's JWKS, the key picked by the certificate's kid
  --contracts <dir>   a contracts folder to compare the hashes with (upstream/openapi.json,
                      errata.overlay.yaml, oauth.openapi.yaml); default: this suite's contracts/
`;

/** The certified contract files inside a contracts folder laid out as this suite's. */
export function contractsIn(dir: string): Record<ContractKey, string> {
  const rel = (p: string) => p.slice(p.lastIndexOf('contracts/') + 'contracts/'.length);
  return {
    upstream: join(dir, rel(certifiedContracts.upstream)),
    errata: join(dir, rel(certifiedContracts.errata)),
    oauth: join(dir, rel(certifiedContracts.oauth)),
  };
}

export async function verify(argv: string[], cwd = process.cwd()): Promise<number> {
  const out = (s: string) => process.stdout.write(redact(s));
  const err = (s: string) => process.stderr.write(redact(`nogi-conformance verify: ${s}\n`));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: {
      key: { type: 'string' }, jwks: { type: 'string' }, contracts: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } });
  } catch (e) {
    err(`${(e as Error).message}\n\n${verifyUsage}`);
    return ExitCode.config;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(verifyUsage);
    return ExitCode.passed;
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    err(`give one certificate file\n\n${verifyUsage}`);
    return ExitCode.config;
  }
  if (!values.key === !values.jwks) {
    err('give exactly one of --key <file> and --jwks <url>');
    return ExitCode.config;
  }
  const path = resolve(cwd, file);
  if (!existsSync(path)) {
    err(`${file}: no such file`);
    return ExitCode.config;
  }
  const options: VerifyOptions = {};
  try {
    if (values.key) {
      const keyPath = resolve(cwd, values.key);
      if (!existsSync(keyPath)) throw new KeyError(`--key ${values.key}: no such file`);
      options.key = parseKey(readFileSync(keyPath, 'utf8'), 'public', `--key ${values.key}`);
    } else {
      options.jwks = jwksFromUrl(values.jwks!);
    }
  } catch (e) {
    err((e as Error).message);
    return ExitCode.config;
  }
  if (values.contracts) {
    options.contracts = contractsIn(resolve(cwd, values.contracts));
    const missing = Object.values(options.contracts).filter((p) => !existsSync(p));
    if (missing.length) {
      err(`--contracts ${values.contracts}: missing ${missing.join(', ')}`);
      return ExitCode.config;
    }
  }
  const outcome = await verifyCertificate(readFileSync(path, 'utf8'), options);
  for (const c of outcome.checks) out(`${c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}\n`);
  const cert = outcome.certificate;
  if (cert) out(`  suite ${cert.suite.name} ${cert.suite.version} (${cert.suite.commit.slice(0, 12)}), target ${cert.target.name}, client ${cert.clientId ?? '-'}, issued ${cert.issuedAt}\n`);
  out(outcome.ok ? 'VALID\n' : 'INVALID\n');
  return outcome.ok ? ExitCode.passed : ExitCode.failed;
}

export const run = (argv: string[]): Promise<number> => verify(argv);
