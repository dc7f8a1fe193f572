/**
 * The simulator benchmark: the simulator (as `npm run mock` runs it), Prism 5 on the effective
 * contract and a bare node:http server, side by side in one run; integrated lifecycles with many
 * running at once (the one client over undici); and how a PUT, a feed page and memory grow with the
 * number of consents. Every loop is bounded in count and in time.
 */
import { randomUUID } from 'node:crypto';
import { NoGiClient, type ClientCredentials } from '../../src/client/nogi-client.ts';
import { TokenCache } from '../../src/client/token-cache.ts';
import { httpTransport } from '../../src/client/transport.ts';
import { audiencesFor, preprod } from '../../src/config/target.ts';
import { getCatalogue } from '../../src/contract/catalogue.ts';
import type { DebtScope } from '../../src/contract/schemas.ts';
import { integratedConsent } from '../../src/lifecycles/integrated-consent.ts';
import { runLifecycle, withoutPolling } from '../../src/lifecycles/lifecycle.ts';
import { fixtureClients } from '../../src/simulator/index.ts';
import { cpuSeconds, load, type LoadFigures } from './load.ts';
import { rssOf, startBare, startPrism, startSimulatorProcess, writeEffectiveContract, type BenchServer, type RecordedResponse } from './servers.ts';

export interface SimBenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

export interface Throughput extends LoadFigures {
  endpoint: string;
  server: string;
  connections: number;
}

export interface Lifecycles {
  /** The lifecycle timed (src/lifecycles/), by name, and its steps in order. */
  lifecycle: string;
  steps: string[];
  concurrent: number;
  completed: number;
  failed: number;
  /** The first few failures, as the step and what came back. */
  failures: string[];
  seconds: number;
  perSecond: number;
  /** CPU seconds the simulator's process spent meanwhile (null without /proc): the rest of the time is the clients'. */
  simulatorCpuSeconds: number | null;
  /** Lifecycles run at once before, not measured. */
  warmup: number;
}

export interface GrowthLevel {
  /** Consents asked for. */
  target: number;
  /** Consents the simulator holds (fewer than target when the fill hit its time bound). */
  consents: number;
  putMs: number;
  feedPageMs: number;
  rssBytes: number;
}

/** One second (one slice) of status lookups on the simulator just after its start. */
export interface StartupSlice extends LoadFigures {
  /** Seconds of load before this slice began. */
  after: number;
}

export interface SimBenchResult {
  configuration: string;
  /** The simulator's first seconds of status lookups after its start, before anything is measured: when its latency settles. */
  startup: StartupSlice[];
  warmupSeconds: number;
  testMode: false;
  prismError?: string;
  throughput: Throughput[];
  lifecycles: Lifecycles;
  growth: GrowthLevel[];
  growthNote: string;
  rssPer100kConsentsBytes: number | null;
  rssNote: string;
}

const CONNECTIONS = 32;
const NIN = '14842249091';

/** The three measured requests, by operation (paths from the catalogue). */
const ENDPOINTS = ['getConsentStatusWithID', 'getDebtWithConsentID', 'createConsent'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

function settings(quick: boolean) {
  return quick
    ? { seconds: 0.3, warmupSeconds: 0, startupSlices: 2, sliceSeconds: 0.3, amount: 200, sampleIntervalMs: 100, lifecycles: 20, lifecycleWarmup: 0, levels: [10, 100, 300], fillSeconds: 2, samples: 5 }
    : { seconds: 5, warmupSeconds: 5, startupSlices: 10, sliceSeconds: 1, amount: 200_000, sampleIntervalMs: undefined, lifecycles: 200, lifecycleWarmup: 20, levels: [100, 10_000, 100_000], fillSeconds: 90, samples: 30 };
}

/**
 * The lifecycle the bench times: the integrated consent one, as the gate asserts it, without its
 * feed poll (a poll would time the feed's lag, not the simulator's answers).
 */
export const benchLifecycle = withoutPolling(integratedConsent);

/** A partner's view of the simulator: fixture client A, the preprod audiences (which it accepts), tokens per service from the one cache. */
export async function partner(sim: BenchServer) {
  const catalogue = await getCatalogue();
  const clientA = fixtureClients().a;
  const credentials: ClientCredentials = { clientId: clientA.client_id, clientSecret: clientA.client_secret };
  const endpoints = { accessBaseUrl: sim.urls[0]!, apiBaseUrl: sim.urls[1]! };
  const nogi = new NoGiClient(httpTransport, endpoints);
  const audiences = audiencesFor(catalogue, preprod.apiBaseUrl);
  const debtScope = catalogue.service('debt').scopes[0]! as DebtScope;
  const tokenCache = new TokenCache({ nogi, client: credentials, audiences, scopes: { debt: debtScope } });
  const tokens = { agreement: await tokenCache.agreement, debt: await tokenCache.debt, feed: await tokenCache.feed };
  const registration = (id = `bench-${randomUUID()}`) => ({ nin: NIN, scope_of_consent: debtScope, consent_duration_days: 30, client_consent_id: id });
  return { catalogue, endpoints, nogi, tokens, tokenCache, debtScope, registration, newClient: () => new NoGiClient(httpTransport, endpoints) };
}
export type Partner = Awaited<ReturnType<typeof partner>>;

/** What a request of each endpoint looks like on the wire, and what the simulator answered (for the bare server). */
export async function requestsAndAnswers(p: Partner) {
  const created = await p.nogi.registerAgreement(p.tokens.agreement, p.registration());
  if (!created.ok) throw new Error(`PUT agreement: ${created.status} ${created.text}`);
  const id = created.data.consent.id;
  const json = { 'content-type': 'application/json', accept: 'application/json' };
  const requests: Record<Endpoint, { method: 'GET' | 'PUT'; path: string; headers: Record<string, string>; fresh?: () => string }> = {
    getConsentStatusWithID: { method: 'GET', path: p.catalogue.expandPath('getConsentStatusWithID', { id }), headers: { ...json, authorization: `Bearer ${p.tokens.debt}` } },
    getDebtWithConsentID: { method: 'GET', path: p.catalogue.expandPath('getDebtWithConsentID', { id }), headers: { ...json, authorization: `Bearer ${p.tokens.debt}` } },
    createConsent: { method: 'PUT', path: p.catalogue.expandPath('createConsent'), headers: { ...json, authorization: `Bearer ${p.tokens.agreement}` }, fresh: () => JSON.stringify(p.registration()) },
  };
  const recorded: RecordedResponse[] = [];
  for (const endpoint of ENDPOINTS) {
    const r = requests[endpoint];
    const answer = await httpTransport.send({ method: r.method, url: p.endpoints.apiBaseUrl + r.path, headers: r.headers, body: r.fresh?.() });
    if (answer.status >= 300) throw new Error(`${endpoint}: the simulator answered ${answer.status} ${answer.text}`);
    // The bytes the simulator sent, less what Node's http adds per response itself.
    const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)));
    recorded.push({ method: r.method, path: r.path, status: answer.status, headers, body: answer.text });
  }
  return { requests, recorded };
}

/** `benchLifecycle`, `concurrent` at once, each on its own client (its own exchange history), the tokens from the one cache. */
export async function lifecycles(p: Partner, concurrent: number, timeBoundMs: number): Promise<Lifecycles> {
  const failures: string[] = [];
  const one = async (): Promise<void> => {
    await runLifecycle(benchLifecycle, {
      nogi: p.newClient(), tokens: p.tokenCache, nin: NIN, debtScope: p.debtScope, feedLagMs: 0,
      newClientConsentId: () => `bench-${randomUUID()}`,
    });
  };
  const started = performance.now();
  let completed = 0;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeBoundMs)));
  const all = Promise.all(Array.from({ length: concurrent }, () => one().then(() => void (completed += 1), (e: Error) => void (failures.length < 5 && failures.push(e.message)))));
  const outcome = await Promise.race([all.then(() => 'done' as const), bound]);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  if (outcome === 'timeout') failures.push(`time bound of ${timeBoundMs / 1000} s reached`);
  return { lifecycle: benchLifecycle.name, steps: benchLifecycle.steps.map((st) => st.title), concurrent, completed, failed: concurrent - completed, failures, seconds, perSecond: completed / seconds, simulatorCpuSeconds: null, warmup: 0 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : NaN;
};

/** Median wall time of `samples` sequential requests (each PUT a new consent). */
async function timeOf(samples: number, send: () => Promise<{ status: number }>, expected: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const r = await send();
    times.push(performance.now() - t);
    if (r.status !== expected) throw new Error(`expected ${expected}, got ${r.status}`);
  }
  return median(times);
}

/** A fresh simulator filled level by level through PUT /v1/consent/agreement; at each level the time of a PUT, of a feed page, and RSS. */
async function growth(quick: boolean, sim: BenchServer, log: (l: string) => void): Promise<{ levels: GrowthLevel[]; note: string }> {
  const s = settings(quick);
  try {
    const p = await partner(sim);
    const put = p.catalogue.expandPath('createConsent');
    const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${p.tokens.agreement}` };
    const feedUrl = `${p.endpoints.apiBaseUrl}${p.catalogue.expandPath('feed')}?fromSequenceNr=0&limit=100`;
    const feedHeaders = { accept: 'application/json', authorization: `Bearer ${p.tokens.feed}` };
    let consents = 0;
    const levels: GrowthLevel[] = [];
    let note = '';
    for (const target of s.levels) {
      // The samples below add consents too; fill up to the level less those.
      const missing = target - consents - s.samples;
      if (missing > 0) {
        const fill = await load({ url: p.endpoints.apiBaseUrl + put, method: 'PUT', headers, bodyFor: () => JSON.stringify(p.registration()), connections: CONNECTIONS, duration: s.fillSeconds, amount: missing, sampleIntervalMs: s.sampleIntervalMs });
        consents += fill.requests - fill.non2xx - fill.errors;
        if (fill.non2xx || fill.errors) log(`  fill: ${fill.non2xx} non-2xx, ${fill.errors} errors`);
      }
      const putMs = await timeOf(s.samples, () => httpTransport.send({ method: 'PUT', url: p.endpoints.apiBaseUrl + put, headers, body: JSON.stringify(p.registration()) }), 200);
      consents += s.samples;
      const feedPageMs = await timeOf(s.samples, () => httpTransport.send({ method: 'GET', url: feedUrl, headers: feedHeaders }), 200);
      const level = { target, consents, putMs, feedPageMs, rssBytes: await rssOf(sim.pid) };
      levels.push(level);
      log(`  ${String(consents).padStart(7)} consents: PUT ${putMs.toFixed(2)} ms, feed page ${feedPageMs.toFixed(2)} ms, RSS ${(level.rssBytes / 2 ** 20).toFixed(0)} MiB`);
      if (consents < target) {
        note = `the fill's time bound (${s.fillSeconds} s per level) was reached at ${consents} consents: the last level is that count, not ${target}`;
        break;
      }
    }
    return { levels, note };
  } finally {
    await sim.stop();
  }
}

export async function benchSimulator({ quick, log }: SimBenchOptions): Promise<SimBenchResult> {
  const s = settings(quick);
  const contractFile = await writeEffectiveContract();
  // Start-up is slow (tsx, contracts, validators) and nothing is measured yet: start all at once.
  // The growth phase gets a simulator of its own, fresh, so its consent counts are exact.
  const [sim, growthSim, prismStarted] = await Promise.allSettled([startSimulatorProcess(), startSimulatorProcess(), startPrism(contractFile)]);
  const servers: BenchServer[] = [sim, growthSim, prismStarted].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    if (sim.status === 'rejected') throw sim.reason;
    if (growthSim.status === 'rejected') throw growthSim.reason;
    const p = await partner(sim.value);
    const { requests, recorded } = await requestsAndAnswers(p);
    const prism = prismStarted.status === 'fulfilled' ? prismStarted.value : undefined;
    const prismError = prismStarted.status === 'rejected' ? (prismStarted.reason as Error).message : undefined;
    if (prismError) log(`Prism not measured: ${prismError}`);
    const bare = await startBare(recorded);
    servers.push(bare);

    // The simulator's first seconds under load, slice by slice: how long JIT and the first
    // collections take to settle on this machine, which the warm-up below must cover.
    log(`Start-up: status lookups on the simulator, ${s.startupSlices} slices of ${s.sliceSeconds} s right after its start:`);
    const startup: StartupSlice[] = [];
    const status = requests.getConsentStatusWithID;
    for (let i = 0; i < s.startupSlices; i++) {
      const slice = await load({ url: p.endpoints.apiBaseUrl + status.path, method: status.method, headers: status.headers, connections: CONNECTIONS, duration: s.sliceSeconds, amount: s.amount, sampleIntervalMs: s.sampleIntervalMs, pid: sim.value.pid });
      startup.push({ after: i * s.sliceSeconds, ...slice });
      log(`  ${(i * s.sliceSeconds).toFixed(1).padStart(4)} s  ${slice.rps.toFixed(0).padStart(7)} req/s  p50 ${slice.p50Ms} ms  p99 ${slice.p99Ms} ms  CPU ${slice.cpuUsPerRequest?.toFixed(0) ?? 'n/a'} µs/req`);
    }

    log(`Throughput, each server and request measured after ${s.warmupSeconds} s of the same requests:`);
    const throughput: Throughput[] = [];
    for (const endpoint of ENDPOINTS) {
      const r = requests[endpoint];
      const targets: [string, BenchServer, string][] = [['simulator', sim.value, p.endpoints.apiBaseUrl], ...(prism ? [['prism', prism, prism.urls[0]!] as [string, BenchServer, string]] : []), ['bare', bare, bare.urls[0]!]];
      for (const [server, proc, base] of targets) {
        // Each server warms up on the same requests first (JIT, pools, caches); only then is it measured.
        if (s.warmupSeconds) await load({ url: base + r.path, method: r.method, headers: r.headers, bodyFor: r.fresh, connections: CONNECTIONS, duration: s.warmupSeconds, amount: s.amount });
        const figures = await load({ url: base + r.path, method: r.method, headers: r.headers, bodyFor: r.fresh, connections: CONNECTIONS, duration: s.seconds, amount: s.amount, sampleIntervalMs: s.sampleIntervalMs, pid: proc.pid });
        throughput.push({ endpoint: `${r.method} ${p.catalogue.operation(endpoint).path}`, server, connections: CONNECTIONS, ...figures });
        log(`  ${`${r.method} ${p.catalogue.operation(endpoint).path}`.padEnd(30)} ${server.padEnd(9)} ${figures.rps.toFixed(0).padStart(7)} req/s  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms  CPU ${figures.cpuUsPerRequest?.toFixed(0) ?? 'n/a'} µs/req${figures.non2xx ? `  ${figures.non2xx} non-2xx` : ''}${figures.errors ? `  ${figures.errors} errors` : ''}`);
      }
    }
    await Promise.all([prism, bare].map((x) => x?.stop()));

    log(`Lifecycle "${benchLifecycle.name}" (src/lifecycles/), ${s.lifecycles} at once${s.lifecycleWarmup ? `, after ${s.lifecycleWarmup} at once to warm up (revocation and refusals run here first)` : ''}:`);
    if (s.lifecycleWarmup) {
      const warm = await lifecycles(p, s.lifecycleWarmup, 60_000);
      if (warm.failed) throw new Error(`the lifecycles' warm-up failed: ${warm.failures.join(' | ')}`);
    }
    const cpuBefore = cpuSeconds(sim.value.pid);
    const lc = await lifecycles(p, s.lifecycles, quick ? 20_000 : 60_000);
    const cpuAfter = cpuSeconds(sim.value.pid);
    lc.warmup = s.lifecycleWarmup;
    lc.simulatorCpuSeconds = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : null;
    log(`  ${lc.completed}/${lc.concurrent} in ${lc.seconds.toFixed(2)} s (${lc.perSecond.toFixed(0)}/s), simulator CPU ${lc.simulatorCpuSeconds?.toFixed(2) ?? 'n/a'} s${lc.failures.length ? `; failures: ${lc.failures.join(' | ')}` : ''}`);
    await sim.value.stop();

    log('Growth with the number of consents (a fresh simulator):');
    const g = await growth(quick, growthSim.value, log);
    const first = g.levels[0];
    const last = g.levels.at(-1);
    const per100k = first && last && last.consents > first.consents ? ((last.rssBytes - first.rssBytes) / (last.consents - first.consents)) * 100_000 : null;
    const rssNote = last && last.consents < 100_000
      ? `measured from ${first?.consents} to ${last.consents} consents and scaled linearly to 100k`
      : 'measured from the smallest to the largest level';
    return {
      configuration: 'as `npm run mock` starts it: tsx src/simulator/main.ts, defaults (test mode off: no admin surface, no response validation; one request log line per request on stdout)',
      testMode: false,
      startup,
      warmupSeconds: s.warmupSeconds,
      prismError,
      throughput,
      lifecycles: lc,
      growth: g.levels,
      growthNote: g.note,
      rssPer100kConsentsBytes: per100k,
      rssNote,
    };
  } finally {
    await Promise.all(servers.map((x) => x.stop()));
  }
}
