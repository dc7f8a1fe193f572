/**
 * The servers the benchmark compares, each in a child process of its own on 127.0.0.1 (so the
 * load generator in the parent never shares an event loop with the server it measures):
 * - the simulator as `npm run mock` starts it (src/simulator/main.ts, a partner's configuration);
 * - Prism 5 mocking the effective contract (upstream + errata) written to a temporary file;
 * - a bare `node:http` server (bare-server.ts) answering recorded bytes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/config/ports.ts';
import { loadApiContract } from '../../src/contract/load.ts';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchServer {
  name: string;
  pid: number;
  /** Base URLs the server printed (the simulator: access, then API). */
  urls: string[];
  stop(): Promise<void>;
}

/** Resident set size of a process in bytes (Linux /proc, else `ps`). */
export async function rssOf(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: fall back to ps
  }
  const child = spawn('ps', ['-o', 'rss=', '-p', String(pid)]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await once(child, 'close');
  return Number(out.trim()) * 1024;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

/** Waits for `count` URL lines on stdout, then keeps draining it (a full pipe would stall the server). */
function urlsFrom(child: ChildProcess, name: string, count: number, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const urls: string[] = [];
    let buffered = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`${name} printed no URL within ${timeoutMs} ms: ${stderr.slice(-500)}`)), timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.stdout?.on('data', (d: Buffer) => {
      if (urls.length >= count) return;
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const url = /https?:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
        if (url && urls.length < count) urls.push(url);
      }
      if (urls.length >= count) {
        clearTimeout(timer);
        resolve(urls);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before it was ready: ${stderr.slice(-500)}`));
    });
  });
}

/**
 * The simulator exactly as `npm run mock` runs it (tsx, src/simulator/main.ts, its default
 * configuration: SQLite in a data directory, no test mode, so no admin surface and no response
 * validation; one request log line per request on stdout), on free ports and a fresh temporary
 * data directory. `nodeArgs` adds e.g. --cpu-prof.
 */
export async function startSimulatorProcess(nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<BenchServer> {
  // A data directory of its own, new and removed afterwards: two simulators of one run never share
  // a database file, and no run starts with the consents of an earlier one.
  const dataDir = mkdtempSync(join(tmpdir(), 'nogi-bench-data-'));
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, 'src/simulator/main.ts')], {
    cwd: root,
    env: { ...process.env, NOGI_SIM_ACCESS_PORT: '0', NOGI_SIM_API_PORT: '0', NOGI_SIM_TEST_MODE: '', NOGI_SIM_LOG: '', NOGI_SIM_DEVIATIONS: '', NOGI_SIM_STORE: '', NOGI_SIM_DATABASE_URL: '', NOGI_SIM_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const removeData = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const urls = await urlsFrom(child, 'the simulator', 2, 30_000);
    const stop = stopper(child);
    return { name: 'simulator', pid: child.pid!, urls, stop: () => stop().finally(removeData) };
  } catch (e) {
    child.kill('SIGKILL');
    removeData();
    throw e;
  }
}

/** The effective API contract (upstream + errata), as Prism reads it, in a temporary file. */
export async function writeEffectiveContract(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'nogi-bench-')), 'effective-openapi.json');
  writeFileSync(file, JSON.stringify(await loadApiContract()));
  return file;
}

/** Prism's CLI from node_modules (a devDependency), or undefined when it is not installed. */
export function prismCli(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return join(require.resolve('@stoplight/prism-cli/package.json'), '..', 'dist', 'index.js');
  } catch {
    return undefined;
  }
}

/** `prism mock` (static examples, its default) on the effective contract. */
export async function startPrism(contractFile: string): Promise<BenchServer> {
  const cli = prismCli();
  if (!cli) throw new Error('@stoplight/prism-cli is not installed (npm install)');
  const port = await freePort();
  const child = spawn(process.execPath, [cli, 'mock', '-h', '127.0.0.1', '-p', String(port), contractFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  // Prism prints its routes with the base URL, then "Prism is listening on http://127.0.0.1:PORT".
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Prism did not start within 60 s: ${out.slice(-500)}`)), 60_000);
    const onData = (d: Buffer) => {
      out = (out + d.toString()).slice(-4000);
      if (/listening on/i.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited (${code}): ${out.slice(-500)}`));
    });
  });
  return { name: 'prism', pid: child.pid!, urls: [`http://127.0.0.1:${port}`], stop: stopper(child) };
}

/** A recorded answer the bare server repeats byte for byte. */
export interface RecordedResponse {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The bare `node:http` server (bare-server.ts) answering the recorded responses. */
export async function startBare(responses: RecordedResponse[]): Promise<BenchServer> {
  const file = join(mkdtempSync(join(tmpdir(), 'nogi-bench-')), 'responses.json');
  writeFileSync(file, JSON.stringify(responses));
  const child = spawn(process.execPath, [join(root, 'scripts/bench/bare-server.mjs'), file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const urls = await urlsFrom(child, 'the bare server', 1, 10_000);
  return { name: 'bare', pid: child.pid!, urls, stop: stopper(child) };
}
