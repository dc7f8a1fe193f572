/**
 * The simulator's own tests: one simulator (test mode) per file, reached through the one client
 * (src/client/nogi-client.ts over fetch) and the one HTTP walk of its login and consent pages
 * (src/drivers/simulator-http.ts). Every reply carries the client's contract findings.
 */
import { test } from '@playwright/test';
import { adminAuthorization, type AdminCredentials } from '../../src/client/admin-client.ts';
import { NoGiClient, type ApiResult, type CallOptions, type ClientCredentials } from '../../src/client/nogi-client.ts';
import { TokenCache } from '../../src/client/token-cache.ts';
import { httpTransport } from '../../src/client/transport.ts';
import { audiencesFor, preprod } from '../../src/config/target.ts';
import { getCatalogue, type ServiceName } from '../../src/contract/catalogue.ts';
import { getContracts, type ContractFinding } from '../../src/contract/index.ts';
import { authorizeOverHttp } from '../../src/drivers/simulator-http.ts';
import { fixtureClients, startSimulator, type RunningSimulator, type SimClient, type SimulatorOptions } from '../../src/simulator/index.ts';

export const clients = fixtureClients();
export const NIN = '14842249091';
export const NIN2 = '29868099311';
export const NIN_NO_DEBT = '01019010046';
/** reference/index.md: the preprod audiences, which the simulator accepts. */
export const PREPROD = audiencesFor(await getCatalogue(), preprod.apiBaseUrl);

/** A reply as the client sees it: status, lower-case headers, parsed body, contract findings. */
export type Reply = ApiResult<unknown>;

/** A fixture client as the client's credentials (its first redirect URI for the code flow). */
export const credentials = (c: SimClient): ClientCredentials => ({ clientId: c.client_id, clientSecret: c.client_secret, redirectUri: c.redirect_uris[0] });

/**
 * The contract errors of a reply, which must be an answer of `operationId`: the client matched
 * the request to that operation (by operationId, or by method and path for `request`).
 */
export function findings(operationId: string, r: Reply): ContractFinding[] {
  if (r.operationId !== operationId) throw new Error(`${r.method} ${r.url} answered as ${r.operationId ?? 'no documented operation'}, not ${operationId}`);
  return r.findings.filter((f) => f.severity === 'error');
}

/** The contract errors of a response the client did not fetch (curl's output). */
export async function findingsOf(operationId: string, r: { status: number; contentType: string; body: unknown }): Promise<ContractFinding[]> {
  const { api } = await getContracts();
  return api.validateResponse(operationId, r).filter((f) => f.severity === 'error');
}

/** The browser-binding cookie an /oauth2/auth reply set, as the Cookie header a browser would send back. */
export const browserCookie = (r: Reply): Record<string, string> => {
  const set = r.headers['set-cookie'];
  return set ? { cookie: set.split(';')[0]! } : {};
};

export interface AdminReply {
  status: number;
  body: unknown;
}

export class SimHarness {
  sim!: RunningSimulator;
  client!: NoGiClient;
  /**
   * Service tokens, through the one cache, always fetched fresh: these tests share one simulator
   * per file and move its clock (and tenants' clocks), reset and delete tenants, restart it; a token
   * kept from an earlier test could be expired or gone there while it looks fresh here.
   */
  tokens!: TokenCache;
  logs: string[] = [];

  async start(options: SimulatorOptions = {}): Promise<this> {
    this.sim = await startSimulator({ accessPort: 0, apiPort: 0, adminPort: 0, testMode: true, log: (l) => this.logs.push(l), ...options });
    // Judged by the contract version the simulator serves.
    this.client = new NoGiClient(httpTransport, { accessBaseUrl: this.sim.accessUrl, apiBaseUrl: this.sim.apiUrl }, { contract: this.sim.contract });
    this.tokens = this.tokenCache();
    return this;
  }

  /** Drives a simulator running elsewhere (a child process): its URLs; close() leaves it running. */
  attach(urls: Pick<RunningSimulator, 'accessUrl' | 'apiUrl'> & { adminUrl?: string; adminToken?: string }): this {
    this.sim = { adminToken: '', ...urls, contract: 'elsewhere', discoveryUrl: `${urls.accessUrl}/.well-known/openid-configuration`, issuer: `${urls.accessUrl}/`, storeDescription: 'elsewhere', close: async () => undefined };
    this.client = new NoGiClient(httpTransport, { accessBaseUrl: urls.accessUrl, apiBaseUrl: urls.apiUrl });
    this.tokens = this.tokenCache();
    return this;
  }

  private tokenCache(): TokenCache {
    return new TokenCache({ nogi: this.client, client: credentials(clients.a), audiences: PREPROD });
  }

  close(): Promise<void> {
    return this.sim.close();
  }

  /** POST /oauth2/token with the form as given; `client` authenticates with client_secret_basic, none without. */
  tokenRequest(client: SimClient | undefined, form: Record<string, string>): Promise<Reply> {
    return this.client.call('token', { client: client && credentials(client), form });
  }

  /** A client-credentials access token for a service's preprod audience. */
  token(client: SimClient, service: ServiceName, scope: string): Promise<string> {
    return this.tokens.fresh(service, scope, credentials(client));
  }

  /** Any request on the API host; a string body is sent byte for byte (malformed input). */
  api(method: string, path: string, opts: Pick<CallOptions, 'token' | 'body' | 'headers'> = {}): Promise<Reply> {
    return this.client.request('api', method, path, opts);
  }

  /** PUT /v1/consent/agreement with a valid body, changed by `data` (an undefined field is left out). */
  createConsent(token: string | undefined, data: Partial<Record<'nin' | 'scope_of_consent' | 'consent_duration_days' | 'client_consent_id', unknown>> = {}): Promise<Reply> {
    return this.client.call('createConsent', {
      token,
      body: { nin: NIN, scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30, client_consent_id: `cid-${Math.random().toString(36).slice(2)}`, ...data },
    });
  }

  /** The code flow through the login and consent pages over HTTP; returns the final redirect. */
  authorize(client: SimClient, params: { scope: string; redirectUri?: string; state?: string; nin?: string; decision?: 'accept' | 'deny' }): Promise<URL> {
    return authorizeOverHttp(this.client, {
      clientId: client.client_id, redirectUri: params.redirectUri ?? client.redirect_uris[0]!, scope: params.scope,
      state: params.state ?? 'state-123456', nin: params.nin ?? NIN, decision: params.decision,
    });
  }

  /** The access token of an accepted code flow for `scope`. */
  async codeToken(client: SimClient, scope: string): Promise<string> {
    const callback = await this.authorize(client, { scope });
    const r = await this.client.exchangeCode(credentials(client), callback.searchParams.get('code')!, client.redirect_uris[0]!);
    if (!r.ok) throw new Error(`code exchange: ${r.status} ${r.text}`);
    return r.data.access_token;
  }

  /**
   * The admin surface, raw (not NoGi: no contract). Raw on purpose: these tests exercise the
   * surface itself, its refusals included; code that uses it goes through SimulatorAdmin.
   * `as`: the admin token by default, a tenant's own credentials, or `null` for none at all.
   */
  async admin(method: string, path: string, body?: unknown, as: AdminCredentials | null = this.sim.adminToken): Promise<AdminReply & { headers: Record<string, string> }> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (as !== null) headers.authorization = adminAuthorization(as);
    const r = await httpTransport.send({ method, url: `${this.sim.adminUrl}${path}`, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let parsed: unknown = r.text;
    try {
      parsed = r.text ? JSON.parse(r.text) : undefined;
    } catch {
      // not JSON (/metrics): the text
    }
    return { status: r.status, body: parsed, headers: r.headers };
  }
}

/** One simulator for the tests of a file: started before the first, closed after the last. */
export function useSimulator(options?: SimulatorOptions): SimHarness {
  const h = new SimHarness();
  test.beforeAll(async () => {
    await h.start(options);
  });
  test.afterAll(async () => {
    await h.close();
  });
  return h;
}
