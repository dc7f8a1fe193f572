/**
 * Scenarios the sandbox plays on request for one client, so the lifecycle rules get exercised.
 * Those the existing fault switches and state can play are here; the others need the durable
 * store (per-client sequence numbers and token lifetimes) and answer 501 with that reason.
 * Fault switches are global: a fault scenario hits the next matching request of ANY client.
 */
import type { SimContext } from '../simulator/context.ts';
import { recorderOf } from './recorder.ts';

export class ScenarioError extends Error {
  constructor(readonly status: 400 | 404 | 501, message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export interface ScenarioInfo {
  name: string;
  plays: string;
  /** The rules it gives something to judge (creditor-timeout: none; how a client shows missing creditors is not visible to the sandbox). */
  exercises: string[];
  available: boolean;
  /** Why it is not available yet. */
  needs?: string;
}

const STORE = 'the durable store rewrite of the simulator (after it merges)';

export const scenarios: ScenarioInfo[] = [
  { name: 'server-error-once', plays: 'the next call of an operation (default getDebtWithConsentID) answers 500 (or "status": another documented 5xx), then it succeeds', exercises: ['retry-5xx-with-backoff'], available: true },
  { name: 'creditor-timeout', plays: 'in the next debt answer, "creditors" creditors (default 1) time out: numberOfcreditorsMissing > 0, their loans null', exercises: [], available: true },
  { name: 'portal-revoke', plays: 'the person revokes the client\'s newest active consent (or "consentId") in NoGi\'s own portal: SAMTYKKE_ARKIVERT on the feed, no DELETE from the client', exercises: ['no-use-after-revoke', 'no-retry-invalid-consent'], available: true },
  { name: 'feed-gaps-on-page-boundaries', plays: 'feed pages whose sequence-number gaps fall on the page boundaries', exercises: ['feed-from-last-seen'], available: false, needs: `${STORE}: per-client control of sequence numbers` },
  { name: 'tokens-expire-in-seconds', plays: 'tokens issued to this client expire after a few seconds', exercises: ['token-reuse'], available: false, needs: `${STORE}: per-client token lifetimes` },
];

export async function playScenario(ctx: SimContext, clientId: string, name: string, options: Record<string, unknown>): Promise<string> {
  const info = scenarios.find((s) => s.name === name);
  if (!info) throw new ScenarioError(400, `unknown scenario "${name}"; known: ${scenarios.map((s) => s.name).join(', ')}`);
  if (!info.available) throw new ScenarioError(501, `scenario ${name} needs ${info.needs}`);
  const { state, catalogue } = ctx;
  let note: string;
  if (name === 'portal-revoke') {
    const wanted = typeof options.consentId === 'string' ? options.consentId : undefined;
    // Without a consent id: the newest consent the recording saw this client register, still active.
    const registered = recorderOf(ctx).exchanges(clientId)
      .filter((e) => e.operationId === 'createConsent' && e.response.status === 200)
      .map((e) => (e.response.body as { consent?: { id?: string } } | undefined)?.consent?.id)
      .filter((id): id is string => typeof id === 'string');
    let consent;
    for (const id of wanted ? [wanted] : [...registered].reverse()) {
      const candidate = await state.store.getConsent(id);
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
      const status = options.status === undefined ? 500 : Number(options.status);
      if (status < 500 || !op.statuses.includes(status)) throw new ScenarioError(400, `status must be a documented server error of ${operationId}: ${op.statuses.filter((s) => s >= 500).join(', ') || 'none'}`);
      state.faults.set(operationId, { status, times: 1 });
      note = `server-error-once: the next ${operationId} answers ${status}`;
    } else {
      if (!['getDebtWithConsentID', 'getDebtWithAuthCodeToken'].includes(operationId)) throw new ScenarioError(400, 'creditor-timeout applies to the debt lookups');
      const creditors = options.creditors === undefined ? 1 : Number(options.creditors);
      if (!Number.isInteger(creditors) || creditors < 1) throw new ScenarioError(400, 'creditors must be a whole number of 1 or more');
      state.faults.set(operationId, { creditorTimeout: creditors, times: 1 });
      note = `creditor-timeout: in the next ${operationId}, ${creditors} creditor(s) time out`;
    }
  }
  recorderOf(ctx).add({ at: Date.now(), simAt: state.clock.now(), host: 'sandbox', method: 'SCENARIO', path: name, query: {}, clientId, request: { auth: 'none' }, response: { status: 0 }, note });
  return note;
}
