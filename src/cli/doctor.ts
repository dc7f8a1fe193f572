/**
 * doctor: the pre-flight checks a partner runs first. Each failure comes with its fix; a check that
 * cannot run because an earlier one failed is shown as skipped, with why.
 * Exit 0 when all pass; 2 when the configuration is incomplete (or the machine lacks something);
 * 3 when the target cannot be reached.
 */
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { chromiumExecutable, systemChromium } from '../config/browser.ts';
import { ConfigError } from '../config/target.ts';
import { currentContractVersion, readUpstreamSource } from '../contract/load.ts';
import { redact } from '../reporting/redact.ts';
import type { Invocation } from './command.ts';
import { ExitCode } from './exit-codes.ts';
import { checkConfig, checkReachable, checkTargetReachable } from './preflight.ts';
import { describeUnknown, type EnvFile, type UnknownVariable } from './settings.ts';

export interface Check {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** What was found; for a skipped check, why it did not run. */
  detail: string;
  fix?: string;
  /** What kind of failure this is, for the exit code. */
  kind?: 'config' | 'unreachable';
}

/** The provider's contract version the runs judge by: NOGI_CONTRACT or the default, and a known one. */
function checkContract(env: NodeJS.ProcessEnv): Check {
  const name = 'Contract version';
  try {
    const version = currentContractVersion(env);
    const source = readUpstreamSource(version);
    const how = env.NOGI_CONTRACT?.trim() ? 'NOGI_CONTRACT' : 'the default';
    return { name, status: 'passed', detail: `${version} (${how}; OpenAPI ${source.openapi}${source.published ? `, published ${source.published}` : ''})` };
  } catch (e) {
    return { name, status: 'failed', detail: (e as Error).message, fix: 'Set NOGI_CONTRACT to a version in contracts/versions/index.json, or unset it for the default.', kind: 'config' };
  }
}

export function checkNode(version = process.versions.node): Check {
  const major = Number(version.split('.')[0]);
  return major >= 20
    ? { name: 'Node.js ≥ 20', status: 'passed', detail: `v${version}` }
    : { name: 'Node.js ≥ 20', status: 'failed', detail: `v${version}`, fix: 'Install Node.js 20 or newer (https://nodejs.org, or nvm install 20).', kind: 'config' };
}

async function checkPact(): Promise<Check> {
  process.env.LOG_LEVEL ??= 'error';
  try {
    const core = await import('@pact-foundation/pact-core');
    const lib = core.getFfiLib('error');
    return { name: 'Pact native library', status: 'passed', detail: `pact_ffi ${lib.pactffiVersion()}` };
  } catch (error) {
    return {
      name: 'Pact native library',
      status: 'failed',
      detail: redact((error as Error).message.split('\n')[0] ?? 'failed to load'),
      fix: 'Reinstall with `npm ci` on this machine (the library ships in @pact-foundation/pact-core-<os>-<arch>); on Alpine use a glibc image.',
      kind: 'config',
    };
  }
}

function checkChromium(): Check {
  const explicit = process.env.NOGI_CHROMIUM_PATH;
  if (explicit && !existsSync(explicit)) {
    return { name: 'Chromium', status: 'failed', detail: `NOGI_CHROMIUM_PATH=${explicit} does not exist`, fix: 'Point NOGI_CHROMIUM_PATH at a Chromium binary, or unset it.', kind: 'config' };
  }
  const executable = chromiumExecutable();
  if (executable) return { name: 'Chromium', status: 'passed', detail: executable };
  // undefined means Playwright's own build, if it exists; chromiumExecutable() checked that.
  let bundled: boolean;
  try {
    bundled = existsSync(chromium.executablePath());
  } catch {
    bundled = false;
  }
  return bundled
    ? { name: 'Chromium', status: 'passed', detail: "Playwright's own build" }
    : {
        name: 'Chromium',
        status: 'failed',
        detail: `neither Playwright's Chromium nor ${systemChromium} found`,
        fix: 'Install the system package (Debian/Ubuntu: `apt-get install chromium`) or set NOGI_CHROMIUM_PATH; regular-consent checks need it.',
        kind: 'config',
      };
}

function checkLoopback(): Promise<Check> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      resolve({
        name: 'Loopback binding (127.0.0.1)',
        status: 'failed',
        detail: error.code ?? error.message,
        fix: 'The simulator and callback capture listen on 127.0.0.1 on a free port: allow local listening sockets (container network mode, firewall, sandbox).',
        kind: 'config',
      }),
    );
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve({ name: 'Loopback binding (127.0.0.1)', status: 'passed', detail: `listened on 127.0.0.1:${port}` }));
    });
  });
}

async function checkTarget(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const name = env.NOGI_TARGET ?? 'mock';
  let target;
  try {
    target = await checkConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return [
      {
        name: `.env complete for ${name}`,
        status: 'failed',
        detail: `missing or invalid:\n${error.problems.map((p) => `      - ${p}`).join('\n')}`,
        fix: 'Set these in .env (copy .env.example) or in the environment.',
        kind: 'config',
      },
      { name: 'Target reachable', status: 'skipped', detail: `needs a complete .env for ${name}` },
    ];
  }
  if (!target) {
    return [
      { name: '.env complete for mock', status: 'passed', detail: 'nothing needed: the runner starts the simulator with its own clients' },
      await checkSimulatorStarts(),
    ];
  }
  const optional: string[] = [];
  if (!target.client.redirectUri) optional.push('NOGI_REDIRECT_URI (regular consent is skipped without it)');
  const checks: Check[] = [
    {
      name: `.env complete for ${name}`,
      status: 'passed',
      detail: `client ${target.client.clientId}, access ${target.accessBaseUrl}, API ${target.apiBaseUrl}` +
        (optional.length ? `\n      optional, not set: ${optional.join('; ')}` : ''),
    },
  ];
  for (const p of await checkTargetReachable(target)) {
    checks.push(
      p.ok
        ? { name: `Target reachable: ${p.name}`, status: 'passed', detail: `${p.url} → HTTP ${p.status} in ${Math.round(p.ms)} ms` }
        : {
            name: `Target reachable: ${p.name}`,
            status: 'failed',
            detail: `${p.url}: ${p.problem}`,
            fix: 'Check the base URL in .env, DNS, VPN or proxy (HTTPS_PROXY), and that NoGi allows your outbound IP address.',
            kind: 'unreachable',
          },
    );
  }
  return checks;
}

/** mock: the simulator each run starts must start here (fixtures valid, contract loads, ports). */
async function checkSimulatorStarts(): Promise<Check> {
  const name = 'Target reachable: the simulator starts';
  try {
    const { startSimulator } = await import('../simulator/index.ts');
    const sim = await startSimulator({ host: '127.0.0.1', log: () => undefined });
    try {
      const p = await checkReachable('discovery', sim.discoveryUrl);
      return p.ok && p.status === 200
        ? { name, status: 'passed', detail: `${sim.discoveryUrl} → HTTP 200 in ${Math.round(p.ms)} ms (stopped again)` }
        : { name, status: 'failed', detail: `${sim.discoveryUrl}: ${p.problem ?? `HTTP ${p.status}`}`, fix: 'Run `npm run mock` to see the simulator’s own error.', kind: 'config' };
    } finally {
      await sim.close();
    }
  } catch (error) {
    return { name, status: 'failed', detail: redact((error as Error).message.split('\n').slice(0, 4).join(' ')), fix: 'Fix what the message names (fixtures/simulator/, contracts/), or run `npm run mock` to see the error in full.', kind: 'config' };
  }
}

const marks = { passed: '✓', failed: '✗', skipped: '-' } as const;

function formatCheck(check: Check): string {
  const lines = [`${marks[check.status]} ${check.name}: ${check.status === 'skipped' ? `skipped: ${check.detail}` : check.detail}`];
  if (check.status === 'failed' && check.fix) lines.push(`    fix: ${check.fix}`);
  return redact(lines.join('\n'));
}

/** Which .env was read: a partner with two clones learns here which one counts. */
function checkEnvFile(envFile: EnvFile): Check {
  const name = 'Settings file';
  const nogi = envFile.names.filter((n) => /^(NOGI|PACT)_/.test(n)).length;
  return envFile.found
    ? { name, status: 'passed', detail: `read ${envFile.path} (${nogi} NOGI_/PACT_ ${nogi === 1 ? 'variable' : 'variables'}; the environment wins over it)` }
    : { name, status: 'passed', detail: `no ${envFile.path}: settings from the environment only (copy .env.example to .env)` };
}

/** NOGI_* names .env.example does not list: most likely typos of one it does. */
function checkKnownVariables(unknown: UnknownVariable[]): Check {
  const name = 'Known NOGI_* variables';
  return unknown.length === 0
    ? { name, status: 'passed', detail: 'every NOGI_* variable set is one .env.example lists' }
    : {
        name,
        status: 'failed',
        detail: `not a setting of nogi-conformance:\n${unknown.map((v) => `      - ${describeUnknown(v)}`).join('\n')}`,
        fix: 'Rename or remove them; .env.example lists every setting. The other commands refuse to start while one is set.',
        kind: 'config',
      };
}

export async function doctor({ env, envFile, unknownVariables }: Pick<Invocation, 'env' | 'envFile' | 'unknownVariables'>): Promise<number> {
  process.stdout.write(`nogi-conformance doctor (target: ${env.NOGI_TARGET ?? 'mock'})\n\n`);
  const checks: Check[] = [];
  const report = (c: Check): void => {
    checks.push(c);
    process.stdout.write(`${formatCheck(c)}\n`);
  };
  report(checkNode());
  report(await checkPact());
  report(checkChromium());
  report(checkEnvFile(envFile));
  report(checkKnownVariables(unknownVariables));
  const contract = checkContract(env);
  report(contract);
  // The target checks read the contract (audiences, operations): they need a version that exists.
  if (contract.status === 'failed') report({ name: 'Target', status: 'skipped', detail: 'needs a known contract version' });
  else for (const c of await checkTarget(env)) report(c);
  report(await checkLoopback());
  const count = (status: Check['status']): number => checks.filter((c) => c.status === status).length;
  const skipped = count('skipped');
  process.stdout.write(`\n${count('passed')} passed, ${count('failed')} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  const failed = checks.filter((c) => c.status === 'failed');
  if (failed.some((c) => c.kind === 'config')) return ExitCode.config;
  if (failed.some((c) => c.kind === 'unreachable')) return ExitCode.unreachable;
  return ExitCode.passed;
}
