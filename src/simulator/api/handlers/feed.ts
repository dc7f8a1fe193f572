/**
 * The Consents Feed API (reference/consent/consent-feed.md, explanation/consume-events-feed.md).
 *
 * Decisions where the docs are silent:
 * - `limit` must be at least 1 (else 400); above 1000 it is clamped to 1000. `fromSequenceNr` must
 *   be 0 or more (else 400).
 * - An empty page (nothing at or after fromSequenceNr): result [], startSequenceNr =
 *   max(1, fromSequenceNr), endSequenceNr = max(1, the client's newest sequence number), so
 *   "poll until you have received endSequenceNr" stops (you already have it, or there is none).
 * - firstSequenceNr / lastSequenceNr: the oldest / newest sequence number among the client's
 *   events within the 7 days of retention; 0 when the client has none.
 */
import type { FeedEvent } from '../../state.ts';
import { springError, type SimResponse } from '../errors.ts';
import type { Call } from './types.ts';

export const MAX_LIMIT = 1000;

/** The caller's events within the retention; archive events unless a deviation drops them. */
function eventsOf(call: Call): FeedEvent[] {
  const events = call.sim.state.feedFor(call.token.clientId);
  return call.sim.deviations.skips('feed-archived-events') ? events.filter((e) => e.eventType !== 'SAMTYKKE_ARKIVERT') : events;
}

export function feed(call: Call): SimResponse {
  const q = call.c.request.query as Record<string, unknown>;
  const from = Number(q.fromSequenceNr);
  const limit = Number(q.limit);
  if (!Number.isSafeInteger(from) || from < 0) return springError(call.sim, 400, call.path, 'fromSequenceNr must be an integer of 0 or more');
  if (!Number.isSafeInteger(limit) || limit < 1) return springError(call.sim, 400, call.path, 'limit must be an integer of 1 or more');
  const events = eventsOf(call).sort((a, b) => a.sequenceNr - b.sequenceNr);
  const page = events.filter((e) => e.sequenceNr >= from).slice(0, Math.min(limit, MAX_LIMIT));
  const newest = events.at(-1)?.sequenceNr ?? 0;
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
      generatedAt: call.sim.state.clock.date().toISOString(),
      result,
    },
  };
}

export function firstSequenceNr(call: Call): SimResponse {
  const events = eventsOf(call);
  return { status: 200, body: { firstSequenceNr: events.length ? Math.min(...events.map((e) => e.sequenceNr)) : 0 } };
}

export function lastSequenceNr(call: Call): SimResponse {
  const events = eventsOf(call);
  return { status: 200, body: { lastSequenceNr: events.length ? Math.max(...events.map((e) => e.sequenceNr)) : 0 } };
}
