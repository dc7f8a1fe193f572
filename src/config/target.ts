/**
 * Which NoGi the suite talks to, with which credentials, and what that target can do.
 * Targets differ in capabilities, not in specs: a spec asks for a capability and skips with the
 * reason when it is missing.
 */
import { config as loadDotenv } from 'dotenv';
import type { ClientCredentials } from '../client/credentials.ts';
import type { Catalogue, ServiceName } from '../contract/catalogue.ts';
import { preprod } from '../contract/hosts.ts';

export type { ClientCredentials } from '../client/credentials.ts';
export { preprod } from '../contract/hosts.ts';

export type TargetName = 'mock' | 'preprod' | 'custom';
/** One driver for the TestID login (simulator and preprod alike); `simulator` is an older name for it. */
export type LoginDriverName = 'simulator' | 'idporten-testid';

/** The token audience of each service (reference/index.md), from the catalogue. */
export type Audiences = Record<ServiceName, string>;

export interface Capabilities {
  /** A second client, to prove one client never sees another's consents or events. */
  secondClient: boolean;
  /** A client without the integrated-consent agreement, to prove it is refused. */
  clientWithoutAgreement: boolean;
  /** Fault switches and deviations (the simulator's admin surface in test mode). */
  faults: boolean;
  /** A clock the suite can move, for expiry and retention. */
  clock: boolean;
  /** Regular consent needs a registered callback URI. */
  regularConsent: boolean;
  loginDriver: LoginDriverName;
}

export interface Target {
  name: TargetName;
  accessBaseUrl: string;
  apiBaseUrl: string;
  audiences: Audiences;
  client: ClientCredentials;
  secondClient?: ClientCredentials;
  clientWithoutAgreement?: ClientCredentials;
  /** Synthetic TestID people with mocked debt (get-started/index.md). */
  nins: { withDebt: string; other: string };
  adminBaseUrl?: string;
  /** The admin surface's Bearer token (NOGI_SIM_ADMIN_TOKEN); a simulator started for the run has one. */
  adminToken?: string;
  /** How long the consents feed may lag behind the API before an event counts as missing. */
  feedLagMs: number;
  capabilities: Capabilities;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[], readonly target: string) {
    super(
      `The ${target} target is not configured:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Set these in .env (see .env.example) or in the environment.',
    );
    this.name = 'ConfigError';
  }
}

/** reference/index.md "Consent authorization: audience and scope": the API host + each service's path. */
export function audiencesFor(catalogue: Catalogue, audienceBase: string): Audiences {
  const out = {} as Audiences;
  for (const service of catalogue.services.keys()) out[service as ServiceName] = catalogue.audience(service, audienceBase);
  return out;
}

type Env = Record<string, string | undefined>;

let dotenvLoaded = false;
function environment(): Env {
  if (!dotenvLoaded) {
    loadDotenv({ quiet: true });
    dotenvLoaded = true;
  }
  return process.env;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

function urlProblem(name: string, value: string | undefined): string | undefined {
  if (!value) return `${name} is missing`;
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${name} must be an http(s) URL, got "${value}"`;
  } catch {
    return `${name} is not a URL: "${value}"`;
  }
  return undefined;
}

function credentials(env: Env, prefix: string, problems: string[] | undefined): ClientCredentials | undefined {
  const clientId = env[`${prefix}_ID`];
  const clientSecret = env[`${prefix}_SECRET`];
  if (!clientId || !clientSecret) {
    if (problems) {
      if (!clientId) problems.push(`${prefix}_ID is missing (your client id from NoGi)`);
      if (!clientSecret) problems.push(`${prefix}_SECRET is missing (your client secret from NoGi)`);
    }
    return undefined;
  }
  return { clientId, clientSecret, redirectUri: env[`${prefix}_REDIRECT_URI`] };
}

/**
 * Mock defaults come from the simulator's own fixtures; the simulator's URLs come from the
 * environment that playwright.config.ts (or the CLI) sets when it starts the simulator.
 */
export interface MockDefaults {
  client: ClientCredentials;
  secondClient: ClientCredentials;
  clientWithoutAgreement: ClientCredentials;
}

export function resolveTarget(catalogue: Catalogue, env: Env = environment(), mockDefaults?: () => MockDefaults): Target {
  const name = (env.NOGI_TARGET ?? 'mock') as TargetName;
  if (!['mock', 'preprod', 'custom'].includes(name)) {
    throw new ConfigError([`NOGI_TARGET must be mock, preprod or custom, got "${name}"`], name);
  }
  const problems: string[] = [];
  const defaults = name === 'mock' ? mockDefaults?.() : undefined;

  let accessBaseUrl = env.NOGI_ACCESS_BASE_URL;
  let apiBaseUrl = env.NOGI_API_BASE_URL;
  if (name === 'preprod') {
    accessBaseUrl ??= preprod.accessBaseUrl;
    apiBaseUrl ??= preprod.apiBaseUrl;
  }
  const hint = name === 'mock' ? ' (set by the runner when it starts the simulator; start one with `npm run mock`)' : '';
  for (const [key, value] of [['NOGI_ACCESS_BASE_URL', accessBaseUrl], ['NOGI_API_BASE_URL', apiBaseUrl]] as const) {
    const problem = urlProblem(key, value);
    if (problem) problems.push(problem + hint);
  }

  const client = credentials(env, 'NOGI_CLIENT', defaults ? undefined : problems) ?? defaults?.client;
  const secondClient = credentials(env, 'NOGI_CLIENT2', undefined) ?? defaults?.secondClient;
  const clientWithoutAgreement = credentials(env, 'NOGI_CLIENT_NO_AGREEMENT', undefined) ?? defaults?.clientWithoutAgreement;
  if (client && env.NOGI_REDIRECT_URI) client.redirectUri = env.NOGI_REDIRECT_URI;

  const adminBaseUrl = env.NOGI_ADMIN_BASE_URL;
  if (adminBaseUrl) {
    const problem = urlProblem('NOGI_ADMIN_BASE_URL', adminBaseUrl);
    if (problem) problems.push(problem);
  }
  const loginDriver = (env.NOGI_LOGIN_DRIVER ?? 'idporten-testid') as LoginDriverName;
  if (!['simulator', 'idporten-testid'].includes(loginDriver)) {
    problems.push(`NOGI_LOGIN_DRIVER must be simulator or idporten-testid, got "${loginDriver}"`);
  }
  const nins = { withDebt: env.NOGI_TEST_NIN ?? '14842249091', other: env.NOGI_TEST_NIN_2 ?? '29868099311' };
  for (const [key, nin] of [['NOGI_TEST_NIN', nins.withDebt], ['NOGI_TEST_NIN_2', nins.other]] as const) {
    if (!/^\d{11}$/.test(nin)) problems.push(`${key} must be 11 digits`);
  }
  // The simulator writes an event with the change that causes it; a real provider may lag.
  const feedLagSeconds = Number(env.NOGI_FEED_LAG_SECONDS ?? (name === 'mock' ? 3 : 20));
  if (!Number.isFinite(feedLagSeconds) || feedLagSeconds < 0 || feedLagSeconds > 600) problems.push(`NOGI_FEED_LAG_SECONDS must be a number of seconds from 0 to 600, got "${env.NOGI_FEED_LAG_SECONDS}"`);
  if (problems.length || !client || !accessBaseUrl || !apiBaseUrl) throw new ConfigError(problems, name);

  const api = trimSlash(apiBaseUrl);
  // The simulator accepts the preprod audiences, so a client written for preprod runs unchanged.
  const audiences = audiencesFor(catalogue, name === 'mock' ? preprod.apiBaseUrl : api);
  for (const service of Object.keys(audiences) as ServiceName[]) {
    audiences[service] = env[`NOGI_AUDIENCE_${service.toUpperCase()}`] ?? audiences[service];
  }
  return {
    name,
    accessBaseUrl: trimSlash(accessBaseUrl),
    apiBaseUrl: api,
    audiences,
    client,
    secondClient,
    clientWithoutAgreement,
    nins,
    adminBaseUrl: adminBaseUrl ? trimSlash(adminBaseUrl) : undefined,
    adminToken: env.NOGI_SIM_ADMIN_TOKEN || undefined,
    feedLagMs: feedLagSeconds * 1000,
    capabilities: {
      secondClient: Boolean(secondClient),
      clientWithoutAgreement: Boolean(clientWithoutAgreement),
      faults: Boolean(adminBaseUrl),
      clock: Boolean(adminBaseUrl),
      regularConsent: Boolean(client.redirectUri),
      loginDriver,
    },
  };
}
