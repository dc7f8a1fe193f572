/**
 * npm run bench:remote [-- --delay-ms 100] [--workers 4] [--quick]
 *
 * The conformance specs against the custom target, as NoGi's release gate and a partner's
 * onboarding reach a provider over the internet: through a proxy that holds every response of the
 * access, API and admin hosts for --delay-ms before passing it on. Side by side in one run:
 *   - one worker without the delay (the baseline the outcomes are compared with),
 *   - one worker with the delay (how remote runs went when real targets ran on one worker;
 *     left out with --quick),
 *   - --workers workers without and with the delay.
 * Prints wall times, ratios, and whether every test had the same outcome on several workers as on
 * one. A benchmark, never a timed assertion: the goal line says met or NOT met.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/config/ports.ts';
import { asCustomTarget, startSimulator } from '../../src/simulator/index.ts';
import { benchArgs, Option, wholeNumber } from './args.ts';

const script = 'bench:remote';
const flags = benchArgs<{ delayMs: number; workers: number; quick?: boolean }>(script, [
  new Option('--delay-ms <n>', 'ms each response of the target is held, 0-2000').argParser(wholeNumber('--delay-ms', 0, 2000)).default(100),
  new Option('--workers <n>', 'workers of the delayed run on several workers, 2-64').argParser(wholeNumber('--workers', 2, 64)).default(4),
  new Option('--quick', 'skip the delayed run on one worker'),
]);
const { delayMs, workers } = flags;
/** The issue's goal for the delayed run on several workers. */
const GOAL_SECONDS = 15;
const root = fileURLToPath(new URL('../../', import.meta.url));

/** A reverse proxy to one host that holds each response for `delay()` ms (headers and body alike). */
async function delayingProxy(port: number, upstream: URL, delay: () => number): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      setTimeout(() => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }, delay());
    });
    forward.on('error', (e) => {
      res.writeHead(502).end(`proxy: ${e.message}`);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

interface RunOutcome {
  label: string;
  workers: number;
  delayMs: number;
  seconds: number;
  exitCode: number;
  counts: Record<string, number>;
  outcomes: Map<string, string>;
}

interface JsonSuite { title: string; specs?: Array<{ title: string; tests: Array<{ projectName: string; results: Array<{ status: string; error?: { message?: string } }>; status: string }> }>; suites?: JsonSuite[] }

function outcomesOf(file: string): Map<string, string> {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { suites: JsonSuite[] };
  const out = new Map<string, string>();
  const walk = (suite: JsonSuite, path: string[]): void => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        const last = t.results.at(-1);
        // A failure carries the first line of its error, so the bench says why, not only that.
        const why = last?.status === 'failed' ? ` (${(last.error?.message ?? '').split('\n').find((l) => l.trim()) ?? 'no message'})` : '';
        out.set([...path, spec.title].join(' › '), `${last?.status ?? t.status}${why}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child, [...path, child.title]);
  };
  for (const s of report.suites) walk(s, [s.title]);
  return out;
}

async function conformanceRun(label: string, env: NodeJS.ProcessEnv, workerCount: number, delay: number, setDelay: (ms: number) => void): Promise<RunOutcome> {
  setDelay(delay);
  const dir = mkdtempSync(join(tmpdir(), 'nogi-bench-remote-'));
  const output = join(dir, 'results.json');
  const started = performance.now();
  const exitCode = await new Promise<number>((resolve) => {
    const child = spawn('npx', ['playwright', 'test', '--project=custom', '--reporter=json'], {
      cwd: root,
      env: { ...env, NOGI_WORKERS: String(workerCount), NOGI_REPORTS_DIR: dir, PLAYWRIGHT_JSON_OUTPUT_NAME: output },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
  const seconds = (performance.now() - started) / 1000;
  const outcomes = outcomesOf(output);
  rmSync(dir, { recursive: true, force: true });
  const counts: Record<string, number> = {};
  for (const status of outcomes.values()) {
    const word = status.split(' ')[0]!;
    counts[word] = (counts[word] ?? 0) + 1;
  }
  const line = `${label.padEnd(34)} ${String(workerCount).padStart(2)} workers, ${String(delay).padStart(4)} ms: ${seconds.toFixed(1).padStart(5)} s, exit ${exitCode}, ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`;
  process.stdout.write(`${line}\n`);
  return { label, workers: workerCount, delayMs: delay, seconds, exitCode, counts, outcomes };
}

async function main(): Promise<void> {
  let delay = 0;
  const setDelay = (ms: number): void => {
    delay = ms;
  };
  // The proxies' ports are the public ones (the simulator names them in its answers: issuer,
  // redirects, audiences); the simulator listens on its own, which only the proxies reach.
  const ports = { access: await freePort(), api: await freePort(), admin: await freePort() };
  const real = { access: await freePort(), api: await freePort(), admin: await freePort() };
  const publicUrl = (port: number) => `http://127.0.0.1:${port}`;
  const sim = await startSimulator({
    testMode: true, accessPort: real.access, apiPort: real.api, adminPort: real.admin,
    accessPublicUrl: publicUrl(ports.access), apiPublicUrl: publicUrl(ports.api), log: () => undefined,
  });
  const proxies = await Promise.all((['access', 'api', 'admin'] as const).map((host) => delayingProxy(ports[host], new URL(publicUrl(real[host])), () => delay)));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...asCustomTarget({ accessUrl: publicUrl(ports.access), apiUrl: publicUrl(ports.api), adminUrl: publicUrl(ports.admin), adminToken: sim.adminToken }),
    NOGI_FEED_LAG_SECONDS: '3',
  };
  try {
    process.stdout.write(`# Conformance specs against a remote custom target (a proxy adding ${delayMs} ms to every response)\n\n`);
    const baseline = await conformanceRun('one worker, no delay (baseline)', env, 1, 0, setDelay);
    const runs = [baseline];
    if (!flags.quick) runs.push(await conformanceRun('one worker, delayed', env, 1, delayMs, setDelay));
    const parallel = await conformanceRun('several workers, no delay', env, workers, 0, setDelay);
    const delayed = await conformanceRun('several workers, delayed', env, workers, delayMs, setDelay);
    runs.push(parallel, delayed);
    process.stdout.write('\n## Ratios\n');
    process.stdout.write(`  delayed vs no delay, ${workers} workers      ${(delayed.seconds / parallel.seconds).toFixed(2)}\n`);
    const oneDelayed = runs.find((r) => r.label === 'one worker, delayed');
    if (oneDelayed) process.stdout.write(`  delayed, ${workers} workers vs one worker      ${(delayed.seconds / oneDelayed.seconds).toFixed(2)}\n`);
    const differing = runs.slice(1).flatMap((r) => [...baseline.outcomes].filter(([title, status]) => r.outcomes.get(title) !== status).map(([title, status]) => `${r.label}: ${title}: ${r.outcomes.get(title) ?? 'absent'} (one worker: ${status})`));
    const extra = runs.slice(1).flatMap((r) => [...r.outcomes.keys()].filter((t) => !baseline.outcomes.has(t)).map((t) => `${r.label}: ${t} not in the baseline`));
    process.stdout.write(`  goal: delayed on ${workers} workers in at most ${GOAL_SECONDS} s: ${delayed.seconds.toFixed(1)} ${delayed.seconds <= GOAL_SECONDS ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`  goal: every run passes, with the outcomes of one worker: ${differing.length + extra.length === 0 && runs.every((r) => r.exitCode === 0) ? 'met' : 'NOT met'}\n`);
    for (const line of [...differing, ...extra]) process.stdout.write(`    - ${line}\n`);
  } finally {
    await Promise.all(proxies.map((p) => new Promise((resolve) => p.close(resolve))));
    await sim.close();
  }
}

await main();
