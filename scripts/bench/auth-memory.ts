/**
 * Memory under a stream of unauthenticated requests (issue 9): N `GET /oauth2/auth` requests,
 * no credentials, each with a 12 kB `state`, against the simulator with its default SQLite store;
 * RSS before, after the stream, and after the sessions expired and the sweep ran. A second round
 * of N shows whether what is left is a high-water mark (the V8 heap keeps pages it grew into) or
 * growth: flat memory adds nothing in round 2.
 * The simulator runs in test mode here, only so the bench can move its clock past the 30-minute
 * session lifetime and run the sweep at once (POST /clock, POST /sweep on the admin port); the
 * request path is the one `npm run mock` serves.
 *   npm run bench:auth-memory [-- --requests N --rounds R]      (default 100000 requests, 2 rounds)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatorAdmin } from '../../src/client/admin-client.ts';
import { httpTransport } from '../../src/client/transport.ts';
import { getCatalogue } from '../../src/contract/catalogue.ts';
import { freePort } from '../../src/config/ports.ts';
import { fixtureClients } from '../../src/simulator/index.ts';
import { benchArgs, Option, wholeNumber } from './args.ts';
import { load, type LoadFigures } from './load.ts';
import { rssOf, startSimulatorProcess } from './servers.ts';

export interface AuthMemoryRound {
  /** 302 (a login session started) until the per-source cap (all from one address here), then 429. */
  load: LoadFigures;
  rssAfterStreamBytes: number;
  rssAfterSweepBytes: number;
  sessionsHeldAfterStream: number;
  sessionsSwept: number;
}

export interface AuthMemoryFigures {
  requestsPerRound: number;
  rssStartBytes: number;
  rounds: AuthMemoryRound[];
  /** After the first round's sweep, minus the start: the issue's bound is 50 MB. */
  growthAfterSweepBytes: number;
  /** After the last round's sweep, minus after the first's: what more requests add. */
  growthInLaterRoundsBytes: number;
  store: string;
}

const settle = () => new Promise((r) => setTimeout(r, 2_000));

export async function benchAuthMemory(requests: number, roundCount: number, log: (line: string) => void): Promise<AuthMemoryFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nogi-bench-auth-'));
  const adminPort = await freePort();
  const adminToken = randomBytes(24).toString('base64url');
  const sim = await startSimulatorProcess([], { NOGI_SIM_TEST_MODE: '1', NOGI_SIM_ADMIN_PORT: String(adminPort), NOGI_SIM_ADMIN_TOKEN: adminToken, NOGI_SIM_DATA_DIR: dataDir, NOGI_SIM_STORE: '' });
  const admin = new SimulatorAdmin(httpTransport, `http://127.0.0.1:${adminPort}`, adminToken);
  try {
    const [accessUrl] = sim.urls;
    const client = fixtureClients().a;
    const catalogue = await getCatalogue();
    const query = new URLSearchParams({
      client_id: client.client_id, redirect_uri: client.redirect_uris[0]!, response_type: 'code',
      scope: catalogue.service('debt').scopes.find((s) => s.endsWith('presentation')) ?? catalogue.service('debt').scopes[0]!,
      state: 's'.repeat(12 * 1024),
    });
    const url = `${accessUrl}${catalogue.operation('authorize').path}?${query}`;
    // Warm up (JIT, pools, SQLite cache), start clean, then the baseline.
    await load({ url, method: 'GET', connections: 8, duration: 10, amount: 500 });
    await admin.reset();
    await settle();
    const rssStartBytes = await rssOf(sim.pid);
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    log(`  RSS at the start: ${mib(rssStartBytes)}`);
    const rounds: AuthMemoryRound[] = [];
    let store = '';
    for (let round = 1; round <= roundCount; round++) {
      const figures = await load({ url, method: 'GET', connections: 32, duration: 900, amount: requests });
      const rssAfterStreamBytes = await rssOf(sim.pid);
      const held = await admin.state();
      const sessionsHeld = held.counts?.sessions;
      if (sessionsHeld === undefined || held.store === undefined) throw new Error(`the admin state has no session count or store: ${JSON.stringify(held)}`);
      store = held.store;
      log(`  round ${round}: ${figures.requests} requests in ${figures.seconds.toFixed(1)} s (login sessions started up to the per-source cap, the rest refused with 429); ${sessionsHeld} sessions held; RSS ${mib(rssAfterStreamBytes)}`);
      await admin.advanceClock(31 * 60);
      const swept = await admin.sweep();
      await settle();
      const rssAfterSweepBytes = await rssOf(sim.pid);
      log(`  round ${round}, after the sweep (${swept.swept.sessions} sessions deleted): RSS ${mib(rssAfterSweepBytes)}, ${mib(rssAfterSweepBytes - rssStartBytes)} from the start`);
      rounds.push({ load: figures, rssAfterStreamBytes, rssAfterSweepBytes, sessionsHeldAfterStream: sessionsHeld, sessionsSwept: swept.swept.sessions });
    }
    return {
      requestsPerRound: requests, rssStartBytes, rounds, store,
      growthAfterSweepBytes: rounds[0]!.rssAfterSweepBytes - rssStartBytes,
      growthInLaterRoundsBytes: rounds.at(-1)!.rssAfterSweepBytes - rounds[0]!.rssAfterSweepBytes,
    };
  } finally {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { requests, rounds } = benchArgs<{ requests: number; rounds: number }>('bench:auth-memory', [
    new Option('--requests <n>', 'unauthenticated GET /oauth2/auth per round, 1-1000000').argParser(wholeNumber('--requests', 1, 1_000_000)).default(100_000),
    new Option('--rounds <n>', 'rounds, 1-5: a later round shows whether what is left grows').argParser(wholeNumber('--rounds', 1, 5)).default(2),
  ]);
  const f = await benchAuthMemory(requests, rounds, console.log);
  const mib = (b: number) => +(b / 2 ** 20).toFixed(1);
  console.log(`\nRSS after ${requests} requests and the sweep: ${mib(f.growthAfterSweepBytes)} MiB from the start (bound: 50 MB)${rounds > 1 ? `; rounds 2-${rounds} added ${mib(f.growthInLaterRoundsBytes)} MiB` : ''}.`);
}
