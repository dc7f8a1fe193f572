/**
 * Scenarios the sandbox plays on request for one client, so the lifecycle rules get exercised.
 * Each changes that client alone (SimulatorState.scenariosOf: its one-shot faults, its token
 * lifetime, the numbering of its feed events), fixture or run-time client; a reset ends them.
 */
import type { SimContext } from './context.ts';
import { recorderOf } from './recording.ts';

const DEFAULT_PAGE = 5;
const DEFAULT_GAP = 7;
const DEFAULT_TOKEN_SECONDS = 5;

export class ScenarioError extends Error {
  constructor(readonly status: 400 | 404, message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export interface ScenarioInfo {
  name: string;
  plays: string;
  /** The rules it gives something to judge (creditor-timeout: none; how a client shows missing creditors is not visible to the sandbox). */
  exercises: string[];
}

export const scenarios: ScenarioInfo[] = [
  { name: 'server-error-once', plays: 'the next call of an operation (default getDebtWithConsentID) answers 500 (or "status": another documented 5xx), then it succeeds', exercises: ['retry-5xx-with-backoff'] },
  { name: 'creditor-timeout', plays: 'in the next debt answer, "creditors" creditors (default 1) time out: numberOfcreditorsMissing > 0, their loans null', exercises: [] },
  { name: 'portal-revoke', plays: 'the person revokes the client\'s newest active consent (or "consentId") in NoGi\'s own portal: SAMTYKKE_ARKIVERT on the feed, no DELETE from the client', exercises: ['no-use-after-revoke', 'no-retry-invalid-consent'] },
  { name: 'feed-gaps-on-page-boundaries', plays: `the client's next feed events are numbered without gaps within pages of "limit" (default ${DEFAULT_PAGE}) and with a gap of "gap" (default ${DEFAULT_GAP}) between pages, counted from its first event after the scenario: a client that pages from the last number seen reads on, one that expects the next page to begin at last + 1 sees a gap at every boundary`, exercises: ['feed-from-last-seen'] },
  { name: 'error-format-migration', plays: 'the client\'s next "count" (default 4) Agreement API errors alternate between the two formats of the provider\'s contract versions, starting with the one the sandbox does not serve: Spring\'s body as application/json (b68fec2) and problem details with an errorReference as application/problem+json (3770c4e)', exercises: ['problem-details-accepted', 'no-spring-message', 'error-reference-kept'] },
  { name: 'tokens-expire-in-seconds', plays: `tokens issued to the client from now on expire after "seconds" seconds (default ${DEFAULT_TOKEN_SECONDS}; expires_in says so)`, exercises: ['token-reuse'] },
];

export async function playScenario(ctx: SimContext, clientId: string, name: string, options: Record<string, unknown>): Promise<string> {
  const info = scenarios.find((s) => s.name === name);
  if (!info) throw new ScenarioError(400, `unknown scenario "${name}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const { state, catalogue } = ctx;
  const whole = (key: string, fallback: number, min: number, max: number): number => {
    const v = options[key] === undefined ? fallback : options[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ScenarioError(400, `${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v;
  };
  let note: string;
  if (name === 'feed-gaps-on-page-boundaries') {
    const feedGaps = { limit: whole('limit', DEFAULT_PAGE, 1, 1000), gap: whole('gap', DEFAULT_GAP, 2, 1000), events: 0 };
    state.scenariosOf(clientId).feedGaps = feedGaps;
    note = `feed-gaps-on-page-boundaries: the next events are numbered in runs of ${feedGaps.limit}, ${feedGaps.gap - 1} numbers skipped between runs`;
  } else if (name === 'tokens-expire-in-seconds') {
    const seconds = whole('seconds', DEFAULT_TOKEN_SECONDS, 1, 3599);
    state.scenariosOf(clientId).tokenSeconds = seconds;
    note = `tokens-expire-in-seconds: tokens issued from now on live ${seconds} s`;
  } else if (name === 'error-format-migration') {
    const count = whole('count', 4, 1, 100);
    const serves = catalogue.operation('createConsent').errorFamily;
    state.scenariosOf(clientId).errorFormats = { remaining: count, next: serves === 'problem' ? 'spring' : 'problem' };
    note = `error-format-migration: the next ${count} Agreement API errors alternate between Spring's format and problem details`;
  } else if (name === 'portal-revoke') {
    const wanted = typeof options.consentId === 'string' ? options.consentId : undefined;
    // Without a consent id: the newest consent the recording saw this client register, still active.
    const registered = recorderOf(ctx).exchanges(clientId)
      .filter((e) => e.operationId === 'createConsent' && e.response.status === 200)
      .map((e) => (e.response.body as { consent?: { id?: string } } | undefined)?.consent?.id)
      .filter((id): id is string => typeof id === 'string');
    let consent;
    for (const id of wanted ? [wanted] : [...registered].reverse()) {
      const candidate = await state.consent(id);
      if (candidate && candidate.clientId === clientId && state.isActive(candidate)) {
        consent = candidate;
        break;
      }
    }
    if (!consent) throw new ScenarioError(404, wanted ? `no active consent ${wanted} of client ${clientId}` : `client ${clientId} has no active consent to revoke`);
    await state.revokeConsent(consent);
    note = `portal-revoke: consent ${consent.id} revoked in the portal (SAMTYKKE_ARKIVERT on the feed)`;
  } else {
    const operationId = typeof options.operationId === 'string' ? options.operationId : 'getDebtWithConsentID';
    if (!catalogue.has(operationId) || catalogue.operation(operationId).host !== 'api') throw new ScenarioError(400, `operationId must be an operation of the API host, got "${operationId}"`);
    const op = catalogue.operation(operationId);
    if (name === 'server-error-once') {
      const status = whole('status', 500, 500, 599);
      if (!op.statuses.includes(status)) throw new ScenarioError(400, `status must be a documented server error of ${operationId}: ${op.statuses.filter((s) => s >= 500).join(', ') || 'none'}`);
      state.scenariosOf(clientId).faults.set(operationId, { status, times: 1 });
      note = `server-error-once: the next ${operationId} answers ${status}`;
    } else {
      if (!op.debtLookup) throw new ScenarioError(400, `creditor-timeout applies to the debt lookups: ${catalogue.operations.filter((o) => o.debtLookup).map((o) => o.operationId).join(', ')}`);
      const creditors = whole('creditors', 1, 1, 100);
      state.scenariosOf(clientId).faults.set(operationId, { creditorTimeout: creditors, times: 1 });
      note = `creditor-timeout: in the next ${operationId}, ${creditors} creditor(s) time out`;
    }
  }
  recorderOf(ctx).add({ at: Date.now(), simAt: state.clock.now(), host: 'sandbox', method: 'SCENARIO', path: name, query: {}, clientId, request: { auth: 'none' }, response: { status: 0 }, note });
  return note;
}
