/** The CLI surface: help, usage errors, doctor's checks and exit codes, the gate summary. */
import { createServer } from 'node:net';
import { expect, test } from '@playwright/test';
import { gateSummary } from '../../src/cli/gate.ts';
import { parse, runEnvironment } from '../../src/cli/main.ts';
import { checkNode } from '../../src/cli/doctor.ts';
import type { RunResults } from '../../src/cli/results.ts';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, customTarget, runCli, startQuietSimulator } from './helpers.ts';

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('--help lists the commands and the exit codes, exit 0', async () => {
  const r = await runCli(['--help'], cleanEnv({}));
  expect(r.code).toBe(0);
  for (const word of ['doctor', 'gate', 'onboarding', 'health', '--target', 'Exit codes', '3  the target is unreachable']) expect(r.stdout).toContain(word);
});

test('an unknown command or flag is a usage error: exit 2 with the help', async () => {
  const unknown = await runCli(['deploy'], cleanEnv({}));
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('unknown command "deploy"');
  const flag = await runCli(['gate', '--tagret', 'mock'], cleanEnv({}));
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain('--tagret');
  expect(() => parse(['health', '--samples', '500'])).toThrow('--samples');
  expect(() => parse(['gate', '--target', 'prod'])).toThrow('mock, preprod or custom');
});

test('flags override the environment; empty NOGI_* values mean unset', () => {
  const env = runEnvironment(parse(['health', '--target', 'custom', '--spec-url', 'http://127.0.0.1:1/x.json']).options, { NOGI_TARGET: 'preprod', NOGI_ACCESS_BASE_URL: '' });
  expect(env.NOGI_TARGET).toBe('custom');
  expect(env.NOGI_PUBLISHED_SPEC_URL).toBe('http://127.0.0.1:1/x.json');
  expect('NOGI_ACCESS_BASE_URL' in env).toBe(false);
});

test('doctor checks Node, Pact, Chromium, .env, target and loopback; a Node below 20 is refused', async () => {
  const r = await runCli(['doctor'], cleanEnv({ NOGI_TARGET: 'mock' }));
  expect(r.code, r.stdout).toBe(0);
  for (const check of ['Node.js ≥ 20', 'Pact native library: pact_ffi', 'Chromium', '.env complete for mock', 'Target reachable: the simulator starts', 'Loopback binding (127.0.0.1): listened on 127.0.0.1:']) expect(r.stdout).toContain(check);
  expect(checkNode('18.19.0')).toMatchObject({ ok: false, kind: 'config' });
  expect(checkNode('18.19.0').fix).toContain('Node.js 20');
});

test.describe('doctor against a custom target', () => {
  let sim: RunningSimulator;
  test.beforeAll(async () => {
    sim = await startQuietSimulator();
  });
  test.afterAll(async () => {
    await sim?.close();
  });

  test('complete and reachable: exit 0, the secret never printed', async () => {
    const r = await runCli(['doctor'], cleanEnv(customTarget(sim)));
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/✓ Target reachable: access host \(OpenID discovery\): .* → HTTP 200/);
    expect(r.stdout + r.stderr).not.toContain(customTarget(sim).NOGI_CLIENT_SECRET!);
  });

  test('incomplete .env: each missing variable listed with the fix, exit 2', async () => {
    const r = await runCli(['doctor'], cleanEnv({ ...customTarget(sim), NOGI_CLIENT_ID: undefined, NOGI_API_BASE_URL: undefined }));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('NOGI_CLIENT_ID is missing');
    expect(r.stdout).toContain('NOGI_API_BASE_URL is missing');
    expect(r.stdout).toContain('fix: Set these in .env');
  });

  test('unreachable target: the host and the reason, exit 3', async () => {
    const port = await closedPort();
    const r = await runCli(['doctor'], cleanEnv({ ...customTarget(sim), NOGI_API_BASE_URL: `http://127.0.0.1:${port}` }));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`✗ Target reachable: API host: http://127.0.0.1:${port}/feed/v1/consent/lastSequenceNr: connection refused`);
  });
});

test('gate summary names the failing step and its error, per project counts, masked', () => {
  const results: RunResults = {
    errors: [],
    counts: { passed: 1, failed: 1, skipped: 1 },
    tests: [
      { project: 'conformance', file: 'integrated-consent.spec.ts', titlePath: ['Integrated consent'], title: 'Integrated consent', outcome: 'passed', durationMs: 5, annotations: [], steps: [] },
      {
        project: 'conformance', file: 'integrated-consent.spec.ts', titlePath: ['Revoke'], title: 'Revoke', outcome: 'failed', durationMs: 5, annotations: [],
        error: 'outer',
        steps: [{ title: 'Revoke a consent', failed: true, error: 'outer', steps: [{ title: 'Check the status', failed: true, error: 'expected active=false for 14842249091, got true', steps: [] }] }],
      },
      { project: 'pact-provider', file: 'verify.spec.ts', titlePath: ['second client'], title: 'second client', outcome: 'skipped', durationMs: 0, annotations: [{ type: 'skip', description: 'target offers no second client' }], steps: [] },
    ],
  };
  const md = gateSummary(results, 'custom', 1, { status: 'failed', exitCode: 1 });
  expect(md).toContain('Pact verification against the target: **FAILED**');
  expect(gateSummary({ ...results, tests: [results.tests[0]!], counts: { passed: 1, failed: 0, skipped: 0 } }, 'mock', 0, { status: 'passed', exitCode: 0 })).toContain('**PASSED**');
  expect(md).toContain('**FAILED**: 1 passed, 1 failed, 1 skipped');
  expect(md).toContain('| conformance | 1 | 1 | 0 |');
  expect(md).toContain('  - step: Check the status');
  expect(md).toContain('expected active=false for 1*********1, got true');
  expect(md).toContain('second client: target offers no second client');
});
