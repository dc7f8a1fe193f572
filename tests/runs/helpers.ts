/**
 * Helpers for the tests of the CLI runs: a simulator on free ports of 127.0.0.1, and the CLI as a
 * child process with a clean environment (nothing inherited from the outer Playwright run).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureClients, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const clients = fixtureClients();

export function startQuietSimulator(): Promise<RunningSimulator> {
  return startSimulator({ host: '127.0.0.1', testMode: false, log: () => undefined });
}

/** The outer run's NOGI_*, TEST_* and PW_* variables would leak into the nested run. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(NOGI_|TEST_|PW_|PLAYWRIGHT_(?!BROWSERS_PATH))/.test(k)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** The custom target pointing at a running simulator, as a partner's .env would. */
export function customTarget(sim: RunningSimulator, client = clients.a, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    NOGI_TARGET: 'custom',
    NOGI_ACCESS_BASE_URL: sim.accessUrl,
    NOGI_API_BASE_URL: sim.apiUrl,
    NOGI_CLIENT_ID: client.client_id,
    NOGI_CLIENT_SECRET: client.client_secret,
    NOGI_REDIRECT_URI: client.redirect_uris[0],
    ...overrides,
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An empty folder outside the project: where a partner would run the CLI from. */
let elsewhere: string | undefined;
export function folderOutsideProject(): string {
  elsewhere ??= mkdtempSync(join(tmpdir(), 'nogi-cli-cwd-'));
  return elsewhere;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000, cwd = folderOutsideProject()): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    // Run from elsewhere: the CLI finds its own files from where it is installed, and must not
    // pick up the project's .env or reports/ through the working directory.
    const child = spawn(process.execPath, [`${root}bin/nogi-conformance.js`, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
