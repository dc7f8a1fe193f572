/**
 * The simulator's admin surface (test mode only; not part of NoGi): clock, faults, deviations.
 * Specs reach it through the `admin` fixture, which exists only when the target declares the
 * `faults` / `clock` capabilities.
 */
import type { APIRequestContext } from '@playwright/test';

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

export class SimulatorAdmin {
  /**
   * With a run-time client id, the clock and the faults are that client's alone (so workers that
   * each have their own clients never race); without one, the sandbox's global ones.
   */
  constructor(
    private readonly request: APIRequestContext,
    readonly baseUrl: string,
    readonly clientId?: string,
  ) {}

  private get scope(): string {
    return this.clientId ? `/clients/${encodeURIComponent(this.clientId)}` : '';
  }

  createClient(client: { name: string; integratedConsent: boolean; redirect_uris: string[]; allowed_scopes?: string[] }): Promise<RunTimeClient> {
    return this.send('POST', '/clients', client) as Promise<RunTimeClient>;
  }

  private async send(method: string, path: string, data?: unknown): Promise<unknown> {
    const response = await this.request.fetch(`${this.baseUrl}${path}`, { method, data, failOnStatusCode: false });
    if (!response.ok()) throw new Error(`Simulator admin ${method} ${path} answered ${response.status()}: ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
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

  state(): Promise<{ violations?: { count: number } } & Record<string, unknown>> {
    return this.send('GET', '/state') as Promise<{ violations?: { count: number } } & Record<string, unknown>>;
  }
}
