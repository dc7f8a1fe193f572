/**
 * The simulator's admin surface (test mode only; not part of NoGi): clock, faults, deviations,
 * sweep and reset, and the grading of a partner's own client (report, scenarios). Over the
 * client's transport: Playwright's in specs (the `admin` fixture, which exists only when the
 * target declares the `faults` / `clock` capabilities), undici (httpTransport) in scripts and the
 * CLI (client-report).
 */
import type { ClientReport } from '../grading/report.ts';
import type { Transport } from './transport.ts';

/** Admin calls are local and quick: one that does not answer in this time means the sandbox is stuck. */
const ADMIN_TIMEOUT_MS = 30_000;

/** The sandbox answered an admin call with an error: its status and what it said was wrong. */
export class AdminRefusal extends Error {
  constructor(readonly status: number, readonly problem: string, what: string) {
    super(`Simulator admin ${what} answered ${status}: ${problem}`);
    this.name = 'AdminRefusal';
  }
}

export interface FaultRequest {
  operationId: string;
  status?: number;
  latencyMs?: number;
  creditorTimeout?: number | true;
  times?: number;
}

/** A client the sandbox creates at run time (test mode): its own clock, faults and reset. */
export interface RunTimeClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

/**
 * How an admin call authenticates: the admin token (NOGI_SIM_ADMIN_TOKEN, sent as Bearer), or a
 * run-time client's own credentials (HTTP Basic), which reach only that client's grading.
 */
export type AdminCredentials = string | { clientId: string; clientSecret: string };

/** RFC 6749 section 2.3.1: id and secret form-urlencoded inside the Basic credentials. */
const formEncode = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');

export function adminAuthorization(credentials: AdminCredentials): string {
  return typeof credentials === 'string'
    ? `Bearer ${credentials}`
    : `Basic ${Buffer.from(`${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`).toString('base64')}`;
}

export class SimulatorAdmin {
  /**
   * With a run-time client id, the clock and the faults are that client's alone (so workers that
   * each have their own clients never race); without one, the sandbox's global ones.
   */
  constructor(
    private readonly transport: Transport,
    readonly baseUrl: string,
    private readonly credentials: AdminCredentials,
    readonly clientId?: string,
  ) {}

  private get scope(): string {
    return this.clientId ? `/clients/${encodeURIComponent(this.clientId)}` : '';
  }

  createClient(client: { name: string; integratedConsent: boolean; redirect_uris: string[]; allowed_scopes?: string[] }): Promise<RunTimeClient> {
    return this.send('POST', '/clients', client) as Promise<RunTimeClient>;
  }

  /** Forgets a run-time client with everything it left (its consents, events, tokens, recording). */
  deleteClient(clientId: string): Promise<unknown> {
    return this.send('DELETE', `/clients/${encodeURIComponent(clientId)}`);
  }

  private async send(method: string, path: string, data?: unknown): Promise<unknown> {
    const response = await this.transport.send({
      method, url: `${this.baseUrl}${path}`,
      headers: { authorization: adminAuthorization(this.credentials), ...(data === undefined ? {} : { 'content-type': 'application/json' }) },
      body: data === undefined ? undefined : JSON.stringify(data),
      timeoutMs: ADMIN_TIMEOUT_MS,
    });
    if (response.status < 200 || response.status > 299) {
      let problem = response.text || `HTTP ${response.status}`;
      try {
        problem = (JSON.parse(response.text) as { error?: string }).error ?? problem;
      } catch {
        // not JSON: the text as it came
      }
      throw new AdminRefusal(response.status, problem, `${method} ${path}`);
    }
    return response.text ? JSON.parse(response.text) : undefined;
  }

  private static grading(clientId: string): string {
    return `/grading/clients/${encodeURIComponent(clientId)}`;
  }

  /** The sandbox's judgement of one client's recorded exchanges (src/grading). */
  clientReport(clientId: string, errorReferences: readonly string[] = []): Promise<ClientReport> {
    const query = errorReferences.length ? `?${errorReferences.map((r) => `errorReference=${encodeURIComponent(r)}`).join('&')}` : '';
    return this.send('GET', `${SimulatorAdmin.grading(clientId)}/report${query}`) as Promise<ClientReport>;
  }

  /** Plays a grading scenario for one client: `options` are the scenario's own (`seconds`, `limit`, `operationId`...). */
  playScenario(clientId: string, name: string, options: Record<string, unknown> = {}): Promise<{ played: string }> {
    return this.send('POST', `${SimulatorAdmin.grading(clientId)}/scenarios`, { ...options, name }) as Promise<{ played: string }>;
  }

  /** Forgets one client's recorded exchanges: its grading starts afresh. */
  forgetExchanges(clientId: string): Promise<unknown> {
    return this.send('DELETE', `${SimulatorAdmin.grading(clientId)}/exchanges`);
  }

  advanceClock(seconds: number): Promise<unknown> {
    return this.send('POST', `${this.scope}/clock`, { advanceSeconds: seconds });
  }

  resetClock(): Promise<unknown> {
    return this.send('POST', `${this.scope}/clock`, { reset: true });
  }

  fault(fault: FaultRequest): Promise<unknown> {
    return this.send('POST', `${this.scope}/faults`, fault);
  }

  clearFaults(): Promise<unknown> {
    return this.send('DELETE', `${this.scope}/faults`);
  }

  deviations(change: { enable?: string[]; disable?: string[] }): Promise<unknown> {
    return this.send('POST', '/deviations', change);
  }

  state(): Promise<{ violations?: { count: number }; counts?: Record<string, number>; store?: string } & Record<string, unknown>> {
    return this.send('GET', '/state') as Promise<{ violations?: { count: number }; counts?: Record<string, number>; store?: string } & Record<string, unknown>>;
  }

  /** Deletes expired sessions, codes and tokens, events past retention, and idle run-time clients, now. */
  sweep(): Promise<{ swept: { tokens: number; codes: number; sessions: number; events: number; tenants: number } }> {
    return this.send('POST', '/sweep') as Promise<{ swept: { tokens: number; codes: number; sessions: number; events: number; tenants: number } }>;
  }

  /** Forgets everything (the global reset), or the run-time client's own state. */
  reset(): Promise<unknown> {
    return this.send('POST', `${this.scope}/reset`);
  }
}
