/**
 * Certificates: certify a small gate-like results.json, then verify it offline; a changed byte,
 * a changed errata file, an expired certificate and another key each fail with their reason.
 * No NIN and no registered secret reaches the certificate.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { JSONReport, JSONReportTest } from '@playwright/test/reporter';
import { generateKeyPair, exportJWK } from 'jose';
import { buildCertificate, meetsMinScore, parseMinScore, scoreOf } from '../../src/certificate/document.ts';
import { loadSigningKey, parseKey } from '../../src/certificate/keys.ts';
import { jwksFromUrl, signCertificate, verifyCertificate } from '../../src/certificate/sign.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runCommandLine } from '../../src/cli/main.ts';
import { contractsDir, versionPaths } from '../../src/contract/load.ts';
import { registerSecret } from '../../src/reporting/redact.ts';
import { forgetRunRecord, writeRunRecord } from '../../src/reporting/run-record.ts';
import { withMinScore } from '../../src/cli/min-score.ts';
import { parse } from '../../src/cli/program.ts';
import { UsageError } from '../../src/cli/exit-codes.ts';
import { gateChecks } from '../../src/certificate/sources.ts';
import { resultsFromReport } from '../../src/reporting/results.ts';

const SECRET = 'sekret-client-credential-42';

/** A results.json with only what the certificate reads: a title, a file, an outcome per test. */
function results(tests: Array<{ title: string; status: 'passed' | 'failed' | 'skipped' }>): JSONReport {
  return {
    config: {} as JSONReport['config'],
    suites: [{
      title: 'integrated-consent.spec.ts', file: 'integrated-consent.spec.ts', line: 0, column: 0,
      specs: tests.map((t, i) => ({
        title: t.title, ok: t.status !== 'failed', tags: ['@gate'], id: `s${i}`, file: 'integrated-consent.spec.ts', line: i + 1, column: 0,
        tests: [{
          annotations: [], expectedStatus: t.status === 'skipped' ? 'skipped' : 'passed', projectId: 'mock', projectName: 'mock', timeout: 1,
          status: t.status === 'passed' ? 'expected' : t.status === 'skipped' ? 'skipped' : 'unexpected',
          results: [{ status: t.status, duration: 1, errors: [], stdout: [], stderr: [], retry: 0, startTime: new Date(0).toISOString(), attachments: [], annotations: [], steps: [] }],
        } as unknown as JSONReportTest],
      })),
    }],
    errors: [],
    stats: { startTime: new Date(0).toISOString(), duration: 1, expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
  };
}

test.describe('certificates', () => {
  let dir: string;
  let reports: string;
  let env: NodeJS.ProcessEnv;

  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nogi-cert-'));
    reports = join(dir, 'reports');
    mkdirSync(reports);
    env = { NOGI_DATA_DIR: join(dir, 'data'), NOGI_TARGET: 'mock', NOGI_SUITE_COMMIT: 'abc123' };
    registerSecret(SECRET);
    writeFileSync(join(reports, 'results.json'), JSON.stringify(results([
      { title: 'integrated consent lifecycle for 14842249091', status: 'passed' },
      { title: `token with ${SECRET}`, status: 'passed' },
      { title: 'revoke', status: 'failed' },
      { title: 'needs a second client', status: 'skipped' },
    ])));
    writeFileSync(join(reports, 'gate.json'), JSON.stringify({ passed: false, exitCode: 1, strict: true, pact: { status: 'passed', exitCode: 0 }, counts: { passed: 2, failed: 1, skipped: 1 } }));
    // Judged by July's contract, not the default: the certificate must name the version that judged.
    writeRunRecord(reports, { command: 'gate', target: { name: 'custom', accessBaseUrl: 'https://access.example', apiBaseUrl: 'https://api.example' }, contract: 'b68fec2', clientId: 'partner-1', finishedAt: '2026-11-29T12:00:00.000Z' });
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const certifyQuietly = async (argv: string[]): Promise<number> => {
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      return await runCommandLine(['certify', '--reports', reports, ...argv], { ...env }, dir);
    } finally {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    }
  };
  test('the results certified are those of the run named, against the target and client it recorded', async () => {
    expect(await certifyQuietly([])).toBe(0);
    const certificate = JSON.parse(readFileSync(join(reports, 'certificate.json'), 'utf8')) as { target: unknown; clientId?: string; contract: unknown; contracts: { upstream: { file: string } } };
    expect(certificate.target).toEqual({ name: 'custom', accessBaseUrl: 'https://access.example', apiBaseUrl: 'https://api.example' });
    expect(certificate.contract).toEqual({ version: 'b68fec2', commit: 'b68fec2d7203ae5273ab4a598bf78644ac0d8549' });
    expect(certificate.contracts.upstream.file).toBe('contracts/versions/b68fec2/openapi.json');
    expect(certificate.clientId).toBe('partner-1');
    // An onboarding run left these results (and an old gate.md beside them): not a gate's to certify.
    writeRunRecord(reports, { command: 'onboarding', target: { name: 'mock', accessBaseUrl: null, apiBaseUrl: null }, contract: '3770c4e', clientId: null, finishedAt: '2026-11-29T12:05:00.000Z' });
    expect(await certifyQuietly([])).toBe(2);
    // A run that did not finish leaves no record: nothing to certify.
    forgetRunRecord(reports);
    expect(await certifyQuietly([])).toBe(2);
  });

  const publicKey = () => parseKey(readFileSync(join(reports, 'certificate-key.public.jwk'), 'utf8'), 'public', 'test');

  test('a gate run certified with the development key verifies, carries every verdict and the score, and no NIN or secret', async () => {
    expect(await certifyQuietly([])).toBe(0);
    const json = readFileSync(join(reports, 'certificate.json'), 'utf8');
    expect(json).not.toContain('14842249091');
    expect(json).not.toContain(SECRET);
    const outcome = await verifyCertificate(readFileSync(join(reports, 'certificate.jws'), 'utf8'), { key: publicKey() });
    expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);
    const cert = outcome.certificate!;
    expect(cert.development).toBe(true);
    expect(cert.suite).toMatchObject({ name: 'nogi-conformance', commit: 'abc123' });
    expect(cert.contracts.errata.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cert.checks.map((c) => c.verdict)).toEqual(['pass', 'pass', 'fail', 'not exercised', 'pass']);
    expect(cert.checks.at(-1)).toMatchObject({ id: 'pact-verification' });
    expect(cert.score).toEqual({ passed: 3, failed: 1, notExercised: 1, percent: 75 });
    // The same key is used again: a second certificate verifies with the same public key.
    expect(await certifyQuietly([])).toBe(0);
    expect((await verifyCertificate(readFileSync(join(reports, 'certificate.jws'), 'utf8'), { key: publicKey() })).ok).toBe(true);
  });

  test('one changed byte fails the signature, with the reason', async () => {
    await certifyQuietly([]);
    const jws = readFileSync(join(reports, 'certificate.jws'), 'utf8').trim();
    const [header, payload, signature] = jws.split('.');
    const text = Buffer.from(payload!, 'base64url').toString('utf8').replace('"fail"', '"pass"');
    const tampered = [header, Buffer.from(text).toString('base64url'), signature].join('.');
    const outcome = await verifyCertificate(tampered, { key: publicKey() });
    expect(outcome.ok).toBe(false);
    expect(outcome.checks[0]).toMatchObject({ name: 'signature', ok: false });
    expect(outcome.checks[0]!.detail).toContain('changed after signing');
    // A flipped character of the signature itself fails too.
    const flipped = jws.slice(0, -2) + (jws.at(-2) === 'A' ? 'B' : 'A') + jws.at(-1);
    expect((await verifyCertificate(flipped, { key: publicKey() })).ok).toBe(false);
  });

  test('a changed errata file makes the certificate foreign, naming the errata', async () => {
    await certifyQuietly([]);
    const contracts = join(dir, 'contracts');
    cpSync(contractsDir, contracts, { recursive: true });
    appendFileSync(versionPaths('b68fec2', join(contracts, 'versions')).errata, '\n# one more line\n');
    const outcome = await verifyCertificate(readFileSync(join(reports, 'certificate.jws'), 'utf8'), { key: publicKey(), contractsDir: contracts });
    expect(outcome.ok).toBe(false);
    const failed = outcome.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual(['contracts']);
    expect(failed[0]!.detail).toContain('errata');
    expect(failed[0]!.detail).not.toContain('upstream');
  });

  test('an expired certificate fails on expiry; another key fails the signature', async () => {
    const key = await loadSigningKey(undefined, env, dir);
    const cert = buildCertificate({ source: 'gate', checks: [{ id: 'a', title: 'a', verdict: 'pass' }], target: { name: 'mock', accessBaseUrl: null, apiBaseUrl: null }, development: true, issuedAt: new Date('2020-01-01T00:00:00Z'), validDays: 30, env });
    const expired = await verifyCertificate(await signCertificate(cert, key), { key: key.privateKey });
    expect(expired.checks.find((c) => !c.ok)).toMatchObject({ name: 'expiry', detail: 'expired at 2020-01-31T00:00:00.000Z' });
    const other = await generateKeyPair('ES256', { extractable: true });
    const foreignKey = parseKey(JSON.stringify(await exportJWK(other.publicKey)), 'public', 'other');
    const outcome = await verifyCertificate(await signCertificate({ ...cert, expiresAt: '2999-01-01T00:00:00.000Z' }, key), { key: foreignKey });
    expect(outcome.checks).toEqual([expect.objectContaining({ name: 'signature', ok: false })]);
  });

  test('verify names the key that verified by its thumbprint, never the kid the header borrows', async () => {
    const genuine = await loadSigningKey(undefined, env, dir);
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const attacker = await loadSigningKey(undefined, { ...env, NOGI_CERT_SIGNING_JWK: JSON.stringify(await exportJWK(privateKey)) }, dir);
    const cert = buildCertificate({ source: 'gate', checks: [{ id: 'a', title: 'a', verdict: 'pass' }], target: { name: 'mock', accessBaseUrl: null, apiBaseUrl: null }, development: false, validDays: 30, env });
    writeFileSync(join(dir, 'forged.jws'), await signCertificate(cert, { ...attacker, kid: genuine.kid }));
    writeFileSync(join(dir, 'attacker.public.jwk'), JSON.stringify(attacker.publicJwk));
    const verifyPrinting = async (argv: string[]): Promise<{ code: number; text: string }> => {
      let text = '';
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => { text += chunk; return true; }) as typeof process.stdout.write;
      try {
        return { code: await runCommandLine(['verify', ...argv], { ...env }, dir), text };
      } finally {
        process.stdout.write = write;
      }
    };
    const forged = await verifyPrinting([join(dir, 'forged.jws'), '--key', join(dir, 'attacker.public.jwk')]);
    const signatureLine = forged.text.split('\n').find((l) => l.includes('signature:'))!;
    expect(signatureLine).toContain(`verified with key ${attacker.kid}`);
    expect(signatureLine).toContain('not marked as a development key');
    expect(forged.text).not.toContain(`with key ${genuine.kid}`);
    // The borrowed kid is reported, and the certificate does not verify.
    expect(forged.text).toContain(`✗ key: the header names key ${genuine.kid}, but the key that verified is ${attacker.kid}`);
    expect(forged.code).toBe(1);
    // The development key's own certificate says so on the signature line.
    await certifyQuietly([]);
    const own = await verifyPrinting([join(reports, 'certificate.jws'), '--key', join(reports, 'certificate-key.public.jwk')]);
    expect(own.text).toContain(`✓ signature: verified with key ${genuine.kid} (RFC 7638 thumbprint, ES256), a DEVELOPMENT key`);
    expect(own.code).toBe(0);
  });

  test('a user key from NOGI_CERT_SIGNING_JWK signs a non-development certificate', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    env.NOGI_CERT_SIGNING_JWK = JSON.stringify(await exportJWK(privateKey));
    expect(await certifyQuietly([])).toBe(0);
    const outcome = await verifyCertificate(readFileSync(join(reports, 'certificate.jws'), 'utf8'), { key: publicKey() });
    expect(outcome.ok).toBe(true);
    expect(outcome.certificate!.development).toBe(false);
    expect(readFileSync(join(reports, 'certificate-key.public.jwk'), 'utf8')).not.toContain('"d"');
  });

  test('--min-score fails below the threshold (exit 1), passes at or above it', async () => {
    expect(await certifyQuietly(['--min-score', '80'])).toBe(1);
    expect(await certifyQuietly(['--min-score', '75'])).toBe(0);
    expect(await certifyQuietly(['--min-score', 'lots'])).toBe(2);
    expect(scoreOf([])).toMatchObject({ percent: 0 });
    expect(parseMinScore(undefined)).toBeUndefined();
    expect(() => parseMinScore('101')).toThrow(/0 to 100/);
    expect(meetsMinScore({ passed: 1, failed: 1, notExercised: 0, percent: 50 }, 60).ok).toBe(false);
  });

  test('gate and onboarding --min-score: the threshold decides instead of "no failure"; a bad value is a usage error', () => {
    const minScoreOf = (argv: string[]) => { const p = parse(argv); return p.kind === 'run' ? p.options.minScore : 'not a run'; };
    expect(minScoreOf(['gate', '--min-score', '80'])).toBe(80);
    expect(minScoreOf(['onboarding'])).toBeUndefined();
    expect(() => parse(['gate', '--min-score', 'high'])).toThrow(UsageError);
    const checks = gateChecks(resultsFromReport(results([{ title: 'a', status: 'passed' }, { title: 'b', status: 'passed' }, { title: 'c', status: 'passed' }, { title: 'd', status: 'failed' }])));
    expect(withMinScore(1, checks, undefined)).toEqual({ exitCode: 1 });
    expect(withMinScore(1, checks, 75)).toMatchObject({ exitCode: 0, line: expect.stringContaining('≥ --min-score 75%') });
    expect(withMinScore(0, checks, 76)).toMatchObject({ exitCode: 1, line: expect.stringContaining('is below --min-score 76%') });
  });

  test('verify --jwks: the key is picked from the issuer\'s JWKS by the certificate\'s kid', async () => {
    await certifyQuietly([]);
    const publicJwk = JSON.parse(readFileSync(join(reports, 'certificate-key.public.jwk'), 'utf8')) as Record<string, unknown>;
    const other = { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid: 'other', alg: 'ES256' };
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [other, publicJwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const outcome = await verifyCertificate(readFileSync(join(reports, 'certificate.jws'), 'utf8'), { jwks: jwksFromUrl(url) });
      expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);
      // The key the set resolved is named by its thumbprint, and its development marker is read.
      expect(outcome.checks[0]!.detail).toBe(`verified with key ${String(publicJwk.kid)} (RFC 7638 thumbprint, ES256), a DEVELOPMENT key`);
      const onlyOther = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [other] })));
      await new Promise<void>((resolve) => onlyOther.listen(0, '127.0.0.1', resolve));
      try {
        const wrong = await verifyCertificate(readFileSync(join(reports, 'certificate.jws'), 'utf8'), { jwks: jwksFromUrl(`http://127.0.0.1:${(onlyOther.address() as AddressInfo).port}/`) });
        expect(wrong.checks).toEqual([expect.objectContaining({ name: 'signature', ok: false })]);
      } finally {
        onlyOther.close();
      }
    } finally {
      server.close();
    }
  });
});
