/** Test helpers for the simulator's own tests: start one, get tokens, call and validate. */
import { getCatalogue } from '../../src/contract/catalogue.ts';
import { getContracts, type ContractFinding } from '../../src/contract/index.ts';
import { audiencesFor, preprod } from '../../src/config/target.ts';
import { fixtureClients, startSimulator, type RunningSimulator, type SimClient, type SimulatorOptions } from '../../src/simulator/index.ts';

export const clients = fixtureClients();
export const NIN = '14842249091';
export const NIN2 = '29868099311';
export const NIN_NO_DEBT = '01019010046';
/** reference/index.md: the preprod audiences, which the simulator accepts. */
export const PREPROD = audiencesFor(await getCatalogue(), preprod.apiBaseUrl);

export interface Reply {
  status: number;
  headers: Headers;
  contentType: string | null;
  body: unknown;
  text: string;
}

async function reply(r: Response): Promise<Reply> {
  const text = await r.text();
  let body: unknown = text === '' ? undefined : text;
  if ((r.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: r.status, headers: r.headers, contentType: r.headers.get('content-type'), body, text };
}

export const basic = (c: SimClient): string => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`;

export class SimHarness {
  sim!: RunningSimulator;
  logs: string[] = [];

  async start(options: SimulatorOptions = {}): Promise<this> {
    this.sim = await startSimulator({ accessPort: 0, apiPort: 0, adminPort: 0, testMode: true, log: (l) => this.logs.push(l), ...options });
    return this;
  }
  close(): Promise<void> {
    return this.sim.close();
  }

  async tokenRequest(client: SimClient | undefined, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
    const r = await fetch(`${this.sim.accessUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client ? { authorization: basic(client) } : {}), ...headers },
      body: new URLSearchParams(params),
    });
    return reply(r);
  }

  async token(client: SimClient, service: keyof typeof PREPROD, scope: string): Promise<string> {
    const r = await this.tokenRequest(client, { grant_type: 'client_credentials', audience: PREPROD[service], scope });
    if (r.status !== 200) throw new Error(`token ${service} ${scope}: ${r.status} ${r.text}`);
    return (r.body as { access_token: string }).access_token;
  }

  async api(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    return reply(await fetch(`${this.sim.apiUrl}${path}`, { method, headers, body }));
  }

  async admin(method: string, path: string, body?: unknown): Promise<Reply> {
    return reply(await fetch(`${this.sim.adminUrl}${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    }));
  }

  async createConsent(token: string, data: Partial<{ nin: unknown; scope_of_consent: unknown; consent_duration_days: unknown; client_consent_id: unknown }> = {}): Promise<Reply> {
    return this.api('PUT', '/v1/consent/agreement', {
      token,
      body: { nin: NIN, scope_of_consent: 'debt.unsecured.presentation', consent_duration_days: 30, client_consent_id: `cid-${Math.random().toString(36).slice(2)}`, ...data },
    });
  }

  /** Walks GET /oauth2/auth → login → consent with plain HTTP; returns the final redirect. */
  async authorize(client: SimClient, params: { scope: string; redirect_uri?: string; state?: string; nin?: string; action?: 'accept' | 'deny' }): Promise<URL> {
    const redirectUri = params.redirect_uri ?? client.redirect_uris[0]!;
    const auth = new URL(`${this.sim.accessUrl}/oauth2/auth`);
    auth.search = new URLSearchParams({ client_id: client.client_id, response_type: 'code', scope: params.scope, state: params.state ?? 'state-123456', redirect_uri: redirectUri }).toString();
    let r = await fetch(auth, { redirect: 'manual' });
    if (r.status !== 302) throw new Error(`auth: ${r.status} ${await r.text()}`);
    let location = new URL(r.headers.get('location')!);
    if (!location.pathname.startsWith('/login')) return location;
    const challenge = location.searchParams.get('login_challenge')!;
    r = await fetch(`${this.sim.accessUrl}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ login_challenge: challenge, nin: params.nin ?? NIN }) });
    if (r.status !== 303) throw new Error(`login: ${r.status}`);
    location = new URL(r.headers.get('location')!);
    r = await fetch(`${this.sim.accessUrl}/consent`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ consent_challenge: location.searchParams.get('consent_challenge')!, action: params.action ?? 'accept' }) });
    if (r.status !== 303) throw new Error(`consent: ${r.status}`);
    return new URL(r.headers.get('location')!);
  }
}

/** Contract findings (errors only) for a reply of an API operation. */
export async function findings(operationId: string, r: Reply): Promise<ContractFinding[]> {
  const { api } = await getContracts();
  return api.validateResponse(operationId, { status: r.status, contentType: r.contentType, body: r.body }).filter((f) => f.severity === 'error');
}

export async function oauthFindings(operationId: string, r: Reply): Promise<ContractFinding[]> {
  const { oauth } = await getContracts();
  return oauth.validateResponse(operationId, { status: r.status, contentType: r.contentType, body: r.body, headers: Object.fromEntries(r.headers) }).filter((f) => f.severity === 'error');
}
