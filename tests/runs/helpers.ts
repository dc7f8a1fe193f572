/**
 * Helpers for the tests of the CLI runs: a simulator on free ports of 127.0.0.1, and the CLI as a
 * child process with a clean environment (nothing inherited from the outer Playwright run).
 */
import { spawn } from 'node:child_process';
import { expect } from '@playwright/test';
import { scanForLeaks, type Needle } from '../../src/reporting/leak-scan.ts';
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
  // A nested run on one worker: a remote target's default of at least 4 pays off where requests wait on the
  // network, not beside the outer run on this machine, where CPU is what npm test waits for and each
  // worker's start-up costs about 2.5 s of it (more than the few tests of most nested runs).
  env.NOGI_WORKERS = '1';
  // Allure's HTML only where a test reads it (all-reports-masked, the installed package): a second of CPU a run.
  env.NOGI_ALLURE_REPORT = '0';
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

/** What `run` writes to this process's stdout and stderr, captured: one at a time per worker. */
export async function captured<T>(run: () => Promise<T>): Promise<{ value: T; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const value = await run();
    return { value, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/**
 * The CLI in this process (src/cli/main.ts runCommandLine, what bin/nogi-conformance.js calls), its
 * output captured: for what a child process would prove nothing more about (usage mistakes,
 * refusals, doctor), without the second or so of CPU each child's start costs npm test.
 */
export async function runCliInProcess(args: string[], env: NodeJS.ProcessEnv, cwd = folderOutsideProject()): Promise<CliResult> {
  const { runCommandLine } = await import('../../src/cli/main.ts');
  const { value: code, stdout, stderr } = await captured(() => runCommandLine(args, { ...env }, cwd));
  return { code, stdout, stderr };
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

/** The secrets, tokens and NINs a run against the simulator could leak (tests/runs/all-reports-masked.spec.ts proves the scanner finds each). */
export const NINS = ['14842249091', '29868099311'];
export const needles: Needle[] = [
  { name: 'client secret A', match: clients.a.client_secret },
  { name: 'client secret B', match: clients.b.client_secret },
  { name: 'client secret C', match: clients.withoutAgreement.client_secret },
  // Every access token and authorization code the simulator issues has this shape.
  { name: 'simulator token', match: /[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}/ },
  // Any compact JWS (ID tokens).
  { name: 'JWT', match: /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/ },
  ...NINS.map((nin) => ({ name: `NIN ${nin.slice(0, 1)}…${nin.slice(-1)}`, match: nin })),
];


/** Every file under a run's reports folder, archives and base64 blobs included: no secret, token or NIN. */
export function expectNoLeaks(dir: string): void {
  const { files, leaks } = scanForLeaks(dir, needles);
  expect(files, `files under ${dir}`).toBeGreaterThan(5);
  expect(leaks.map((l) => `${l.needle} in ${l.where}: …${l.sample}`)).toEqual([]);
}

/** The lines of one numbered item of the onboarding checklist (its title line and its notes). */
export function checklistItem(md: string, title: string): string {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => /^\d+\. /.test(l) && l.includes(title));
  expect(start, `checklist item "${title}" in:\n${md}`).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^\d+\. /.test(l) || l.trim() === '');
  return [lines[start], ...rest.slice(0, end < 0 ? undefined : end)].join('\n');
}
