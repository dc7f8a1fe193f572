/**
 * The Consents Feed API (reference/consent/consent-feed.md, explanation/consume-events-feed.md).
 *
 * Decisions where the docs are silent:
 * - `limit` must be at least 1 (else 400); above 1000 it is clamped to 1000. `fromSequenceNr` must
 *   be 0 or more (else 400). Both are plain decimal integers, as Spring parses a long: `0x10`,
 *   `1e3` and `1.0` are 400.
 * - An empty page (nothing at or after fromSequenceNr): result [], startSequenceNr =
 *   max(1, fromSequenceNr), endSequenceNr = max(1, the client's newest sequence number), so
 *   "poll until you have received endSequenceNr" stops (you already have it, or there is none).
 * - firstSequenceNr / lastSequenceNr: the oldest / newest sequence number among the client's
 *   events within the 7 days of retention; 0 when the client has none. One indexed query each.
 */
import type { FeedWindow } from '../../store/types.ts';
import { familyError, type SimResponse } from '../errors.ts';
import type { Call } from './types.ts';

const MAX_LIMIT = 1000;

/** The caller's window: within the retention; archive events unless a deviation drops them. */
const windowOf = (call: Call): FeedWindow => call.sim.state.feedWindow(call.token.clientId, !call.sim.deviations.skips('feed-archived-events'));

/** A Java long as Spring's converter reads it: optional sign, decimal digits only. */
function strictInteger(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  if (s === undefined || !/^[+-]?\d{1,16}$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

export async function feed(call: Call): Promise<SimResponse> {
  const q = call.request.query;
  const from = strictInteger(q.fromSequenceNr);
  const limit = strictInteger(q.limit);
  if (from === undefined || from < 0) return familyError(call.sim, call.operation.operationId, 400, call, 'fromSequenceNr must be an integer of 0 or more');
  if (limit === undefined || limit < 1) return familyError(call.sim, call.operation.operationId, 400, call, 'limit must be an integer of 1 or more');
  const w = windowOf(call);
  // "from 'fromSequenceNr' (included)" (the operation's summary); a deviation starts after it.
  const first = call.sim.deviations.skips('feed-from-included') ? from + 1 : from;
  const page = await call.sim.state.feedPage(w, first, Math.min(limit, MAX_LIMIT));
  const newest = page.length ? 0 : (await call.sim.state.sequenceBounds(w)).last;
  const result = page.map((e) => ({
    sequenceNr: e.sequenceNr,
    eventId: e.eventId,
    consentId: e.consentId,
    timestamp: new Date(e.timestamp).toISOString(),
    eventType: e.eventType,
    samtykkeOpprettetEvent: e.eventType === 'SAMTYKKE_OPPRETTET'
      ? { clientId: e.clientId, consentId: e.consentId, scope: e.scope, ...(e.externalConsentId !== undefined ? { externalConsentId: e.externalConsentId } : {}) }
      : null,
    samtykkeArkivertEvent: e.eventType === 'SAMTYKKE_ARKIVERT' ? { clientId: e.clientId, consentId: e.consentId } : null,
  }));
  return {
    status: 200,
    body: {
      startSequenceNr: page[0]?.sequenceNr ?? Math.max(1, from),
      endSequenceNr: page.at(-1)?.sequenceNr ?? Math.max(1, newest),
      // The client's own time, as its events are stamped (state.now): no event is after its page.
      generatedAt: new Date(call.sim.state.now(call.token.clientId)).toISOString(),
      result,
    },
  };
}

export async function firstSequenceNr(call: Call): Promise<SimResponse> {
  return { status: 200, body: { firstSequenceNr: (await call.sim.state.sequenceBounds(windowOf(call))).first } };
}

export async function lastSequenceNr(call: Call): Promise<SimResponse> {
  return { status: 200, body: { lastSequenceNr: (await call.sim.state.sequenceBounds(windowOf(call))).last } };
}
