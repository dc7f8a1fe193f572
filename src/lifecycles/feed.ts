/**
 * A consent's events in the consents feed, as the lifecycles read them (integrated and regular
 * consent): from the window of sequence numbers before the last, so that a long-lived sandbox's
 * feed is not read from its start.
 */
import { readFeed } from '../client/feed.ts';
import type { NoGiClient } from '../client/nogi-client.ts';
import type { FeedEvent } from '../contract/schemas.ts';

/** Sequence numbers looked back over for a consent's events (they are not contiguous). */
const feedWindow = 1000;

export async function consentEvents(nogi: NoGiClient, token: string, consentId: string): Promise<FeedEvent[]> {
  const [first, last] = await Promise.all([nogi.firstSequenceNr(token), nogi.lastSequenceNr(token)]);
  if (first.status !== 200 || last.status !== 200) throw new Error(`firstSequenceNr answered ${first.status}, lastSequenceNr ${last.status}: expected 200`);
  const from = Math.max(first.data.firstSequenceNr, last.data.lastSequenceNr - feedWindow);
  return (await readFeed(nogi, token, from)).events.filter((e) => e.consentId === consentId);
}

/** The event types of a consent's events, sorted: what a poll waits for. */
export const eventTypes = (events: FeedEvent[]): string[] => events.map((e) => e.eventType).sort();
