/**
 * The simulator as a program (`npm run mock`: main.ts; `nogi-conformance sandbox`): its flags,
 * parsed by the suite's one command-line parser (src/command-line.ts), over its NOGI_SIM_*
 * settings (listed in main.ts and .env.example). Bad values: one error line, exit 2.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CommandLineError, Option, parseCommandLine } from '../command-line.ts';
import { checkContractVersion, currentContractVersion } from '../contract/load.ts';
import { startSimulator, type RunningSimulator, type SimulatorOptions, type StoreConfig } from './index.ts';
import { LineSink, type LogFn } from './log.ts';

function port(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new CommandLineError(`${name} must be a port number 0-65535, got "${raw}"`);
  return Number(raw);
}

function url(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new CommandLineError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

function bool(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new CommandLineError(`${name} must be 1/true or 0/false, got "${raw}"`);
}

/** A port flag's value: a whole number 0-65535 (0: one the system picks). */
const portFlag = (flag: string) => (text: string): number => port(flag, text, 0);

/** The simulator's flags, each overriding its setting (the doc comment of main.ts lists them). */
function simulatorFlags(): Option[] {
  return [
    new Option('--host <address>', 'bind address of the access and API hosts (NOGI_SIM_HOST; default 127.0.0.1)'),
    new Option('--port-access <n>', 'access (OAuth) host port, 0 for any free one (NOGI_SIM_ACCESS_PORT; default 4410)').argParser(portFlag('--port-access')),
    new Option('--port-api <n>', 'API host port (NOGI_SIM_API_PORT; default 4420)').argParser(portFlag('--port-api')),
    new Option('--port-admin <n>', 'admin port, test mode only (NOGI_SIM_ADMIN_PORT; default 4430)').argParser(portFlag('--port-admin')),
    new Option('--admin-host <address>', 'admin bind address (NOGI_SIM_ADMIN_HOST; default 127.0.0.1 whatever --host is)'),
    new Option('--test-mode', 'the admin surface and response validation (NOGI_SIM_TEST_MODE)'),
    new Option('--fixtures <dir>', 'the fixtures directory (NOGI_SIM_FIXTURES; default fixtures/simulator)'),
    new Option('--deviations <names>', 'deviations to switch on, comma-separated; test mode only (NOGI_SIM_DEVIATIONS)'),
    new Option('--data-dir <dir>', 'the SQLite state directory (NOGI_SIM_DATA_DIR; default .nogi-sim)'),
    new Option('--memory', 'keep nothing across restarts (NOGI_SIM_STORE=memory)'),
    new Option('--contract <version>', 'the provider\'s contract version served (NOGI_CONTRACT; default the index\'s default)').argParser((text: string) => {
      try {
        return checkContractVersion(text);
      } catch (e) {
        throw new CommandLineError(`--contract: ${(e as Error).message}`);
      }
    }),
  ];
}

interface Flags {
  host?: string;
  portAccess?: number;
  portApi?: number;
  portAdmin?: number;
  adminHost?: string;
  testMode?: boolean;
  fixtures?: string;
  deviations?: string;
  dataDir?: string;
  memory?: boolean;
  contract?: string;
}

const description = 'The NoGi simulator: access (OAuth) and API hosts, and in test mode the admin surface. Settings: NOGI_SIM_* (.env.example); a flag overrides its setting.';

/** The simulator's options from its flags over the environment; a CommandLineError for a bad setting. */
function options(flags: Flags, env: NodeJS.ProcessEnv): SimulatorOptions & { log: LogFn; sink: LineSink } {
  const testMode = flags.testMode ?? bool('NOGI_SIM_TEST_MODE', env.NOGI_SIM_TEST_MODE);
  const deviations = (flags.deviations ?? env.NOGI_SIM_DEVIATIONS ?? '').split(',').map((d) => d.trim()).filter(Boolean);
  if (deviations.length && !testMode) throw new CommandLineError('NOGI_SIM_DEVIATIONS needs test mode (NOGI_SIM_TEST_MODE=1 or --test-mode)');
  let contract: string;
  try {
    contract = flags.contract ?? currentContractVersion(env);
  } catch (e) {
    throw new CommandLineError((e as Error).message);
  }
  const sink = logTo(env.NOGI_SIM_LOG);
  return {
    sink,
    contract,
    log: sink.log,
    host: flags.host ?? env.NOGI_SIM_HOST ?? '127.0.0.1',
    adminHost: flags.adminHost ?? (env.NOGI_SIM_ADMIN_HOST || '127.0.0.1'),
    adminToken: env.NOGI_SIM_ADMIN_TOKEN || undefined,
    maxTenants: positive('NOGI_SIM_MAX_TENANTS', env.NOGI_SIM_MAX_TENANTS, 1000),
    tenantIdleMs: positive('NOGI_SIM_TENANT_IDLE_DAYS', env.NOGI_SIM_TENANT_IDLE_DAYS, 30) * 86_400_000,
    accessPort: flags.portAccess ?? port('NOGI_SIM_ACCESS_PORT', env.NOGI_SIM_ACCESS_PORT, 4410),
    apiPort: flags.portApi ?? port('NOGI_SIM_API_PORT', env.NOGI_SIM_API_PORT, 4420),
    adminPort: flags.portAdmin ?? port('NOGI_SIM_ADMIN_PORT', env.NOGI_SIM_ADMIN_PORT, 4430),
    accessPublicUrl: url('NOGI_SIM_ACCESS_PUBLIC_URL', env.NOGI_SIM_ACCESS_PUBLIC_URL),
    apiPublicUrl: url('NOGI_SIM_API_PUBLIC_URL', env.NOGI_SIM_API_PUBLIC_URL),
    testMode,
    fixturesDir: flags.fixtures ?? (env.NOGI_SIM_FIXTURES || undefined),
    deviations,
    store: storeConfig(flags.dataDir, flags.memory ?? false, env),
    ops: bool('NOGI_SIM_OPS', env.NOGI_SIM_OPS),
    processMetrics: true,
    shutdownGraceMs: seconds('NOGI_SIM_SHUTDOWN_GRACE_SECONDS', env.NOGI_SIM_SHUTDOWN_GRACE_SECONDS, 10) * 1000,
    maxConnections: positive('NOGI_SIM_MAX_CONNECTIONS', env.NOGI_SIM_MAX_CONNECTIONS, 1000),
    maxPendingLogins: positive('NOGI_SIM_MAX_PENDING_LOGINS', env.NOGI_SIM_MAX_PENDING_LOGINS, 1000),
    maxPendingLoginsTotal: positive('NOGI_SIM_MAX_PENDING_LOGINS_TOTAL', env.NOGI_SIM_MAX_PENDING_LOGINS_TOTAL, 20_000),
    recordingBodyBytes: positive('NOGI_SIM_RECORDING_BODY_BYTES', env.NOGI_SIM_RECORDING_BODY_BYTES, 16_384),
    recordingBytesPerClient: positive('NOGI_SIM_RECORDING_BYTES_PER_CLIENT', env.NOGI_SIM_RECORDING_BYTES_PER_CLIENT, 4_194_304),
    sweepIntervalMs: seconds('NOGI_SIM_SWEEP_SECONDS', env.NOGI_SIM_SWEEP_SECONDS, 60) * 1000,
  };
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9]\d*$/.test(raw)) throw new CommandLineError(`${name} must be a whole number of 1 or more, got "${raw}"`);
  return Number(raw);
}

function seconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new CommandLineError(`${name} must be a whole number of seconds, got "${raw}"`);
  return Number(raw);
}

/** PostgreSQL when NOGI_SIM_DATABASE_URL is set, memory when asked, else SQLite in the data directory. */
function storeConfig(dataDir: string | undefined, memory: boolean, env: NodeJS.ProcessEnv): StoreConfig {
  const kind = env.NOGI_SIM_STORE ?? '';
  if (kind !== '' && kind !== 'memory' && kind !== 'sqlite' && kind !== 'postgres') throw new CommandLineError(`NOGI_SIM_STORE must be memory, sqlite or postgres, got "${kind}"`);
  const url = env.NOGI_SIM_DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new CommandLineError('NOGI_SIM_DATABASE_URL must be a postgres:// or postgresql:// URL');
    return { engine: 'postgres', url };
  }
  if (kind === 'postgres') throw new CommandLineError('NOGI_SIM_STORE=postgres needs NOGI_SIM_DATABASE_URL');
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
    throw new CommandLineError(`NOGI_SIM_LOG: cannot write ${file}: ${(e as Error).message}`);
  }
}

/**
 * What a command line of the simulator starts: the running simulator with its log, or the exit
 * code of `--help` (0, the help printed) or of a bad flag or setting (2, its one line on stderr).
 */
export async function startFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): Promise<{ sim: RunningSimulator; sink: LineSink } | { exitCode: number }> {
  let sink: LineSink | undefined;
  try {
    const parsed = parseCommandLine('nogi simulator', argv, { description, options: simulatorFlags() });
    if (parsed.kind === 'help') {
      process.stdout.write(parsed.text);
      return { exitCode: 0 };
    }
    const { sink: lines, ...opts } = options(parsed.values as Flags, env);
    sink = lines;
    return { sim: await startSimulator(opts), sink: lines };
  } catch (e) {
    const err = e as Error & { code?: string };
    const message = err.code === 'EADDRINUSE' ? `a port is already in use (${err.message})` : err.message;
    sink?.flush();
    process.stderr.write(`nogi simulator: ${message.split('\n').join('\n  ')}\n`);
    return { exitCode: 2 };
  }
}

/**
 * The simulator as a program: `argv` (its flags) over `env` (its settings); prints what it serves
 * and runs until SIGINT or SIGTERM. A bad flag or setting: one line on stderr, exit 2. `npm run
 * mock` (main.ts) and `nogi-conformance sandbox` both run this.
 */
export async function serve(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const started = await startFromCommandLine(argv, env);
  if ('exitCode' in started) {
    if (started.exitCode !== 0) process.exit(started.exitCode);
    return;
  }
  const { sim, sink } = started;
  process.stderr.write(`nogi simulator: contract ${sim.contract}, state in ${sim.storeDescription}\n`);
  if (sim.adminUrl && !env.NOGI_SIM_ADMIN_TOKEN) process.stderr.write(`nogi simulator: admin token (generated; set NOGI_SIM_ADMIN_TOKEN to choose one): ${sim.adminToken}\n`);
  // Said, not left to be inferred from a missing URL: whoever hosts it knows nothing is exposed.
  if (!sim.adminUrl) process.stderr.write('nogi simulator: no admin surface (it comes with --test-mode or NOGI_SIM_OPS=1, behind a token, on 127.0.0.1 unless --admin-host)\n');
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
