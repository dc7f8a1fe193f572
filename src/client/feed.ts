/**
 * Reading the consents feed as explanation/consume-events-feed.md says: from a sequence number,
 * page by page, until the event numbered `endSequenceNr` has been received. Sequence numbers
 * increase but are not contiguous, and are not ordered by time.
 *
 * The docs disagree on `endSequenceNr`: the schema calls it "the last (included) sequence number
 * for this response", the explanation "poll until you have received the event it indicates".
 * A reader that is right under both: go on while `endSequenceNr` lies beyond what was received
 * or the page came back full; stop on a short (or empty) page whose endSequenceNr was received.
 */
import type { FeedEvent } from '../contract/schemas.ts';
import type { NoGiClient } from './nogi-client.ts';

export interface FeedRead {
  events: FeedEvent[];
  pages: number;
}

export async function readFeed(client: NoGiClient, token: string, fromSequenceNr: number, limit = 50, maxPages = 100): Promise<FeedRead> {
  const events: FeedEvent[] = [];
  let from = Math.max(1, fromSequenceNr);
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await client.feed(token, from, limit);
    if (!page.ok) throw new Error(`The feed answered ${page.status} reading from ${from}`);
    events.push(...page.data.result);
    const received = page.data.result.some((e) => e.sequenceNr >= page.data.endSequenceNr);
    const full = page.data.result.length >= limit;
    if (page.data.result.length === 0 || (received && !full)) return { events, pages };
    from = Math.max(...page.data.result.map((e) => e.sequenceNr)) + 1;
  }
  throw new Error(`The feed did not reach its endSequenceNr within ${maxPages} pages`);
}
