/**
 * `npm run bench:profile`: the simulator as `npm run mock` runs it, under `node --cpu-prof`, loaded
 * with autocannon (status lookups, debt lookups, consent registrations; bounded in count and
 * time), then the profile summed up: self time by function (file:line) and by module.
 * Writes reports/profile/*.cpuprofile (open it in Chrome DevTools) and reports/profile.md.
 *   npx tsx scripts/bench/profile.ts [--seconds N] [--load status|debt|put|lifecycles ...] [--out DIR]
 * tsx runs the TypeScript as one minified line per file: frames of .ts files are mapped back to
 * their source lines (of the function's start) through the source maps in tsx's transform cache;
 * a frame it cannot map says `:?`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer, type RawSourceMap } from 'source-map';
import { benchArgs, Option, wholeNumber } from './args.ts';
import { cpuSeconds, load, type LoadFigures } from './load.ts';
import { root, startSimulatorProcess } from './servers.ts';
import { lifecycles, partner, requestsAndAnswers } from './simulator.ts';

const loadNames = ['status', 'debt', 'put', 'lifecycles'] as const;
const values = benchArgs<{ seconds: number; load?: string[]; out?: string }>('bench:profile', [
  new Option('--seconds <n>', 'seconds of each load, 1-60').argParser(wholeNumber('--seconds', 1, 60)).default(5),
  new Option('--load <name>', `a load to run, repeatable: ${loadNames.join(', ')} (default: all)`).argParser((text: string, previous: string[] = []) => {
    if (!(loadNames as readonly string[]).includes(text)) throw new Error(`--load ${text}: the loads are ${loadNames.join(', ')}`);
    return [...previous, text];
  }),
  new Option('--out <dir>', 'where profile.md and profile/ go (default: reports/, or NOGI_REPORTS_DIR)'),
]);
const { seconds } = values;
/** The loads to run, all by default: one alone gives a profile of that request only. */
const loadsWanted = new Set(values.load ?? loadNames);
const outDir = values.out ?? join(root, process.env.NOGI_REPORTS_DIR ?? 'reports');
const profileDir = join(outDir, 'profile');
rmSync(profileDir, { recursive: true, force: true });
mkdirSync(profileDir, { recursive: true });

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[] }

const sim = await startSimulatorProcess(['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
const loads: (LoadFigures & { what: string })[] = [];
const lifecycleRuns: { rounds: number; completed: number; failed: number; seconds: number; cpuUsPerLifecycle: number | null }[] = [];
try {
  // The bench's partner (fixture client A, tokens per service) and its requests, as `npm run bench` sends them.
  const p = await partner(sim);
  const { requests } = await requestsAndAnswers(p);
  for (const [name, what, endpoint] of [
    ['status', 'GET status', 'getConsentStatusWithID'],
    ['debt', 'GET debt', 'getDebtWithConsentID'],
    ['put', 'PUT agreement', 'createConsent'],
  ] as const) {
    if (!loadsWanted.has(name)) continue;
    const r = requests[endpoint];
    const figures = await load({ url: p.endpoints.apiBaseUrl + r.path, method: r.method, headers: r.headers, bodyFor: r.fresh, connections: 32, duration: seconds, amount: 500_000, pid: sim.pid });
    loads.push({ what, ...figures });
    console.log(`${what.padEnd(14)} ${figures.rps.toFixed(0).padStart(6)} req/s p50 ${figures.p50Ms} ms p99 ${figures.p99Ms} ms, CPU ${figures.cpuUsPerRequest?.toFixed(0) ?? 'n/a'} µs/request (${figures.requests} requests, ${figures.non2xx} non-2xx)`);
  }
  if (loadsWanted.has('lifecycles')) {
    // Rounds of 200 integrated lifecycles at once (the bench's), for the given seconds.
    const cpuBefore = cpuSeconds(sim.pid);
    const started = performance.now();
    let rounds = 0;
    let completed = 0;
    let failed = 0;
    while (performance.now() - started < seconds * 1000) {
      const round = await lifecycles(p, 200, 60_000);
      rounds += 1;
      completed += round.completed;
      failed += round.failed;
    }
    const cpuAfter = cpuSeconds(sim.pid);
    const run = { rounds, completed, failed, seconds: (performance.now() - started) / 1000, cpuUsPerLifecycle: cpuBefore !== undefined && cpuAfter !== undefined && completed ? ((cpuAfter - cpuBefore) / completed) * 1e6 : null };
    lifecycleRuns.push(run);
    console.log(`lifecycles     ${rounds} rounds of 200 at once, ${completed} completed, ${failed} failed, simulator CPU ${run.cpuUsPerLifecycle?.toFixed(0) ?? 'n/a'} µs/lifecycle`);
  }
} finally {
  await sim.stop();
}

const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no .cpuprofile in ${profileDir}: the simulator did not exit cleanly`);
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
const totalSamples = profile.samples.length;
/**
 * Source maps of the .ts files tsx compiled, by absolute path, from its transform cache: the
 * newest entry for each path (the files of this tree do not change while the profile runs).
 */
function tsxSourceMaps(files: string[]): Map<string, SourceMapConsumer> {
  const maps = new Map<string, SourceMapConsumer>();
  const cache = join(tmpdir(), `tsx-${process.getuid?.() ?? ''}`);
  if (!existsSync(cache)) return maps;
  const wanted = new Set(files);
  const newest = new Map<string, { mtime: number; map: RawSourceMap }>();
  for (const entry of readdirSync(cache)) {
    try {
      const path = join(cache, entry);
      const { map } = JSON.parse(readFileSync(path, 'utf8')) as { map?: RawSourceMap };
      const file = map?.sources.length === 1 && wanted.has(map.sources[0]!) ? map.sources[0]! : undefined;
      const mtime = statSync(path).mtimeMs;
      if (file && map && mtime > (newest.get(file)?.mtime ?? -1)) newest.set(file, { mtime, map });
    } catch {
      // not a transform entry
    }
  }
  for (const [file, { map }] of newest) maps.set(file, new SourceMapConsumer(map));
  return maps;
}
const tsFiles = [...new Set(profile.nodes.map((n) => n.callFrame.url).filter((u) => u.startsWith('file://') && u.endsWith('.ts')).map((u) => fileURLToPath(u)))].filter((f) => existsSync(f));
const sourceMaps = tsxSourceMaps(tsFiles);
const where = (cf: CallFrame): string => {
  if (!cf.url) return `(${cf.functionName || 'native'})`;
  if (!cf.url.startsWith('file://')) return `${cf.url}:${cf.lineNumber + 1}`;
  const file = fileURLToPath(cf.url);
  const path = relative(root, file);
  if (!file.endsWith('.ts')) return `${path}:${cf.lineNumber + 1}`;
  const line = sourceMaps.get(file)?.originalPositionFor({ line: cf.lineNumber + 1, column: cf.columnNumber }).line;
  return `${path}:${line ?? '?'}`;
};
/** What a frame belongs to: a package of node_modules, a file of ours, or Node's internals. */
const moduleOf = (cf: CallFrame): string => {
  if (!cf.url) return `(${cf.functionName || 'native'})`;
  if (cf.url.startsWith('node:')) return 'node: internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(cf.url)?.[1];
  if (pkg) return `npm ${pkg}`;
  return cf.url.startsWith('file://') ? relative(root, fileURLToPath(cf.url)) : cf.url;
};
const byFunction = new Map<string, number>();
const byModule = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (!hits) continue;
  const fn = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame)}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  const m = moduleOf(node.callFrame);
  byModule.set(m, (byModule.get(m) ?? 0) + hits);
}
// A native frame (writev, writeUtf8String, consoleCall) says nothing alone: name its nearest
// caller in JavaScript above the stream layers, so socket writes of responses and writes of log lines are told apart.
const parentOf = new Map<number, ProfileNode>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
const nativeByCaller = new Map<string, number>();
for (const node of profile.nodes) {
  if (node.callFrame.url || !node.hitCount || /^\(/.test(node.callFrame.functionName)) continue;
  let caller = parentOf.get(node.id);
  while (caller && (!caller.callFrame.url || /^node:(net|stream|internal\/stream)/.test(caller.callFrame.url))) caller = parentOf.get(caller.id);
  const key = `${node.callFrame.functionName} ← ${caller ? `${caller.callFrame.functionName || '(anonymous)'} ${where(caller.callFrame)}` : '?'}`;
  nativeByCaller.set(key, (nativeByCaller.get(key) ?? 0) + node.hitCount);
}
const top = (m: Map<string, number>, n: number) => [...m.entries()].sort((x, y) => y[1] - x[1]).slice(0, n);
const pct = (hits: number) => ((hits / totalSamples) * 100).toFixed(1);
const md = [
  '# Simulator CPU profile',
  '',
  `${new Date().toISOString()}, Node ${process.version}; the simulator as \`npm run mock\` runs it (test mode off), under \`node --cpu-prof\`; autocannon, 32 connections, ${seconds} s each:`,
  '',
  '| load | req/s | p50 ms | p99 ms | CPU µs/request (profiled) | requests | non-2xx |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...loads.map((l) => `| ${l.what} | ${l.rps.toFixed(0)} | ${l.p50Ms} | ${l.p99Ms} | ${l.cpuUsPerRequest?.toFixed(0) ?? 'n/a'} | ${l.requests} | ${l.non2xx} |`),
  '',
  ...lifecycleRuns.map((l) => `Integrated lifecycles: ${l.rounds} rounds of 200 at once in ${l.seconds.toFixed(1)} s, ${l.completed} completed, ${l.failed} failed; simulator CPU ${l.cpuUsPerLifecycle?.toFixed(0) ?? 'n/a'} µs per lifecycle.\n`),
  `Self time, share of ${totalSamples} samples (${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, start-up included). Profile: \`${relative(root, join(profileDir, file))}\`.`,
  '',
  '## By module',
  '',
  '| module | self % |',
  '| --- | ---: |',
  ...top(byModule, 25).map(([k, v]) => `| ${k} | ${pct(v)} |`),
  '',
  '## By function',
  '',
  '| function (file:line) | self % |',
  '| --- | ---: |',
  ...top(byFunction, 40).map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${pct(v)} |`),
  '',
  '## Native frames by their nearest JavaScript caller',
  '',
  '| native ← caller (file:line) | self % |',
  '| --- | ---: |',
  ...top(nativeByCaller, 15).map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${pct(v)} |`),
  '',
].join('\n');
writeFileSync(join(outDir, 'profile.md'), md);
console.log(md);
