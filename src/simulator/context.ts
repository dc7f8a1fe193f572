/** What every part of the simulator shares. */
import type { Catalogue, ServiceName } from '../contract/catalogue.ts';
import type { Contracts } from '../contract/index.ts';
import type { SigningKeys } from './access/keys.ts';
import type { Deviations } from './deviations.ts';
import type { LogFn } from './log.ts';
import type { SimMetrics } from './metrics.ts';
import type { SimulatorState } from './state.ts';

export interface SimContext {
  state: SimulatorState;
  keys: SigningKeys;
  /** accessPublicUrl + '/' (openid-configuration.md). */
  issuer: string;
  accessPublicUrl: string;
  apiPublicUrl: string;
  /** Accepted audience identifiers and the service each names. */
  audiences: Map<string, ServiceName>;
  testMode: boolean;
  /** Test-mode deviations that are on (deviations.ts); none outside test mode. */
  deviations: Deviations;
  contracts: Contracts;
  /** The operation catalogue (src/contract/catalogue.ts): routes, families, services, scopes. */
  catalogue: Catalogue;
  log: LogFn;
  /** Secret for pairwise `sub` values. */
  pairwiseSalt: Buffer;
  metrics: SimMetrics;
  /** Unfinished logins (auth sessions) one source (a browser, or a remote address) may have at once. */
  maxPendingLogins: number;
  /** Unfinished logins of all sources together (a bound on the state). */
  maxPendingLoginsTotal: number;
  /** MAC key of the browser-binding cookies (authorize.ts): instances sharing it accept each other's. */
  bindingKey: Buffer;
  /** Run-time clients (tenants) at most. */
  maxTenants: number;
}

/** Records a response's contract findings (test mode only) and logs them. */
export function checkResponse(ctx: SimContext, contract: 'api' | 'oauth', operationId: string, status: number, contentType: string | undefined, body: unknown, headers: Record<string, string> = {}): void {
  if (!ctx.testMode) return;
  const findings = ctx.contracts[contract]
    .validateResponse(operationId, { status, contentType, headers, body })
    .filter((f) => f.severity === 'error');
  if (findings.length === 0) return;
  const lines = findings.map((f) => `${f.check} ${f.rule} ${f.pointer}: expected ${f.expected}, got ${f.actual}`);
  ctx.state.recordViolation({ at: ctx.state.clock.date().toISOString(), operationId, status, findings: lines });
  ctx.log(`[contract] ${operationId} ${status} violates the effective contract: ${lines.join('; ')}`);
}
