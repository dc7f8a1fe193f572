/**
 * The consents feed (reference/consent/consent-feed.md, explanation/consume-events-feed.md):
 * poll from a sequence number until endSequenceNr; numbers increase but are not contiguous and
 * not ordered by time; a client sees only the events of its own consents.
 */
import { randomUUID } from 'node:crypto';
import type { ClientCredentials } from '../src/config/target.ts';
import type { NoGiClient } from '../src/client/nogi-client.ts';
import { readFeed } from '../src/client/feed.ts';
import { expect, step, tags, test, type Tokens } from '../fixtures/nogi.ts';

async function registerConsent(nogi: NoGiClient, tokens: Tokens, client: ClientCredentials, nin: string): Promise<string> {
  const registered = await nogi.registerAgreement(await tokens.for('agreement', undefined, client), {
    nin,
    scope_of_consent: 'debt.unsecured.processing',
    consent_duration_days: 7,
    client_consent_id: `nogi-conformance-${randomUUID()}`,
  });
  expect(registered.status).toBe(200);
  return registered.data.consent.id;
}


test('paging until endSequenceNr finds every event, whatever the page size', { tag: tags.gate }, async ({ nogi, target, tokens }) => {
  const token = await tokens.for('feed', undefined, target.client);
  const start = (await nogi.lastSequenceNr(token)).data.lastSequenceNr;
  const consents = await step('Register three consents', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await registerConsent(nogi, tokens, target.client, target.nins.withDebt));
    return ids;
  });

  await step('Poll with limit 2 until the event numbered endSequenceNr has been received', async () => {
    await expect.poll(async () => {
      const { events } = await readFeed(nogi, token, start + 1, 2);
      return consents.filter((id) => events.some((e) => e.consentId === id && e.eventType === 'SAMTYKKE_OPPRETTET')).length;
    }, { timeout: target.feedLagMs }).toBe(3);
    const small = await readFeed(nogi, token, start + 1, 2);
    expect(small.pages, 'three events with limit 2 need more than one page').toBeGreaterThan(1);
    const numbers = small.events.map((e) => e.sequenceNr);
    expect([...numbers].sort((a, b) => a - b), 'sequence numbers increase page after page').toEqual(numbers);
    expect(new Set(numbers).size, 'no event twice').toBe(numbers.length);
    // Across pages (one page's are feed_invariants'): a reader that de-duplicates by eventId must not lose events.
    const ids = small.events.map((e) => e.eventId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'each event\'s eventId is its own, across pages (SamtykkeFeedEventDTO eventId: "This events id")').toEqual([]);
    const large = await readFeed(nogi, token, start + 1, 100);
    expect(large.events.map((e) => e.eventId), 'the same events with one large page').toEqual(small.events.map((e) => e.eventId));
  });

  await step('Each page holds at most limit events, from fromSequenceNr on, in increasing order', async () => {
    const { events } = await readFeed(nogi, token, start + 1);
    const mine = events.filter((e) => consents.includes(e.consentId)).map((e) => e.sequenceNr);
    // Start inside the run's events: a page from the second of them must leave out the first.
    const from = mine[1]!;
    const page = await nogi.feed(token, from, 2);
    expect(page.status).toBe(200);
    const numbers = page.data.result.map((e) => e.sequenceNr);
    expect(numbers.length, 'no more events than limit').toBeLessThanOrEqual(2);
    expect(numbers.length, 'events exist from there on').toBeGreaterThan(0);
    expect(Math.min(...numbers), 'no event before fromSequenceNr').toBeGreaterThanOrEqual(from);
    expect([...numbers].sort((a, b) => a - b), 'increasing within a page').toEqual(numbers);
    expect(page.data.endSequenceNr, 'endSequenceNr is not below what the page holds').toBeGreaterThanOrEqual(Math.max(...numbers));
  });

  await step('First and last sequence numbers bound what the feed holds', async () => {
    const first = await nogi.firstSequenceNr(token);
    const last = await nogi.lastSequenceNr(token);
    expect(first.status).toBe(200);
    expect(last.status).toBe(200);
    expect(first.data.firstSequenceNr).toBeLessThanOrEqual(last.data.lastSequenceNr);
    // Sequence numbers start at 1 (SamtykkeFeedEventDTO sequenceNr minimum): a page from 1 starts with the oldest event served.
    const oldest = await nogi.feed(token, 1, 1);
    expect(oldest.status).toBe(200);
    expect(oldest.data.result[0]?.sequenceNr, 'firstSequenceNr is the number of the oldest event the feed serves (firstSequenceNr: "the first (\'oldest\') sequence number in the event feed")')
      .toBe(first.data.firstSequenceNr);
    const { events } = await readFeed(nogi, token, start + 1);
    expect(Math.max(...events.map((e) => e.sequenceNr))).toBeLessThanOrEqual(last.data.lastSequenceNr);
  });
});

test('non-contiguous sequence numbers are read without gaps being mistaken for lost events', { tag: tags.gate }, async ({ nogi, target, tokens }) => {
  const token = await tokens.for('feed', undefined, target.client);
  const start = (await nogi.lastSequenceNr(token)).data.lastSequenceNr;
  const consentId = await registerConsent(nogi, tokens, target.client, target.nins.withDebt);
  const debtToken = await tokens.for('debt', 'debt.unsecured.processing');
  expect((await nogi.revokeConsent(debtToken, consentId)).status).toBe(204);

  await step('Read one event per page, starting after each number received', async () => {
    await expect.poll(async () => (await readFeed(nogi, token, start + 1, 1)).events.filter((e) => e.consentId === consentId).length, { timeout: target.feedLagMs }).toBe(2);
  });
  await step('Order the events by their timestamps, not their sequence numbers', async () => {
    const { events } = await readFeed(nogi, token, start + 1, 1);
    const mine = events.filter((e) => e.consentId === consentId).sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    expect(mine.map((e) => e.eventType), 'created before archived, by timestamp').toEqual(['SAMTYKKE_OPPRETTET', 'SAMTYKKE_ARKIVERT']);
    expect(mine[1]?.samtykkeArkivertEvent?.consentId).toBe(consentId);
  });
  await step('Each event names the polling client as the consent\'s', async () => {
    const { events } = await readFeed(nogi, token, start + 1, 1);
    for (const e of events.filter((event) => event.consentId === consentId)) {
      expect((e.samtykkeOpprettetEvent ?? e.samtykkeArkivertEvent)?.clientId,
        `the ${e.eventType} event's clientId is the polling client's own (clientId: "The client that this consent has been given to")`).toBe(target.client.clientId);
    }
  });
});

test('a page read from an event\'s number starts with that event: fromSequenceNr is included', { tag: tags.gate }, async ({ nogi, target, tokens }) => {
  const token = await tokens.for('feed', undefined, target.client);
  const start = (await nogi.lastSequenceNr(token)).data.lastSequenceNr;
  const consentId = await registerConsent(nogi, tokens, target.client, target.nins.withDebt);
  const numbered = await step('Find the number of the consent\'s event', async () => {
    let found: number | undefined;
    // Read from the last number the feed served before (so a provider that reads fromSequenceNr as
    // exclusive still shows the new event, and this step finds it). A client without events yet has
    // none to read from: its first event, the consent's, is its lastSequenceNr; the next step checks it is.
    const find = async () => (start > 0
      ? (await readFeed(nogi, token, start)).events.find((e) => e.consentId === consentId)?.sequenceNr
      : (await nogi.lastSequenceNr(token)).data.lastSequenceNr || undefined);
    await expect.poll(async () => (found = await find()), { timeout: target.feedLagMs }).toBeDefined();
    return found!;
  });
  await step('Read one event from that number', async () => {
    const page = await nogi.feed(token, numbered, 1);
    expect(page.status).toBe(200);
    expect(page.data.result[0]?.sequenceNr, `the event numbered fromSequenceNr (${numbered}) is on the page: "Returns the events from 'fromSequenceNr' (included)" (the feed operation's summary)`).toBe(numbered);
    expect(page.data.result[0]?.consentId, 'the event numbered so is the consent\'s').toBe(consentId);
  });
});

test('a client never sees the events of another client\'s consents', { tag: tags.gate }, async ({ nogi, target, tokens, requires }) => {
  requires('secondClient');
  const other = target.secondClient!;
  const mineToken = await tokens.for('feed', undefined, target.client);
  const otherToken = await tokens.for('feed', undefined, other);
  const start = Math.min((await nogi.lastSequenceNr(mineToken)).data.lastSequenceNr, (await nogi.lastSequenceNr(otherToken)).data.lastSequenceNr);
  const othersConsent = await registerConsent(nogi, tokens, other, target.nins.other);
  const myConsent = await registerConsent(nogi, tokens, target.client, target.nins.other);

  await step('The other client sees its own consent', async () => {
    await expect.poll(async () => (await readFeed(nogi, otherToken, start + 1)).events.some((e) => e.consentId === othersConsent), { timeout: target.feedLagMs }).toBe(true);
  });
  await step('Our feed has our consent and not theirs', async () => {
    await expect.poll(async () => (await readFeed(nogi, mineToken, start + 1)).events.some((e) => e.consentId === myConsent), { timeout: target.feedLagMs }).toBe(true);
    const { events } = await readFeed(nogi, mineToken, start + 1);
    expect(events.some((e) => e.consentId === othersConsent), 'another client\'s consent in our feed').toBe(false);
  });
});
