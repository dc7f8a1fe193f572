/**
 * `npm run bench`: the benchmarks of the project in one run, printed as ratios measured side by
 * side, written to reports/bench.json and reports/bench.md.
 *   1. response validation with validators compiled once (validation.ts);
 *   2. the simulator against Prism 5 and a bare node:http server, lifecycles with many at once,
 *      and growth with the number of consents (simulator.ts).
 * `--quick` (CI): small counts and short loops, a few seconds in all, to prove the bench works;
 * its figures say nothing. Figures on a shared machine are noisy: compare ratios, not absolutes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchArgs, Option } from './args.ts';
import { benchSimulator, type SimBenchResult } from './simulator.ts';
import { root } from './servers.ts';
import { benchValidation, type ValidationFigures } from './validation.ts';

const values = benchArgs<{ quick?: boolean; out?: string }>('bench', [
  new Option('--quick', 'small counts and short loops: proves the bench runs; its figures mean nothing'),
  new Option('--out <dir>', 'where bench.json and bench.md go (default: reports/, or NOGI_REPORTS_DIR)'),
]);
const quick = values.quick ?? false;
const outDir = values.out ?? join(root, process.env.NOGI_REPORTS_DIR ?? 'reports');
const t0 = performance.now();
/** Lines carry the seconds since the start: where a run spends its time. */
const log = (line: string) => console.log(`${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}s ${line}`);

/** The machine and date every figure of this run was measured on. */
const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}`, loadavg1m: loadavg()[0] ?? 0, date: new Date().toISOString() };
const stamp = { cores: machine.cores, node: machine.node, date: machine.date };

log(`# nogi-conformance bench (${quick ? 'quick: small counts, proves the bench runs; figures mean nothing' : 'full'})`);
log(`${machine.cores} cores (${machine.cpu}), Node ${machine.node}, load ${machine.loadavg1m.toFixed(2)}, ${machine.date}`);
log('\n## Response validation');
const validation: ValidationFigures = await benchValidation(quick ? 100 : 2000, log);
log('\n## Simulator, Prism 5 and bare node:http (32 connections)');
const sim: SimBenchResult = await benchSimulator({ quick, log });

const rps = (endpoint: string, server: string) => sim.throughput.find((t) => t.endpoint.endsWith(endpoint) && t.server === server && t.non2xx === 0 && t.errors === 0)?.rps;
const ratio = (a: number | null | undefined, b: number | null | undefined): number | null => (a !== undefined && a !== null && b !== undefined && b !== null && b > 0 ? a / b : null);
/** Server CPU per request (µs) of a run that answered without errors. */
const cpu = (endpoint: string, server: string) => sim.throughput.find((t) => t.endpoint.endsWith(endpoint) && t.server === server && t.non2xx === 0 && t.errors === 0)?.cpuUsPerRequest;
const endpoints = { status: 'GET /v1/debt/{id}/status', debt: 'GET /v1/debt/{id}', put: 'PUT /v1/consent/agreement' };
const growthFirst = sim.growth[0];
const growthLast = sim.growth.at(-1);
const ratios = {
  status_vs_prism: ratio(rps(endpoints.status, 'simulator'), rps(endpoints.status, 'prism')),
  status_vs_bare: ratio(rps(endpoints.status, 'simulator'), rps(endpoints.status, 'bare')),
  // The bare server's CPU per request over the simulator's: the share of bare Node's throughput
  // the simulator would reach with a core each, whatever else runs on the machine.
  status_vs_bare_by_cpu: ratio(cpu(endpoints.status, 'bare'), cpu(endpoints.status, 'simulator')),
  status_vs_prism_by_cpu: ratio(cpu(endpoints.status, 'prism'), cpu(endpoints.status, 'simulator')),
  debt_vs_prism: ratio(rps(endpoints.debt, 'simulator'), rps(endpoints.debt, 'prism')),
  debt_vs_bare: ratio(rps(endpoints.debt, 'simulator'), rps(endpoints.debt, 'bare')),
  put_vs_prism: ratio(rps(endpoints.put, 'simulator'), rps(endpoints.put, 'prism')),
  put_vs_bare: ratio(rps(endpoints.put, 'simulator'), rps(endpoints.put, 'bare')),
  put_largest_vs_smallest: ratio(growthLast?.putMs, growthFirst?.putMs),
  feed_page_largest_vs_smallest: ratio(growthLast?.feedPageMs, growthFirst?.feedPageMs),
  validation_compiled_once_speedup: validation.speedup,
};
const statusSim = sim.throughput.find((t) => t.endpoint === endpoints.status && t.server === 'simulator');
const goal = (name: string, value: number | null | undefined, met: (v: number) => boolean) => ({ goal: name, value: value ?? null, met: value === null || value === undefined ? null : met(value) });
const goals = [
  goal('status lookups >= 5x Prism (issue 19)', ratios.status_vs_prism, (v) => v >= 5),
  goal('status lookups >= 25% of bare Node', ratios.status_vs_bare, (v) => v >= 0.25),
  goal('status p99 < 5 ms at 32 connections', statusSim?.p99Ms, (v) => v < 5),
  // The goal is at 100k consents: the label says the counts this run reached.
  goal(`PUT at ${growthLast?.consents} consents within 1.5x of ${growthFirst?.consents} (goal: 100k vs 100)`, ratios.put_largest_vs_smallest, (v) => v <= 1.5),
  goal(`feed page at ${growthLast?.consents} consents within 1.5x of ${growthFirst?.consents} (goal: 100k vs 100)`, ratios.feed_page_largest_vs_smallest, (v) => v <= 1.5),
  goal(`${sim.lifecycles.concurrent} concurrent integrated lifecycles in under 1 s with no error (s)`, sim.lifecycles.seconds, (v) => v < 1 && sim.lifecycles.failed === 0),
];

const report = {
  mode: quick ? 'quick' : 'full',
  machine,
  ratios,
  goals,
  simulator: { configuration: sim.configuration, testMode: sim.testMode, prismError: sim.prismError ?? null },
  startup: sim.startup.map((t) => ({ ...t, ...stamp })),
  throughput: sim.throughput.map((t) => ({ ...t, warmupSeconds: sim.warmupSeconds, ...stamp })),
  lifecycles: { ...sim.lifecycles, ...stamp },
  growth: { levels: sim.growth.map((g) => ({ ...g, putRatio: ratio(g.putMs, growthFirst?.putMs), feedPageRatio: ratio(g.feedPageMs, growthFirst?.feedPageMs), ...stamp })), note: sim.growthNote || null },
  memory: { rssPer100kConsentsBytes: sim.rssPer100kConsentsBytes, note: sim.rssNote, ...stamp },
  validation: { ...validation, ...stamp },
};

const f = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits));
const mib = (b: number | null) => (b === null ? 'n/a' : `${(b / 2 ** 20).toFixed(1)} MiB`);
const md = [
  `# Benchmarks${quick ? ' (quick mode: proves the bench runs; the figures mean nothing)' : ''}`,
  '',
  `Measured ${machine.date} on ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}, 1-minute load ${machine.loadavg1m.toFixed(2)} at the start. Load generator (autocannon) and servers share these cores; each server runs in its own process.`,
  '',
  `The simulator runs ${sim.configuration}.${sim.prismError ? ` **Prism was not measured**: ${sim.prismError}` : ' Prism 5 (`prism mock`, static examples) serves the effective contract (upstream + errata) from a temporary file.'} The bare server is node:http answering the simulator's recorded status, headers and body.`,
  '',
  '## Ratios',
  '',
  '| ratio | value |',
  '| --- | --- |',
  ...Object.entries(ratios).map(([k, v]) => `| ${k} | ${f(v)} |`),
  '',
  '## Goals (issue 10)',
  '',
  '| goal | value | met |',
  '| --- | --- | --- |',
  ...goals.map((g) => `| ${g.goal} | ${f(g.value)} | ${g.met === null ? 'n/a' : g.met ? 'yes' : 'no'} |`),
  '',
  `## Throughput and latency (${statusSim?.connections ?? 32} connections)`,
  '',
  '| endpoint | server | req/s | p50 ms | p99 ms | server CPU µs/request | requests | non-2xx | errors |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...sim.throughput.map((t) => `| ${t.endpoint} | ${t.server} | ${f(t.rps, 0)} | ${t.p50Ms} | ${t.p99Ms} | ${f(t.cpuUsPerRequest, 0)} | ${t.requests} | ${t.non2xx} | ${t.errors} |`),
  '',
  `Each server is measured after ${sim.warmupSeconds} s of the same requests (not measured), long enough for the simulator's start-up below to have settled.`,
  '',
  '## Start-up: the simulator\'s first seconds',
  '',
  'Status lookups right after the simulator started, before anything above was measured, slice by slice: the first slices are slower while V8 compiles the hot paths. The p99 goal is the settled figure above; these are what a partner sees in the first seconds after `npm run mock`.',
  '',
  '| after s | req/s | p50 ms | p99 ms | server CPU µs/request | requests | non-2xx |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...sim.startup.map((t) => `| ${f(t.after, 1)} | ${f(t.rps, 0)} | ${t.p50Ms} | ${t.p99Ms} | ${f(t.cpuUsPerRequest, 0)} | ${t.requests} | ${t.non2xx} |`),
  '',
  '## Integrated lifecycles',
  '',
  `${sim.lifecycles.completed} of ${sim.lifecycles.concurrent} run at once completed in ${f(sim.lifecycles.seconds)} s (${f(sim.lifecycles.perSecond, 0)} lifecycles/s) through the one client over undici (httpTransport), every response checked against the contract and every step's expectations: ${sim.lifecycles.lifecycle} (${sim.lifecycles.steps.length} steps: ${sim.lifecycles.steps.join('; ')})${sim.lifecycles.warmup ? `, after ${sim.lifecycles.warmup} at once to warm up (not measured)` : ''}. The simulator's process used ${f(sim.lifecycles.simulatorCpuSeconds)} s of CPU meanwhile (the clients run in the bench's process).${sim.lifecycles.failures.length ? ` Failures: ${sim.lifecycles.failures.join('; ')}` : ''}`,
  '',
  '## Growth with the number of consents',
  '',
  '| consents | PUT ms (median) | ratio | feed page ms (median, limit 100) | ratio | RSS |',
  '| ---: | ---: | ---: | ---: | ---: | ---: |',
  ...report.growth.levels.map((g) => `| ${g.consents} | ${f(g.putMs)} | ${f(g.putRatio)} | ${f(g.feedPageMs)} | ${f(g.feedPageRatio)} | ${mib(g.rssBytes)} |`),
  '',
  `${sim.growthNote ? `Note: ${sim.growthNote}. ` : ''}RSS per 100k consents: ${mib(sim.rssPer100kConsentsBytes)} (${sim.rssNote}).`,
  '',
  '## Response validation',
  '',
  `Compiled once: ${f(validation.compiledOnceUsPerResponse, 1)} µs per response; compiled per response: ${f(validation.compilePerResponseUsPerResponse, 0)} µs; ${f(validation.speedup, 0)}x.`,
  '',
].join('\n');

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(outDir, 'bench.md'), md);
log('\n## Ratios');
for (const [k, v] of Object.entries(ratios)) log(`  ${k.padEnd(34)} ${f(v)}`);
for (const g of goals) log(`  goal: ${g.goal}: ${f(g.value)} ${g.met === null ? '(not measured)' : g.met ? 'met' : 'NOT met'}`);
log(`\nWrote ${join(outDir, 'bench.json')} and bench.md`);
