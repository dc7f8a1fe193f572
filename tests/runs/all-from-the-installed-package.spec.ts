/**
 * The package as a partner installs it, in an empty folder outside the project:
 *   npm pack (its prepack builds dist/) → npm init -y → npm i -D <tarball>
 *   → npx nogi-conformance doctor → npx nogi-conformance gate (the bundled simulator, exit 0)
 *   → npx nogi-conformance sandbox (the quick start against it) → a spec of the partner's own,
 *   written against the public entry points, run with `npx playwright test`.
 * And the tarball ships no tests.
 * The longest file of npm test (install, then the full gate): its name sorts first in tests/runs/,
 * so it starts first and the short tests fill in beside it.
 *
 * The install resolves every dependency from npm's cache (`--prefer-offline`: after `npm ci` the
 * cache holds them all). better-sqlite3's prebuilt binary, which a partner's install downloads, is
 * offered from a local folder instead: packed from this clone's own build when the versions match
 * (otherwise it compiles, with Node's headers as scripts/setup.sh gives them).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from '@playwright/test';
import { basicAuthorization } from '../../src/client/credentials.ts';
import type { Certificate } from '../../src/certificate/document.ts';
import { cleanEnv, clients, expectNoLeaks, root } from './helpers.ts';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

interface Run { code: number; stdout: string; stderr: string }

let work = '';
let partner = '';
let tarball = '';
let env: NodeJS.ProcessEnv = {};

/** A command as a partner's shell runs it (npm, npx), with a time limit. */
function sh(command: string, args: string[], cwd: string, timeoutMs: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

const show = (r: Run): string => `exit ${r.code}\n--- stdout\n${r.stdout.slice(-4000)}\n--- stderr\n${r.stderr.slice(-4000)}`;

/** The environment of a partner's shell: nothing of the outer run (NOGI_*, the outer npm's lifecycle, this clone's bins). */
function partnerEnv(): NodeJS.ProcessEnv {
  const base = cleanEnv({});
  for (const key of Object.keys(base)) {
    if (/^npm_/i.test(key) && !/^npm_config_(cache|registry|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|cafile)$/i.test(key)) delete base[key];
    if (key === 'INIT_CWD') delete base[key];
  }
  // The partner's run renders its Allure report, as by default.
  delete base.NOGI_ALLURE_REPORT;
  base.PATH = (base.PATH ?? '').split(delimiter).filter((p) => !p.startsWith(root)).join(delimiter);
  // Node's headers for node-gyp where Debian ships them (as scripts/setup.sh does).
  if (!base.npm_config_nodedir && existsSync('/usr/include/node/common.gypi')) base.npm_config_nodedir = '/usr';
  return base;
}

/** better-sqlite3's prebuilt binary for this Node, from this clone's build, where prebuild-install looks first. */
function localPrebuild(dir: string): Record<string, string> {
  const pkgFile = join(root, 'node_modules', 'better-sqlite3', 'package.json');
  const binary = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(pkgFile) || !existsSync(binary)) return {};
  const { version } = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string };
  mkdirSync(dir, { recursive: true });
  return { version, file: join(dir, `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`) };
}

test.beforeAll(async () => {
  test.setTimeout(420_000);
  work = mkdtempSync(join(tmpdir(), 'nogi-package-'));
  partner = join(work, 'partner');
  mkdirSync(partner);
  env = partnerEnv();

  const packed = await sh('npm', ['pack', '--pack-destination', work, '--json', '--no-audit', '--no-fund'], root, 240_000);
  expect(packed.code, `npm pack (its prepack builds dist/)\n${show(packed)}`).toBe(0);
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);

  const prebuilds = join(work, 'prebuilds');
  const prebuild = localPrebuild(prebuilds);
  if (prebuild.file) {
    const tar = await sh('tar', ['-czf', prebuild.file, 'build/Release/better_sqlite3.node'], join(root, 'node_modules', 'better-sqlite3'), 30_000);
    expect(tar.code, show(tar)).toBe(0);
    env.npm_config_better_sqlite3_local_prebuilds = prebuilds;
  }

  const init = await sh('npm', ['init', '-y'], partner, 60_000);
  expect(init.code, show(init)).toBe(0);
  const install = await sh('npm', ['i', '-D', tarball, '--prefer-offline', '--no-audit', '--no-fund'], partner, 300_000);
  expect(install.code, `npm i -D <tarball> (offline from npm's cache; a failure here may be a dependency missing from the cache)\n${show(install)}`).toBe(0);
});

test.afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball ships no tests, and the built JavaScript it runs', async () => {
  const dry = await sh('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], root, 60_000);
  expect(dry.code, show(dry)).toBe(0);
  const files = (JSON.parse(dry.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  expect(files.filter((f) => f.startsWith('tests/') || f.startsWith('dist/tests/'))).toEqual([]);
  expect(files.filter((f) => f.startsWith('src/') && f.endsWith('.ts')), 'the package runs dist/, not the TypeScript sources').toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['bin/nogi-conformance.js', 'dist/playwright.config.js', 'dist/src/cli/main.js', 'dist/src/public/index.d.ts', 'contracts/versions/index.json', 'fixtures/simulator/clients.json', '.env.example']));
  const installed = JSON.parse(readFileSync(join(partner, 'node_modules', 'nogi-conformance', 'package.json'), 'utf8')) as { private?: boolean };
  expect(installed.private).toBeUndefined();
  expect(existsSync(join(partner, 'node_modules', 'nogi-conformance', 'tests'))).toBe(false);
});

test('npx nogi-conformance doctor passes in the partner\'s folder', async () => {
  const doctor = await sh('npx', ['nogi-conformance', 'doctor'], partner, 60_000);
  expect(doctor.code, show(doctor)).toBe(0);
  expect(doctor.stdout).toMatch(/passed, 0 failed/);
});

// The suite's one full gate run of npm test, as a partner runs it from the installed package: it
// passes --min-score 100, its reports hold no secret, token or NIN, and its certificate verifies
// offline while a changed byte fails with the reason. (The clone's own gate runs in gate.spec.ts.)
test('npx nogi-conformance gate passes against the bundled simulator: --min-score 100, reports in the partner\'s folder with no leak, a certificate that verifies', async () => {
  const gate = await sh('npx', ['nogi-conformance', 'gate', '--min-score', '100'], partner, 240_000);
  expect(gate.code, show(gate)).toBe(0);
  expect(gate.stderr).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|Cannot find module/);
  expect(gate.stdout).toContain('✓ 5. Revoke a consent');
  const reports = join(partner, 'reports');
  expect(gate.stdout).toContain(`Allure report: ${join(reports, 'allure-report', 'index.html')}`);
  const summary = readFileSync(join(reports, 'gate.md'), 'utf8');
  expect(summary).toContain('**PASSED**');
  expect(summary).toContain('Reports: allure-report/index.html, playwright-html/index.html');
  expect(summary).toContain('≥ --min-score 100%');
  expect(summary).toMatch(/Pact verification against the target: \*\*PASSED\*\*/);
  expect(summary).toContain('specs/integrated-consent.spec.js');
  // The structured result certify reads, naming the contract version that judged.
  expect(JSON.parse(readFileSync(join(reports, 'gate.json'), 'utf8'))).toMatchObject({ passed: true, exitCode: 0, strict: true, pact: { status: 'passed' }, contract: { version: '3770c4e' } });
  expectNoLeaks(reports);

  const certify = await sh('npx', ['nogi-conformance', 'certify'], partner, 60_000);
  expect(certify.code, show(certify)).toBe(0);
  expect(certify.stdout).toContain('DEVELOPMENT certificate');
  const certificate = JSON.parse(readFileSync(join(reports, 'certificate.json'), 'utf8')) as Certificate;
  // The mock target's workers use run-time clients on ports picked per run: no client or URL to name.
  expect(certificate).toMatchObject({ source: 'gate', development: true, clientId: null, target: { name: 'mock', accessBaseUrl: null, apiBaseUrl: null }, contract: { version: '3770c4e' } });
  expect(certificate.checks.some((c) => c.verdict === 'pass' && /integrated consent lifecycle/.test(c.title))).toBe(true);
  const text = readFileSync(join(reports, 'certificate.json'), 'utf8') + readFileSync(join(reports, 'certificate.jws'), 'utf8');
  expect(text).not.toContain(clients.a.client_secret);

  const jws = join(reports, 'certificate.jws');
  const key = join(reports, 'certificate-key.public.jwk');
  const verified = await sh('npx', ['nogi-conformance', 'verify', jws, '--key', key], partner, 60_000);
  expect(verified.code, show(verified)).toBe(0);
  expect(verified.stdout).toContain('VALID');
  const [header, payload, signature] = readFileSync(jws, 'utf8').trim().split('.');
  const changed = Buffer.from(payload!, 'base64url').toString('utf8').replace('"development":true', '"development":false');
  writeFileSync(jws, [header, Buffer.from(changed).toString('base64url'), signature].join('.'));
  const tampered = await sh('npx', ['nogi-conformance', 'verify', jws, '--key', key], partner, 60_000);
  expect(tampered.code).toBe(1);
  expect(tampered.stdout).toContain('✗ signature: the signature does not match the content');
});

test('npx nogi-conformance sandbox serves the quick start on the ports it is given', async () => {
  const child = spawn('npx', ['nogi-conformance', 'sandbox', '--port-access', '0', '--port-api', '0'], { cwd: partner, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    // It prints the access, API and discovery URLs, one per line.
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout });
    await Promise.race([
      new Promise<void>((resolve) => reader.on('line', (line) => { lines.push(line.trim()); if (lines.length === 3) resolve(); })),
      exited.then((code) => { throw new Error(`the sandbox stopped (exit ${code}): ${stderr}`); }),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no URLs within 60 s: ${stderr}`)), 60_000)),
    ]);
    const [access, api, discovery] = lines as [string, string, string];
    expect(discovery).toBe(`${access}/.well-known/openid-configuration`);
    const document = await fetch(discovery);
    expect(document.status).toBe(200);
    expect(((await document.json()) as { token_endpoint: string }).token_endpoint).toMatch(/\/oauth2\/token$/);

    // The provider's quick start, steps 1 and 2: a consent.create token, then a consent registered.
    const token = await fetch(`${access}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basicAuthorization({ clientId: clients.a.client_id, clientSecret: clients.a.client_secret }), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', audience: 'https://api-preprod.norskgjeld.no/v1/consent/agreement', scope: 'consent.create' }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const consent = await fetch(`${api}/v1/consent/agreement`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ nin: '14842249091', scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30, client_consent_id: 'my-unique-id-001' }),
    });
    expect(consent.status).toBe(200);
    // npm run mock's default store: SQLite in the folder it runs from.
    expect(existsSync(join(partner, '.nogi-sim', 'nogi-sim.db'))).toBe(true);
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  expect(stderr).toContain('stopping');
});

test('a partner\'s own spec against the public entry points runs with npx playwright test', async () => {
  // The package is ES modules (its fixtures await the contract at load): so is the partner's project.
  const esm = await sh('npm', ['pkg', 'set', 'type=module'], partner, 30_000);
  expect(esm.code, show(esm)).toBe(0);
  writeFileSync(join(partner, 'playwright.config.ts'), [
    "import { defineNoGiConfig } from 'nogi-conformance/config';",
    '',
    "export default defineNoGiConfig({ testDir: 'tests', outputDir: 'test-results' });",
    '',
  ].join('\n'));
  mkdirSync(join(partner, 'tests'));
  writeFileSync(join(partner, 'tests', 'our-integration.spec.ts'), `
import { NoGiClient } from 'nogi-conformance';
import { debtScope, expect, integratedConsentLifecycle, step, test } from 'nogi-conformance/test';

test('the integrated consent lifecycle, as the gate runs it', async ({ nogi, target, tokens }) => {
  await integratedConsentLifecycle({ nogi, target, tokens });
});

test('our own flow: a consent registered, then its status', async ({ nogi, target, tokens }) => {
  expect(nogi).toBeInstanceOf(NoGiClient);
  const consent = await step('Register a consent', async () => {
    const registered = await nogi.registerAgreement(await tokens.agreement, {
      nin: target.nins.withDebt,
      scope_of_consent: debtScope,
      consent_duration_days: 30,
      client_consent_id: 'partner-' + Date.now(),
    });
    expect(registered.status).toBe(200);
    return registered.data.consent;
  });
  await step('Check its status', async () => {
    const status = await nogi.getConsentStatus(await tokens.debt, consent.id);
    expect(status.status).toBe(200);
    expect(status.data.active).toBe(true);
  });
});
`);
  const run = await sh('npx', ['playwright', 'test', '--reporter=list'], partner, 120_000);
  expect(run.code, show(run)).toBe(0);
  expect(run.stdout).toMatch(/2 passed/);
});
