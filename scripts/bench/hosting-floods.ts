/**
 * npm run bench:floods [-- --requests N]   (default 20000)
 *
 * A hosted sandbox under the floods issue 18 names, against `npm run mock` with ops on (its SQLite
 * store, an admin token of its own):
 *   - N tenant creations (`POST /clients` with the admin token): refused past NOGI_SIM_MAX_TENANTS,
 *     and RSS growth measured (the bound is 50 MB);
 *   - N more with 2,000-character names: every one refused;
 *   - N requests to made-up admin paths: /metrics stays small (the bound is 100 kB).
 * Prints the figures and whether each bound is met; never a timed assertion.
 */
import { randomBytes } from 'node:crypto';
import { freePort } from '../../src/config/ports.ts';
import { benchArgs, Option, wholeNumber } from './args.ts';
import { load } from './load.ts';
import { rssOf, startSimulatorProcess } from './servers.ts';

const script = 'bench:floods';
const { requests } = benchArgs<{ requests: number }>(script, [
  new Option('--requests <n>', 'requests of each flood, 100-200000').argParser(wholeNumber('--requests', 100, 200_000)).default(20_000),
]);
const MiB = 2 ** 20;
const settle = () => new Promise((r) => setTimeout(r, 2_000));

const adminPort = await freePort();
const token = randomBytes(24).toString('base64url');
const sim = await startSimulatorProcess([], { NOGI_SIM_TEST_MODE: '1', NOGI_SIM_ADMIN_PORT: String(adminPort), NOGI_SIM_ADMIN_TOKEN: token });
const admin = `http://127.0.0.1:${adminPort}`;
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const tenant = (name: string) => JSON.stringify({ name, integratedConsent: true, redirect_uris: ['http://127.0.0.1:65010/callback'] });
try {
  await settle();
  const start = await rssOf(sim.pid);
  const created = await load({ url: `${admin}/clients`, method: 'POST', headers, bodyFor: () => tenant(`flood ${randomBytes(6).toString('hex')}`), connections: 16, duration: 300, amount: requests });
  await settle();
  const afterTenants = await rssOf(sim.pid);
  const long = await load({ url: `${admin}/clients`, method: 'POST', headers, body: tenant('n'.repeat(2000)), connections: 16, duration: 300, amount: requests });
  const paths = await load({ url: `${admin}/made-up-${randomBytes(4).toString('hex')}`, method: 'GET', headers, connections: 16, duration: 300, amount: requests });
  // autocannon repeats one URL: also a spread of distinct made-up paths, as a prober would send.
  for (let i = 0; i < 2000; i++) await fetch(`${admin}/probe-${i}/x`, { headers });
  const metrics = await (await fetch(`${admin}/metrics`, { headers })).text();
  await settle();
  const end = await rssOf(sim.pid);
  const growth = (afterTenants - start) / MiB;
  const line = (label: string, value: string, ok?: boolean) => process.stdout.write(`  ${label.padEnd(58)} ${value}${ok === undefined ? '' : ok ? '  met' : '  NOT met'}\n`);
  process.stdout.write(`# A hosted sandbox under floods (${requests} requests each)\n\n`);
  line('tenant creations: created / refused past the cap', `${created.requests - created.non2xx} / ${created.non2xx}`);
  line('RSS growth after the tenant flood (bound 50 MB)', `${growth.toFixed(1)} MiB`, growth < 50);
  line('2,000-character names refused', `${long.non2xx} of ${long.requests}`, long.non2xx === long.requests);
  line('/metrics after made-up admin paths (bound 100 kB)', `${(metrics.length / 1024).toFixed(1)} kB`, metrics.length < 100 * 1024);
  line('requests to made-up paths answered', String(paths.requests));
  line('RSS at the end', `${(end / MiB).toFixed(1)} MiB (start ${(start / MiB).toFixed(1)} MiB)`);
} finally {
  await sim.stop();
}
