/** What every part of the simulator shares. */
import type { Catalogue, ServiceName } from '../contract/catalogue.ts';
import type { Contracts } from '../contract/index.ts';
import type { SigningKeys } from './access/keys.ts';
import type { Deviations } from './deviations.ts';
import type { Exchange, ExchangeHook } from './http.ts';
import type { LogFn } from './log.ts';
import type { SimMetrics } from './metrics.ts';
import type { SimulatorState } from './state.ts';
import type { RecordingLimits } from '../grading/recorder.ts';

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
  /** MAC key of the browser-binding cookies (authorize.ts): instances sharing it accept each other's. */
  bindingKey: Buffer;
  /** The bounds on what clients may make the sandbox hold. */
  limits: SimLimits;
  /** Every answered request of the three hosts, once (http.ts): grading and the contract check listen. */
  exchanges: ExchangeHook;
}

export interface SimLimits {
  /** Unfinished logins (auth sessions) one source (a browser, or a remote address) may have at once. */
  pendingLogins: number;
  /** Unfinished logins of all sources together (a bound on the state). */
  pendingLoginsTotal: number;
  /** Run-time clients (tenants) at most. */
  tenants: number;
  /** Each client's grading recording: a body's bound and the client's total (grading/recorder.ts). */
  recording: RecordingLimits;
}

/** Records a response's contract findings (test mode only) and logs them. */
function checkResponse(ctx: SimContext, contract: 'api' | 'oauth', operationId: string, status: number, contentType: string | undefined, body: unknown, headers: Record<string, string>): void {
  const findings = ctx.contracts[contract]
    .validateResponse(operationId, { status, contentType, headers, body })
    .filter((f) => f.severity === 'error');
  if (findings.length === 0) return;
  const lines = findings.map((f) => `${f.check} ${f.rule} ${f.pointer}: expected ${f.expected}, got ${f.actual}`);
  ctx.state.recordViolation({ at: ctx.state.clock.date().toISOString(), operationId, status, findings: lines });
  ctx.log(`[contract] ${operationId} ${status} violates the effective contract: ${lines.join('; ')}`);
}

/**
 * The one response check of the simulator (test mode): every answer a host marked for a contract
 * (the API host's postResponseHandler, the access host's OAuth operations) is checked as sent,
 * from the exchange hook.
 */
export function checkAnswers(ctx: SimContext): void {
  if (!ctx.testMode) return;
  ctx.exchanges.on((e: Exchange) => {
    if (!e.check) return;
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
    const body = typeof e.response.body === 'string' && /json/i.test(headers['content-type'] ?? '') ? parseOrText(e.response.body) : e.response.body;
    checkResponse(ctx, e.check.contract, e.check.operationId, e.response.status, e.response.body === undefined ? undefined : headers['content-type'], body, headers);
  });
}

/** A JSON text a handler answered with as a string (a deviation's), as the check reads it. */
function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
