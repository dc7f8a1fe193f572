/**
 * `npm run mock`: the simulator in the foreground.
 *
 * Environment (flags in brackets override it):
 *   NOGI_CONTRACT               the provider's contract version served (contracts/versions/index.json;
 *                               default its `default`)                     [--contract V]
 *   NOGI_SIM_HOST               bind address, default 127.0.0.1            [--host H]
 *   NOGI_SIM_ACCESS_PORT        access (OAuth) host port, default 4410     [--port-access N]
 *   NOGI_SIM_API_PORT           API host port, default 4420                [--port-api N]
 *   NOGI_SIM_ADMIN_PORT         admin port (test mode only), default 4430  [--port-admin N]
 *   NOGI_SIM_ADMIN_HOST         admin bind address, default 127.0.0.1 whatever --host is [--admin-host H]
 *   NOGI_SIM_ADMIN_TOKEN        Bearer token every admin route but /healthz requires (16+ chars);
 *                               unset: one is generated and printed on stderr. Required to bind
 *                               admin beyond loopback.
 *   NOGI_SIM_ACCESS_PUBLIC_URL  public base URL of the access host (reverse proxy, port mapping)
 *   NOGI_SIM_API_PUBLIC_URL     public base URL of the API host
 *   NOGI_SIM_TEST_MODE          1/true: admin surface, response validation [--test-mode]
 *   NOGI_SIM_FIXTURES           fixtures directory, default fixtures/simulator [--fixtures DIR]
 *   NOGI_SIM_DEVIATIONS         comma list of deviations (test mode)       [--deviations a,b]
 *   NOGI_SIM_LOG                file to append the request log to (default: stdout)
 *   NOGI_SIM_DATA_DIR           SQLite state directory, default .nogi-sim  [--data-dir DIR]
 *   NOGI_SIM_DATABASE_URL       postgres://… : state in PostgreSQL instead (several instances share it)
 *   NOGI_SIM_STORE              memory: keep nothing across restarts      [--memory]
 *   NOGI_SIM_SWEEP_SECONDS      how often expired state is deleted, default 60 (0 = never)
 *   NOGI_SIM_MAX_PENDING_LOGINS unfinished logins per source at once (a browser with its binding
 *                               cookie, else the remote address), default 1000
 *   NOGI_SIM_MAX_PENDING_LOGINS_TOTAL  unfinished logins of all sources together, default 20000
 *   NOGI_SIM_OPS                1/true: /healthz and /metrics on the admin port also outside test mode
 *   NOGI_SIM_SHUTDOWN_GRACE_SECONDS  in-flight requests finish within this on SIGTERM, default 10
 *   NOGI_SIM_MAX_CONNECTIONS    open connections per port, default 1000
 *   NOGI_SIM_MAX_TENANTS        run-time clients (admin POST /clients) at most, default 1000
 *   NOGI_SIM_TENANT_IDLE_DAYS   run-time clients unused this many days are deleted by the sweep, default 30
 * Prints the access base URL, API base URL, discovery URL (and admin URL), one per line, on
 * stdout; where the state lives, and a generated admin token, on stderr (never in the request log).
 * Bad values: one error line, exit 2. Stops cleanly on SIGINT/SIGTERM.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkContractVersion, currentContractVersion } from '../contract/load.ts';
import { startSimulator, type SimulatorOptions, type StoreConfig } from './index.ts';
import { LineSink, type LogFn } from './log.ts';

class UsageError extends Error {}

function port(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new UsageError(`${name} must be a port number 0-65535, got "${raw}"`);
  return Number(raw);
}

function url(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new UsageError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

function bool(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new UsageError(`${name} must be 1/true or 0/false, got "${raw}"`);
}

function options(argv: string[], env: NodeJS.ProcessEnv): SimulatorOptions & { log: LogFn; sink: LineSink } {
  let flags;
  try {
    flags = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        'port-access': { type: 'string' },
        'port-api': { type: 'string' },
        'port-admin': { type: 'string' },
        'admin-host': { type: 'string' },
        'test-mode': { type: 'boolean' },
        fixtures: { type: 'string' },
        deviations: { type: 'string' },
        'data-dir': { type: 'string' },
        memory: { type: 'boolean' },
        contract: { type: 'string' },
      },
    }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const testMode = flags['test-mode'] ?? bool('NOGI_SIM_TEST_MODE', env.NOGI_SIM_TEST_MODE);
  const deviations = (flags.deviations ?? env.NOGI_SIM_DEVIATIONS ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  if (deviations.length && !testMode) throw new UsageError('NOGI_SIM_DEVIATIONS needs test mode (NOGI_SIM_TEST_MODE=1 or --test-mode)');
  let contract: string;
  try {
    contract = flags.contract !== undefined ? checkContractVersion(flags.contract) : currentContractVersion(env);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const sink = logTo(env.NOGI_SIM_LOG);
  return {
    sink,
    contract,
    log: sink.log,
    host: flags.host ?? env.NOGI_SIM_HOST ?? '127.0.0.1',
    adminHost: flags['admin-host'] ?? (env.NOGI_SIM_ADMIN_HOST || '127.0.0.1'),
    adminToken: env.NOGI_SIM_ADMIN_TOKEN || undefined,
    maxTenants: positive('NOGI_SIM_MAX_TENANTS', env.NOGI_SIM_MAX_TENANTS, 1000),
    tenantIdleMs: positive('NOGI_SIM_TENANT_IDLE_DAYS', env.NOGI_SIM_TENANT_IDLE_DAYS, 30) * 86_400_000,
    accessPort: port('NOGI_SIM_ACCESS_PORT', flags['port-access'] ?? env.NOGI_SIM_ACCESS_PORT, 4410),
    apiPort: port('NOGI_SIM_API_PORT', flags['port-api'] ?? env.NOGI_SIM_API_PORT, 4420),
    adminPort: port('NOGI_SIM_ADMIN_PORT', flags['port-admin'] ?? env.NOGI_SIM_ADMIN_PORT, 4430),
    accessPublicUrl: url('NOGI_SIM_ACCESS_PUBLIC_URL', env.NOGI_SIM_ACCESS_PUBLIC_URL),
    apiPublicUrl: url('NOGI_SIM_API_PUBLIC_URL', env.NOGI_SIM_API_PUBLIC_URL),
    testMode,
    fixturesDir: flags.fixtures ?? (env.NOGI_SIM_FIXTURES || undefined),
    deviations,
    store: storeConfig(flags['data-dir'], flags.memory ?? false, env),
    ops: bool('NOGI_SIM_OPS', env.NOGI_SIM_OPS),
    processMetrics: true,
    shutdownGraceMs: seconds('NOGI_SIM_SHUTDOWN_GRACE_SECONDS', env.NOGI_SIM_SHUTDOWN_GRACE_SECONDS, 10) * 1000,
    maxConnections: positive('NOGI_SIM_MAX_CONNECTIONS', env.NOGI_SIM_MAX_CONNECTIONS, 1000),
    maxPendingLogins: positive('NOGI_SIM_MAX_PENDING_LOGINS', env.NOGI_SIM_MAX_PENDING_LOGINS, 1000),
    maxPendingLoginsTotal: positive('NOGI_SIM_MAX_PENDING_LOGINS_TOTAL', env.NOGI_SIM_MAX_PENDING_LOGINS_TOTAL, 20_000),
    sweepIntervalMs: seconds('NOGI_SIM_SWEEP_SECONDS', env.NOGI_SIM_SWEEP_SECONDS, 60) * 1000,
  };
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9]\d*$/.test(raw)) throw new UsageError(`${name} must be a whole number of 1 or more, got "${raw}"`);
  return Number(raw);
}

function seconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new UsageError(`${name} must be a whole number of seconds, got "${raw}"`);
  return Number(raw);
}

/** PostgreSQL when NOGI_SIM_DATABASE_URL is set, memory when asked, else SQLite in the data directory. */
function storeConfig(dataDir: string | undefined, memory: boolean, env: NodeJS.ProcessEnv): StoreConfig {
  const kind = env.NOGI_SIM_STORE ?? '';
  if (kind !== '' && kind !== 'memory' && kind !== 'sqlite' && kind !== 'postgres') throw new UsageError(`NOGI_SIM_STORE must be memory, sqlite or postgres, got "${kind}"`);
  const url = env.NOGI_SIM_DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('NOGI_SIM_DATABASE_URL must be a postgres:// or postgresql:// URL');
    return { engine: 'postgres', url };
  }
  if (kind === 'postgres') throw new UsageError('NOGI_SIM_STORE=postgres needs NOGI_SIM_DATABASE_URL');
  if (memory || kind === 'memory') return { engine: 'memory' };
  return { engine: 'sqlite', file: join(resolve(dataDir ?? (env.NOGI_SIM_DATA_DIR || '.nogi-sim')), 'nogi-sim.db') };
}

/** The request log: the file named, else stdout; written in batches (LineSink), flushed on stop and exit. */
function logTo(file: string | undefined): LineSink {
  if (!file || file === '-') return LineSink.stdout();
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, '');
    return LineSink.file(file);
  } catch (e) {
    throw new UsageError(`NOGI_SIM_LOG: cannot write ${file}: ${(e as Error).message}`);
  }
}

async function main(): Promise<void> {
  let sim;
  let sink: LineSink | undefined;
  try {
    const { sink: lines, ...opts } = options(process.argv.slice(2), process.env);
    sink = lines;
    sim = await startSimulator(opts);
  } catch (e) {
    const err = e as Error & { code?: string };
    const message = err.code === 'EADDRINUSE' ? `a port is already in use (${err.message})` : err.message;
    sink?.flush();
    process.stderr.write(`nogi simulator: ${message.split('\n').join('\n  ')}\n`);
    process.exit(2);
  }
  process.stderr.write(`nogi simulator: contract ${sim.contract}, state in ${sim.storeDescription}\n`);
  if (sim.adminUrl && !process.env.NOGI_SIM_ADMIN_TOKEN) process.stderr.write(`nogi simulator: admin token (generated; set NOGI_SIM_ADMIN_TOKEN to choose one): ${sim.adminToken}\n`);
  sink.flush();
  process.stdout.write(`${sim.accessUrl}\n${sim.apiUrl}\n${sim.discoveryUrl}\n${sim.adminUrl ? `${sim.adminUrl}\n` : ''}`);
  const stop = (signal: string) => {
    process.stderr.write(`nogi simulator: ${signal}, stopping\n`);
    // In-flight requests finish (their log lines too), then every buffered line is written.
    sim.close().then(() => {
      sink.close();
      process.exit(0);
    }, () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

await main();
