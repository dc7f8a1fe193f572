/**
 * Reading the consents feed the way explanation/consume-events-feed.md says: from a sequence
 * number, page by page, until the event numbered `endSequenceNr` has been received. Sequence
 * numbers increase but are not contiguous, and are not ordered by time.
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
    const received = page.data.result.some((e) => e.sequenceNr === page.data.endSequenceNr);
    if (page.data.result.length === 0 || received) return { events, pages };
    from = Math.max(...page.data.result.map((e) => e.sequenceNr)) + 1;
  }
  throw new Error(`The feed did not reach its endSequenceNr within ${maxPages} pages`);
}
