/**
 * The stateful NoGi simulator: an access (OAuth/OIDC) host, an API host, and in test mode an
 * admin host, each on its own port. See README-level docs in the modules:
 *   access/  discovery, JWKS, /oauth2/auth with login + consent pages, /oauth2/token
 *   api/     the 8 operations of the effective contract on openapi-backend
 *   admin.ts clock, faults, deviations, reset, state (test mode only)
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { getContracts } from '../contract/index.ts';
import { getCatalogue } from '../contract/catalogue.ts';
import { currentContractVersion, loadApiContract, type ContractVersion } from '../contract/load.ts';
import { createAccessApp } from './access/app.ts';
import { createSigningKeys } from './access/keys.ts';
import { createAdminApp } from './admin.ts';
import { createApiApp } from './api/app.ts';
import { checkAnswers, type SimContext } from './context.ts';
import { ExchangeHook, hostServer } from './http.ts';
import { recordExchanges } from './recording.ts';
import { DEFAULT_RECORDING_LIMITS } from '../grading/recorder.ts';
import { checkClientScopes, defaultFixturesDir, FixtureError, fixtureClients, loadSimulatorFixtures } from './fixtures.ts';
import { sanitize } from './log.ts';
import { Deviations, DEVIATIONS, isDeviation } from './deviations.ts';
import { audienceTable, isDebtScope } from './rules.ts';
import { SimMetrics } from './metrics.ts';
import { SimulatorState } from './state.ts';
import { openStore, type Store, type StoreConfig } from './store/index.ts';

export type { StoreConfig } from './store/index.ts';

export interface SimulatorOptions {
  /** The provider's contract version served (contracts/versions/); default NOGI_CONTRACT or the index's default. */
  contract?: ContractVersion;
  /** Bind address of the access and API hosts; default 127.0.0.1. */
  host?: string;
  accessPort?: number;
  apiPort?: number;
  /** The admin surface exists only when testMode (or ops). */
  adminPort?: number;
  /** Bind address of the admin surface, whatever `host` is; default 127.0.0.1. */
  adminHost?: string;
  /**
   * The Bearer token every admin route but /healthz requires. Default: one generated at start
   * (RunningSimulator.adminToken). A non-loopback adminHost refuses to start without one given here.
   */
  adminToken?: string;
  /** Run-time clients (tenants, admin POST /clients) at most; more are refused with 409. Default 1000. */
  maxTenants?: number;
  /** Run-time clients unused this long (wall clock) are deleted by the sweep. Default 30 days. */
  tenantIdleMs?: number;
  /** Public base URLs, for a reverse proxy or port mapping; default http://host:port. */
  accessPublicUrl?: string;
  apiPublicUrl?: string;
  /** Enables the admin surface (clock, faults, reset, deviations) and response validation. */
  testMode?: boolean;
  fixturesDir?: string;
  /** Test-mode deviations switched on from the start. */
  deviations?: string[];
  /** One line per request, secrets masked. Default console.log. */
  log?: (line: string) => void;
  /** Where the state lives; default in memory (tests). `npm run mock` defaults to SQLite. */
  store?: StoreConfig;
  /** Process metrics (CPU, memory, event loop) in /metrics too; `npm run mock` turns them on. */
  processMetrics?: boolean;
  /** Outside test mode: serve /healthz and /metrics on the admin port anyway (a hosted sandbox). */
  ops?: boolean;
  /** Shutdown: in-flight requests get this long to finish before their connections are cut. Default 10 s. */
  shutdownGraceMs?: number;
  /** Open connections per port at most; more are refused. Default 1000. */
  maxConnections?: number;
  /** Unfinished logins one browser or remote address may have at once (NOGI_SIM_MAX_PENDING_LOGINS); default 1000. */
  maxPendingLogins?: number;
  /** Unfinished logins of all browsers and addresses together (NOGI_SIM_MAX_PENDING_LOGINS_TOTAL); default 20,000. */
  maxPendingLoginsTotal?: number;
  /** A recorded request or response body larger than this (JSON bytes) keeps only what grading reads (NOGI_SIM_RECORDING_BODY_BYTES); default 16 KiB. */
  recordingBodyBytes?: number;
  /** Each client's grading recording at most, oldest exchanges dropped first (NOGI_SIM_RECORDING_BYTES_PER_CLIENT); default 4 MiB. */
  recordingBytesPerClient?: number;
  /** How often expired sessions, codes, tokens and old feed events are deleted; 0 = never (POST /sweep). Default 60 s. */
  sweepIntervalMs?: number;
}

export interface RunningSimulator {
  /** The provider's contract version it serves. */
  contract: ContractVersion;
  accessUrl: string;
  apiUrl: string;
  adminUrl?: string;
  /** The Bearer token of the admin surface (given, or generated at start). */
  adminToken: string;
  discoveryUrl: string;
  issuer: string;
  /** Where the state lives (engine and file or database, never a password). */
  storeDescription: string;
  close(): Promise<void>;
}

export { loadSimulatorFixtures, fixtureClients, defaultFixturesDir } from './fixtures.ts';

/**
 * The settings that name a simulator as the suite's custom target, as a partner's .env would: its
 * URLs (or those a proxy puts in front of it), its admin token, and the fixture clients A, B and
 * the one without the integrated-consent agreement.
 */
export function asCustomTarget(urls: { accessUrl: string; apiUrl: string; adminUrl?: string; adminToken?: string }): Record<string, string | undefined> {
  const { a, b, withoutAgreement } = fixtureClients();
  return {
    NOGI_TARGET: 'custom',
    NOGI_ACCESS_BASE_URL: urls.accessUrl,
    NOGI_API_BASE_URL: urls.apiUrl,
    NOGI_ADMIN_BASE_URL: urls.adminUrl,
    NOGI_SIM_ADMIN_TOKEN: urls.adminToken,
    NOGI_CLIENT_ID: a.client_id,
    NOGI_CLIENT_SECRET: a.client_secret,
    NOGI_REDIRECT_URI: a.redirect_uris[0],
    NOGI_CLIENT2_ID: b.client_id,
    NOGI_CLIENT2_SECRET: b.client_secret,
    NOGI_CLIENT_NO_AGREEMENT_ID: withoutAgreement.client_id,
    NOGI_CLIENT_NO_AGREEMENT_SECRET: withoutAgreement.client_secret,
  };
}
export type { SimClient } from './fixtures.ts';
export type { DeviationName } from './deviations.ts';

interface Limits {
  maxConnections: number;
}

/**
 * A slow or stalled client cannot hold a connection: headers in 10 s, the whole request in 30 s.
 * An idle keep-alive connection is kept 65 s (nginx keeps 75 s), longer than a run leaves one idle
 * (a browser login between two API calls): a client whose agent sets no idle timeout of its own, as
 * Playwright's request context does not, reuses the connection until the server closes it, and a
 * request sent as the close arrives meets ECONNRESET. With 5 s, loaded runs met it now and then.
 */
function listen(app: Express, host: string, port: number, limits: Limits): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = hostServer(app).listen(port, host);
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 65_000;
    server.maxConnections = limits.maxConnections;
    server.once('listening', () => resolve(server));
    server.once('error', reject);
  });
}

/**
 * Graceful: stop accepting, close idle keep-alive connections, let in-flight requests finish;
 * after the grace period cut what is left.
 */
function close(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    cut.unref();
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}

const baseUrl = (host: string, server: Server): string => {
  const { port } = server.address() as AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
};
const trimSlash = (u: string): string => u.replace(/\/+$/, '');

/** Loopback addresses: the admin surface may listen there without a token someone chose. */
const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/**
 * The browser-binding cookies' MAC key, from the admin token: instances given the same token (as
 * several behind one load balancer are) accept each other's cookies; a generated token gives a
 * key of this process alone (a browser's cookie from before a restart is then replaced).
 */
const bindingKey = (adminToken: string): Buffer => createHmac('sha256', adminToken).update('nogi login binding cookie').digest();

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const adminHost = options.adminHost ?? '127.0.0.1';
  if ((options.testMode || options.ops) && !isLoopback(adminHost) && !options.adminToken) {
    throw new Error(`the admin surface would listen on ${adminHost}, beyond this machine, with a generated token: set NOGI_SIM_ADMIN_TOKEN (a long random secret) or keep NOGI_SIM_ADMIN_HOST on 127.0.0.1`);
  }
  if (options.adminToken !== undefined && options.adminToken.length < 16) throw new Error('the admin token (NOGI_SIM_ADMIN_TOKEN) must be at least 16 characters');
  const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
  const testMode = options.testMode ?? false;
  const rawLog = options.log ?? ((line: string) => console.log(line));
  const log = (line: string) => rawLog(sanitize(line));
  const deviations = options.deviations ?? [];
  const unknown = deviations.filter((d) => !isDeviation(d));
  if (unknown.length) throw new Error(`Unknown deviation(s): ${unknown.join(', ')}; known: ${Object.keys(DEVIATIONS).join(', ')}`);
  if (deviations.length && !testMode) throw new Error('Deviations need test mode');

  const fixtures = loadSimulatorFixtures(options.fixturesDir ?? defaultFixturesDir);
  const contractVersion = options.contract ?? currentContractVersion();
  const contracts = await getContracts({ version: contractVersion });
  // The fixture loans must be what the contract allows in a debt response.
  const validateDebt = contracts.api.schemaValidator('debt_information');
  for (const p of fixtures.people) {
    if (!validateDebt({ ssn: p.nin, loans: p.loans, numberOfCreditorsAnswered: 0, numberOfcreditorsMissing: 0 })) {
      throw new FixtureError(`people.json: the loans of a person do not match the contract's debt_information: ${JSON.stringify(validateDebt.errors?.slice(0, 3))}`);
    }
  }
  const catalogue = await getCatalogue(contractVersion);
  checkClientScopes(fixtures, catalogue);
  // Durations (rules.ts MAX_DAYS) are keyed by the contract's DebtScope; the debt service's scopes must be those.
  const undated = catalogue.service('debt').scopes.filter((s) => !isDebtScope(s));
  if (undated.length) throw new Error(`The contract's debt scopes ${undated.join(', ')} have no maximum duration in src/simulator/rules.ts`);
  const keys = await createSigningKeys();
  const definition = await loadApiContract(contractVersion);
  const store: Store = await openStore(options.store ?? { engine: 'memory' });
  const state = new SimulatorState(fixtures, store, options.tenantIdleMs);

  // Listen first (port 0 picks a free port), then build the apps that need their public URLs.
  const metrics = new SimMetrics(catalogue, state, options.processMetrics ?? false);
  const limits: Limits = { maxConnections: options.maxConnections ?? 1000 };
  const grace = options.shutdownGraceMs ?? 10_000;
  const ctx = {
    metrics, state, keys, testMode, contracts, catalogue, log, deviations: new Deviations(deviations.filter(isDeviation)), pairwiseSalt: randomBytes(32),
    bindingKey: bindingKey(adminToken), exchanges: new ExchangeHook(),
    limits: { pendingLogins: options.maxPendingLogins ?? 1000, pendingLoginsTotal: options.maxPendingLoginsTotal ?? 20_000, tenants: options.maxTenants ?? 1000,
      recording: { bodyBytes: options.recordingBodyBytes ?? DEFAULT_RECORDING_LIMITS.bodyBytes, bytesPerClient: options.recordingBytesPerClient ?? DEFAULT_RECORDING_LIMITS.bytesPerClient } },
  } as SimContext;
  // Test mode: every answer is checked against its contract, and each client's exchanges recorded for grading.
  checkAnswers(ctx);
  recordExchanges(ctx);
  const servers: Server[] = [];
  let sweeper: NodeJS.Timeout | undefined;
  try {
    const accessServer = await listen(createAccessApp(ctx), host, options.accessPort ?? 0, limits);
    servers.push(accessServer);
    const apiApp = await createApiApp(ctx, definition);
    const apiServer = await listen(apiApp, host, options.apiPort ?? 0, limits);
    servers.push(apiServer);
    ctx.accessPublicUrl = trimSlash(options.accessPublicUrl ?? baseUrl(host, accessServer));
    ctx.apiPublicUrl = trimSlash(options.apiPublicUrl ?? baseUrl(host, apiServer));
    ctx.issuer = `${ctx.accessPublicUrl}/`;
    const localApi = baseUrl(host, apiServer);
    ctx.audiences = audienceTable(catalogue, ctx.apiPublicUrl, localApi !== ctx.apiPublicUrl ? [localApi] : []);
    let adminUrl: string | undefined;
    if (testMode || options.ops) {
      const adminServer = await listen(createAdminApp(ctx, { token: adminToken }), adminHost, options.adminPort ?? 0, limits);
      servers.push(adminServer);
      adminUrl = baseUrl(adminHost, adminServer);
    }
    const every = options.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      sweeper = setInterval(() => {
        state.sweep().catch((e: Error) => log(`[store] sweep failed: ${e.message}`));
      }, every);
      sweeper.unref();
    }
    let closed: Promise<void> | undefined;
    return {
      contract: contractVersion,
      accessUrl: ctx.accessPublicUrl,
      apiUrl: ctx.apiPublicUrl,
      adminUrl,
      adminToken,
      discoveryUrl: `${ctx.accessPublicUrl}/.well-known/openid-configuration`,
      issuer: ctx.issuer,
      storeDescription: store.description,
      close: () => (closed ??= (async () => {
        clearInterval(sweeper);
        await Promise.all(servers.map((s) => close(s, grace)));
        await store.close();
      })()),
    };
  } catch (e) {
    clearInterval(sweeper);
    await Promise.all(servers.map((s) => close(s, 0)));
    await store.close();
    throw e;
  }
}
