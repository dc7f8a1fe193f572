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

export class SimulatorAdmin {
  constructor(
    private readonly request: APIRequestContext,
    readonly baseUrl: string,
  ) {}

  private async send(method: string, path: string, data?: unknown): Promise<unknown> {
    const response = await this.request.fetch(`${this.baseUrl}${path}`, { method, data, failOnStatusCode: false });
    if (!response.ok()) throw new Error(`Simulator admin ${method} ${path} answered ${response.status()}: ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  }

  advanceClock(seconds: number): Promise<unknown> {
    return this.send('POST', '/clock', { advanceSeconds: seconds });
  }

  resetClock(): Promise<unknown> {
    return this.send('POST', '/clock', { reset: true });
  }

  fault(fault: FaultRequest): Promise<unknown> {
    return this.send('POST', '/faults', fault);
  }

  clearFaults(): Promise<unknown> {
    return this.send('DELETE', '/faults');
  }

  deviations(change: { enable?: string[]; disable?: string[] }): Promise<unknown> {
    return this.send('POST', '/deviations', change);
  }

  state(): Promise<{ violations?: { count: number } } & Record<string, unknown>> {
    return this.send('GET', '/state') as Promise<{ violations?: { count: number } } & Record<string, unknown>>;
  }
}
