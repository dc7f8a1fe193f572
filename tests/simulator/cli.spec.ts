/** `npm run mock` (src/simulator/main.ts): prints what it serves, exits 2 on bad values and mistaken flags, stops cleanly. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { defaultFixturesDir, loadSimulatorFixtures, startSimulator } from '../../src/simulator/index.ts';
import { startFromCommandLine } from '../../src/simulator/serve.ts';
import { captured } from '../runs/helpers.ts';

const root = new URL('../../', import.meta.url).pathname;

function run(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts', ...args], {
    cwd: root, env: { ...process.env, NOGI_SIM_LOG: '', NOGI_SIM_ADMIN_TOKEN: '', NOGI_SIM_ADMIN_HOST: '', NOGI_SIM_DATA_DIR: mkdtempSync(join(tmpdir(), 'nogi-sim-data-')), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

const ports0 = { NOGI_SIM_ACCESS_PORT: '0', NOGI_SIM_API_PORT: '0', NOGI_SIM_ADMIN_PORT: '0' };

/**
 * A command line that must not start (a mistake, or --help), in this process: what serve() does
 * before it would run, its output captured. A child process (run above) is for what runs.
 */
async function refused(env: Record<string, string>, args: string[] = []) {
  const { value: started, stdout, stderr } = await captured(() => startFromCommandLine(args, { NOGI_SIM_DATA_DIR: mkdtempSync(join(tmpdir(), 'nogi-sim-data-')), ...env }));
  if (!('exitCode' in started)) {
    await started.sim.close();
    throw new Error(`the simulator started: ${args.join(' ')} ${JSON.stringify(env)}`);
  }
  return { exitCode: started.exitCode, out: stdout, err: stderr };
}

test('prints access, API, discovery and admin URLs that serve, and stops on SIGTERM', async () => {
  const p = run({ ...ports0, NOGI_SIM_TEST_MODE: '1' });
  await expect.poll(() => p.out().split('\n').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
  const [access, api, discovery, admin] = p.out().split('\n');
  expect(access).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(discovery).toBe(`${access}/.well-known/openid-configuration`);
  expect((await (await fetch(discovery!)).json()).issuer).toBe(`${access}/`);
  expect((await fetch(`${api}/feed/v1/consent/lastSequenceNr`)).status).toBe(401);
  expect((await fetch(`${admin}/state`)).status).toBe(401);
  // No NOGI_SIM_ADMIN_TOKEN: the one generated is on stderr, one line, and opens the admin surface.
  const token = /admin token \(generated[^)]*\): (\S+)$/m.exec(p.err())?.[1];
  expect(token, p.err()).toBeTruthy();
  expect((await fetch(`${admin}/state`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  expect(p.out(), 'the token is never in the request log').not.toContain(token);
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(0);
});

test('the request log (written in batches) has the line of every request after SIGTERM, on stdout and in NOGI_SIM_LOG', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'nogi-sim-log-')), 'sim.log');
  for (const env of [{}, { NOGI_SIM_LOG: file }] as Record<string, string>[]) {
    const p = run({ ...ports0, ...env });
    await expect.poll(() => p.out().split('\n').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
    const [access, api] = p.out().split('\n');
    const n = 60;
    await Promise.all(Array.from({ length: n }, (_, i) => fetch(`${api}/feed/v1/consent/lastSequenceNr?i=${i}`)));
    await fetch(`${access}/.well-known/openid-configuration`);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    const log = env.NOGI_SIM_LOG ? readFileSync(file, 'utf8') : p.out().split('\n').slice(3).join('\n');
    const lines = log.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('[api] GET /feed/v1/consent/lastSequenceNr 401'))).toHaveLength(n);
    expect(lines.filter((l) => l.includes('[access] GET /.well-known/openid-configuration 200'))).toHaveLength(1);
    if (env.NOGI_SIM_LOG) for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[/);
  }
});

test('without test mode there is no admin URL', async () => {
  const p = run(ports0, ['--port-access', '0']);
  await expect.poll(() => p.out().split('\n').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
  expect(p.out().trim().split('\n')).toHaveLength(3);
  expect(p.err()).toContain('nogi simulator: no admin surface (it comes with --test-mode or NOGI_SIM_OPS=1');
  p.child.kill('SIGINT');
  expect(await p.exited).toBe(0);
});

for (const [name, env] of [
  ['a port that is not a number', { NOGI_SIM_API_PORT: 'eighty' }],
  ['a public URL that is not a URL', { NOGI_SIM_ACCESS_PUBLIC_URL: 'access.example' }],
  ['deviations without test mode', { NOGI_SIM_DEVIATIONS: 'revoke-ignored' }],
  ['an unknown deviation', { NOGI_SIM_TEST_MODE: '1', NOGI_SIM_DEVIATIONS: 'nope' }],
  ['a test mode that is not a boolean', { NOGI_SIM_TEST_MODE: 'maybe' }],
  ['the admin surface beyond loopback without NOGI_SIM_ADMIN_TOKEN', { NOGI_SIM_TEST_MODE: '1', NOGI_SIM_ADMIN_HOST: '0.0.0.0' }],
  ['an admin token too short to be a secret', { NOGI_SIM_TEST_MODE: '1', NOGI_SIM_ADMIN_TOKEN: 'short' }],
  ['a tenant cap that is not a number', { NOGI_SIM_TEST_MODE: '1', NOGI_SIM_MAX_TENANTS: 'many' }],
] as const) {
  test(`exits 2 with one error line: ${name}`, async () => {
    const p = await refused({ ...ports0, ...env });
    expect(p.exitCode).toBe(2);
    expect(p.err.trim().split('\n')).toHaveLength(1);
    expect(p.err).toMatch(/^nogi simulator: /);
    expect(p.out).toBe('');
  });
}

// The flags go through the suite's one command-line parser (src/command-line.ts), as the CLI's do.
for (const [args, message] of [
  [['--port-acess', '0'], "nogi simulator: unknown option '--port-acess' (Did you mean --port-access?)\n"],
  [['--port-api', 'eighty'], 'nogi simulator: --port-api must be a port number 0-65535, got "eighty"\n'],
  [['--contract', '3770c4f'], 'nogi simulator: --contract: Unknown contract version "3770c4f": this suite vendors b68fec2, 3770c4e (contracts/versions/); did you mean 3770c4e?\n'],
  [['--memory', 'now'], 'nogi simulator: too many arguments. Expected 0 arguments but got 1\n'],
] as const) {
  test(`a mistaken flag is one error line, exit 2: ${args.join(' ')}`, async () => {
    const p = await refused(ports0, [...args]);
    expect(p.exitCode).toBe(2);
    expect(p.err).toBe(message);
    expect(p.out).toBe('');
  });
}

test('--help lists every flag with the setting it overrides, exit 0; a flag wins over its setting', async () => {
  const help = await refused({}, ['--help']);
  expect(help.exitCode).toBe(0);
  for (const flag of ['--host', '--port-access', '--port-api', '--port-admin', '--admin-host', '--test-mode', '--fixtures', '--deviations', '--data-dir', '--memory', '--contract']) expect(help.out).toContain(flag);
  expect(help.out).toContain('NOGI_SIM_ACCESS_PORT');
  // NOGI_SIM_API_PORT is no port, but --port-api is the one that counts.
  const p = run({ ...ports0, NOGI_SIM_API_PORT: 'eighty' }, ['--port-api', '0', '--memory']);
  await expect.poll(() => p.out().split('\n').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
  expect(p.out().split('\n')[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  p.child.kill('SIGTERM');
  expect(await p.exited).toBe(0);
});

test('invalid fixture files fail with a message naming the file and the field', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nogi-fixtures-'));
  const clientsDoc = JSON.parse(readFileSync(join(defaultFixturesDir, 'clients.json'), 'utf8'));
  clientsDoc.clients[0].client_id = 'not-a-uuid';
  writeFileSync(join(dir, 'clients.json'), JSON.stringify(clientsDoc));
  writeFileSync(join(dir, 'people.json'), readFileSync(join(defaultFixturesDir, 'people.json')));
  expect(() => loadSimulatorFixtures(dir)).toThrow(/clients\.json[\s\S]*\/clients\/0\/client_id/);
  const p = await refused({ ...ports0, NOGI_SIM_FIXTURES: dir });
  expect(p.exitCode).toBe(2);
  expect(p.err).toContain('clients.json');

  const people = JSON.parse(readFileSync(join(defaultFixturesDir, 'people.json'), 'utf8'));
  people.people[0].nin = '14842249092';
  writeFileSync(join(dir, 'clients.json'), readFileSync(join(defaultFixturesDir, 'clients.json')));
  writeFileSync(join(dir, 'people.json'), JSON.stringify(people));
  expect(() => loadSimulatorFixtures(dir)).toThrow(/14842249092 is not a valid NIN/);

  // Which scopes exist is the contract's: a scope no service of the contract has fails at start.
  clientsDoc.clients[0].client_id = '6f1c2a7e-0000-4000-8000-000000000001';
  clientsDoc.clients[0].allowed_scopes = ['consent.create', 'debt.secured.presentation'];
  writeFileSync(join(dir, 'clients.json'), JSON.stringify(clientsDoc));
  writeFileSync(join(dir, 'people.json'), readFileSync(join(defaultFixturesDir, 'people.json')));
  await expect(startSimulator({ fixturesDir: dir, log: () => {} })).rejects.toThrow(/clients\.json: \/clients\/0\/allowed_scopes\/1 "debt\.secured\.presentation" is not a scope of the contract/);
});
