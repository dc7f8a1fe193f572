/**
 * One suite for every store engine (memory, SQLite, PostgreSQL): the same behaviour, so an engine
 * cannot drift. PostgreSQL runs on a throwaway cluster (postgres.ts), skipped with the reason
 * when the server binaries are absent.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openStore, type Store, type StoreConfig } from '../../src/simulator/store/index.ts';
import type { Consent } from '../../src/simulator/store/types.ts';
import { missing, startPostgres, type PgCluster } from './postgres.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

function consent(clientId: string, over: Partial<Consent> = {}): Consent {
  return {
    id: randomUUID(), clientId, nin: '14842249091', scope: 'debt.unsecured.presentation', createdAt: T0, expiresAt: T0 + 30 * DAY,
    singleUse: false, consumed: false, revoked: false, source: 'integrated', ...over,
  };
}
const created = (c: Consent, at = T0) => ({ eventId: randomUUID(), clientId: c.clientId, timestamp: at, eventType: 'SAMTYKKE_OPPRETTET' as const, scope: c.scope, externalConsentId: c.clientConsentId });
const archived = (c: Consent, at = T0) => ({ eventId: randomUUID(), clientId: c.clientId, consentId: c.id, timestamp: at, eventType: 'SAMTYKKE_ARKIVERT' as const });
const all = (clientId: string) => ({ clientId, after: 0, archived: true });

interface Engine {
  name: string;
  skip?: string;
  setUp(): Promise<StoreConfig>;
  tearDown(): Promise<void>;
  durable: boolean;
}

let pg: PgCluster | undefined;
let dir: string | undefined;
const engines: Engine[] = [
  { name: 'memory', durable: false, setUp: async () => ({ engine: 'memory' }), tearDown: async () => undefined },
  {
    name: 'sqlite', durable: true,
    setUp: async () => {
      dir = mkdtempSync(join(tmpdir(), 'nogi-store-'));
      return { engine: 'sqlite', file: join(dir, 'sim.db') };
    },
    tearDown: async () => rmSync(dir!, { recursive: true, force: true }),
  },
  {
    name: 'postgres', durable: true, skip: missing,
    setUp: async () => {
      pg = await startPostgres();
      return { engine: 'postgres', url: pg.url };
    },
    tearDown: async () => pg?.stop(),
  },
];

for (const engine of engines) {
  test.describe(`store: ${engine.name}`, () => {
    test.skip(engine.skip !== undefined, engine.skip);
    let config: StoreConfig;
    let store: Store;
    // Each test its own client ids, so tests on one store do not see each other's rows.
    let a: string;
    let b: string;
    test.beforeAll(async () => {
      test.setTimeout(90_000);
      config = await engine.setUp();
      store = await openStore(config);
    });
    test.afterAll(async () => {
      await store?.close();
      await engine.tearDown();
    });
    test.beforeEach(() => {
      a = `a-${randomUUID()}`;
      b = `b-${randomUUID()}`;
    });

    test('run-time clients: stored whole, found case-insensitively', async () => {
      const c = { name: 'Sandbox', client_id: a.toUpperCase(), client_secret_sha256: 'c2VjcmV0', redirect_uris: ['http://127.0.0.1/cb'], allowed_scopes: ['consent.create'], integratedConsent: true };
      await store.putClient(c, T0);
      expect(await store.getClient(a)).toEqual(c);
      expect(await store.getClient(b)).toBeUndefined();
    });

    test('run-time clients: counted, idle ones listed by last use, deleted', async () => {
      const make = (id: string) => ({ name: 'Sandbox', client_id: id, client_secret_sha256: 'c2VjcmV0', redirect_uris: ['http://127.0.0.1/cb'], allowed_scopes: ['consent.create'], integratedConsent: true });
      const before = await store.countClients();
      await store.putClient(make(a), T0);
      await store.putClient(make(b), T0);
      expect(await store.countClients()).toBe(before + 2);
      await store.touchClient(b.toUpperCase(), T0 + DAY);
      await store.touchClient(a, T0 - DAY); // never back in time
      const idle = await store.idleClients(T0 + 1);
      expect(idle).toContain(a);
      expect(idle).not.toContain(b);
      expect(await store.deleteClient(a.toUpperCase())).toBe(true);
      expect(await store.deleteClient(a)).toBe(false);
      expect(await store.getClient(a)).toBeUndefined();
      expect(await store.countClients()).toBe(before + 1);
    });

    test('tokens: stored whole, found by their hash, deleted by the consent they came from', async () => {
      const t = { tokenHash: randomUUID(), clientId: a, grant: 'authorization_code' as const, service: 'debt' as const, audience: 'x', scopes: ['s1', 's2'], expiresAt: T0 + 1000, consentId: 'c1' };
      await store.putToken(t);
      expect(await store.getToken(t.tokenHash)).toEqual(t);
      expect(await store.getToken('nope')).toBeUndefined();
      expect(await store.deleteTokensOfConsent('c1', 'client_credentials')).toBe(0);
      expect(await store.deleteTokensOfConsent('c1', 'authorization_code')).toBe(1);
      expect(await store.getToken(t.tokenHash)).toBeUndefined();
    });

    test('codes: one exchange wins, even when two race', async () => {
      const code = { codeHash: randomUUID(), clientId: a, redirectUri: 'http://x/cb', consentId: 'c', consentTerms: { scope: 'debt.unsecured.presentation' as const, singleUse: true, expiresAt: T0 + 600_000 }, scope: 's openid', openid: true, nin: '1', expiresAt: T0 + 60_000, used: false, nonce: 'n-1', codeChallenge: 'abc' };
      await store.putCode(code);
      expect(await store.getCode(code.codeHash)).toEqual(code);
      const wins = await Promise.all([store.useCode(code.codeHash), store.useCode(code.codeHash), store.useCode(code.codeHash)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect((await store.getCode(code.codeHash))?.used).toBe(true);
    });

    test('sessions: updated in place, counted per source and in all while unexpired, deleted', async () => {
      const s = { id: randomUUID(), clientId: a, redirectUri: 'http://x/cb', state: 'st', scope: 'debt.unsecured.presentation' as const, openid: false, stage: 'login' as const, expiresAt: T0 + 1000, source: 'address:10.0.0.1' };
      await store.putSession(s);
      await store.putSession({ ...s, id: randomUUID(), expiresAt: T0 - 1 });
      await store.putSession({ ...s, id: randomUUID(), clientId: b, source: 'browser:abc' });
      await store.putSession({ ...s, stage: 'consent', nin: '14842249091' });
      expect(await store.getSession(s.id)).toEqual({ ...s, stage: 'consent', nin: '14842249091' });
      expect(await store.countSessions('address:10.0.0.1', T0)).toBe(1);
      expect(await store.countSessions('browser:abc', T0)).toBe(1);
      expect(await store.countSessions('address:10.0.0.2', T0)).toBe(0);
      expect(await store.countSessions(undefined, T0)).toBe(2);
      await store.deleteSession(s.id);
      expect(await store.getSession(s.id)).toBeUndefined();
    });

    test('sessions: a source holding fewer evicts the oldest unexpired session of the busiest; one among the busiest evicts nothing', async () => {
      await store.reset();
      const base = { clientId: a, redirectUri: 'http://x/cb', state: 'st', scope: 'debt.unsecured.presentation' as const, openid: false, stage: 'login' as const };
      const busy = ['old', 'mid', 'new'].map((name, i) => ({ ...base, id: `busy-${name}`, expiresAt: T0 + 1000 + i, source: 'address:10.0.0.9' }));
      for (const s of busy) await store.putSession(s);
      await store.putSession({ ...base, id: 'busy-expired', expiresAt: T0 - 1, source: 'address:10.0.0.9' });
      await store.putSession({ ...base, id: 'other', expiresAt: T0 + 500, source: 'browser:xyz' });
      expect(await store.evictForSource('address:10.0.0.7', T0)).toBe(true);
      expect(await store.getSession('busy-old')).toBeUndefined();
      expect(await store.getSession('busy-mid')).toBeDefined();
      expect(await store.getSession('other')).toBeDefined();
      expect(await store.countSessions(undefined, T0)).toBe(3);
      // 10.0.0.9 holds 2 now; a source holding 2 is among the busiest.
      await store.putSession({ ...base, id: 'seven-1', expiresAt: T0 + 2000, source: 'address:10.0.0.7' });
      await store.putSession({ ...base, id: 'seven-2', expiresAt: T0 + 2000, source: 'address:10.0.0.7' });
      expect(await store.evictForSource('address:10.0.0.7', T0)).toBe(false);
      expect(await store.countSessions(undefined, T0)).toBe(5);
      await store.reset();
    });

    test('consents: one event per registration; a client_consent_id registers once per client, also when requests race', async () => {
      const c = consent(a, { clientConsentId: 'loan-1' });
      const first = await store.createConsent(c, created(c), 1);
      expect(first).toEqual({ consent: c, created: true });
      const again = consent(a, { clientConsentId: 'loan-1' });
      const second = await store.createConsent(again, created(again), 1);
      expect(second.created).toBe(false);
      expect(second.consent.id).toBe(c.id);
      // The same client_consent_id under another client is another consent.
      const other = consent(b, { clientConsentId: 'loan-1' });
      expect((await store.createConsent(other, created(other), 1)).created).toBe(true);
      expect(await store.findConsent(a, 'loan-1')).toEqual(c);
      const racing = Array.from({ length: 5 }, () => consent(a, { clientConsentId: 'loan-2' }));
      const results = await Promise.all(racing.map((r) => store.createConsent(r, created(r), 1)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.consent.id)).size).toBe(1);
      // Regular consents have no client_consent_id and never collide.
      const r1 = consent(a, { source: 'regular' });
      const r2 = consent(a, { source: 'regular' });
      expect((await store.createConsent(r1, created(r1), 1)).created).toBe(true);
      expect((await store.createConsent(r2, created(r2), 1)).created).toBe(true);
      expect((await store.feedPage(all(a), 0, 100)).map((e) => e.consentId)).toEqual([c.id, results.find((r) => r.created)!.consent.id, r1.id, r2.id]);
    });

    test('revoke: once, with one SAMTYKKE_ARKIVERT; consumed and counted', async () => {
      const c = consent(a);
      await store.createConsent(c, created(c), 1);
      expect(await store.revokeConsent(c.id, archived(c), 1)).toBe(true);
      expect(await store.revokeConsent(c.id, archived(c), 1)).toBe(false);
      expect(await store.revokeConsent('unknown', archived({ ...c, id: 'unknown' }), 1)).toBe(false);
      expect((await store.getConsent(c.id))?.revoked).toBe(true);
      expect((await store.feedPage(all(a), 0, 10)).map((e) => e.eventType)).toEqual(['SAMTYKKE_OPPRETTET', 'SAMTYKKE_ARKIVERT']);
      const d = consent(a);
      await store.createConsent(d, created(d), 1);
      await store.markConsumed(d.id);
      expect((await store.getConsent(d.id))?.consumed).toBe(true);
      const e = consent(a, { expiresAt: T0 + 10 });
      await store.createConsent(e, created(e), 1);
      expect(await store.countConsents(a, T0)).toEqual({ consents: 3, active: 1 });
      expect(await store.countConsents(a, T0 + 10)).toEqual({ consents: 3, active: 0 });
    });

    test('a lookup after a change sees the change, also when the row was looked up before (SQLite keeps rows in memory)', async () => {
      const c = consent(a);
      await store.createConsent(c, created(c), 1);
      expect((await store.getConsent(c.id))?.revoked).toBe(false);
      // Asked for at once: the lookups in flight around the change answer in the order they were
      // asked (one process's engines; PostgreSQL's pool runs them on several connections at once).
      const [before, revoked, after] = await Promise.all([store.getConsent(c.id), store.revokeConsent(c.id, archived(c), 1), store.getConsent(c.id)]);
      expect(revoked).toBe(true);
      if (engine.name !== 'postgres') expect([before?.revoked, after?.revoked]).toEqual([false, true]);
      expect((await store.getConsent(c.id))?.revoked).toBe(true);
      const d = consent(a);
      await store.createConsent(d, created(d), 1);
      expect((await store.getConsent(d.id))?.consumed).toBe(false);
      await store.markConsumed(d.id);
      expect((await store.getConsent(d.id))?.consumed).toBe(true);
      const t = { tokenHash: randomUUID(), clientId: a, grant: 'authorization_code' as const, service: 'debt' as const, audience: 'x', scopes: ['s1'], expiresAt: T0 + 1000, consentId: d.id };
      await store.putToken(t);
      expect(await store.getToken(t.tokenHash)).toEqual(t);
      const [found, deleted, gone] = await Promise.all([store.getToken(t.tokenHash), store.deleteTokensOfConsent(d.id, 'authorization_code'), store.getToken(t.tokenHash)]);
      expect(deleted).toBe(1);
      if (engine.name !== 'postgres') expect([found?.tokenHash, gone]).toEqual([t.tokenHash, undefined]);
      expect(await store.getToken(t.tokenHash)).toBeUndefined();
      const u = { ...t, tokenHash: randomUUID(), expiresAt: T0 };
      await store.putToken(u);
      expect(await store.getToken(u.tokenHash)).toEqual(u);
      await store.sweep(T0, 0);
      expect(await store.getToken(u.tokenHash)).toBeUndefined();
      await store.reset(a);
      expect(await store.getConsent(d.id)).toBeUndefined();
    });

    test('feed: pages in sequence order from a number, bounds from one query, retention and archive filter', async () => {
      const ids: Consent[] = [];
      for (let i = 0; i < 6; i += 1) {
        const c = consent(a);
        ids.push(c);
        await store.createConsent(c, created(c, T0 + i * DAY), 1 + (i % 3));
      }
      await store.revokeConsent(ids[0]!.id, archived(ids[0]!, T0 + 6 * DAY), 2);
      const events = await store.feedPage(all(a), 0, 100);
      const seqs = events.map((e) => e.sequenceNr);
      expect(seqs).toHaveLength(7);
      expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(7);
      expect(events[0]).toMatchObject({ clientId: a, consentId: ids[0]!.id, eventType: 'SAMTYKKE_OPPRETTET', scope: 'debt.unsecured.presentation', timestamp: T0 });
      expect(await store.feedPage(all(a), seqs[2]!, 2)).toEqual(events.slice(2, 4));
      expect(await store.feedPage(all(a), seqs[6]! + 1, 10)).toEqual([]);
      expect(await store.sequenceBounds(all(a))).toEqual({ first: seqs[0], last: seqs[6] });
      expect(await store.sequenceBounds(all(b))).toEqual({ first: 0, last: 0 });
      // Without archive events, and only those newer than two days after T0.
      const w = { clientId: a, after: T0 + 2 * DAY, archived: false };
      expect((await store.feedPage(w, 0, 100)).map((e) => e.sequenceNr)).toEqual(seqs.slice(3, 6));
      expect(await store.sequenceBounds(w)).toEqual({ first: seqs[3], last: seqs[5] });
    });

    test('sweep: expired sessions, codes and tokens and events past retention deleted, the rest kept', async () => {
      await store.reset();
      const base = { clientId: a, redirectUri: 'http://x/cb', state: 'st', scope: 'debt.unsecured.presentation' as const, openid: false, stage: 'login' as const };
      await store.putSession({ ...base, id: randomUUID(), expiresAt: T0 });
      await store.putSession({ ...base, id: randomUUID(), expiresAt: T0 + 1 });
      await store.putCode({ codeHash: randomUUID(), clientId: a, redirectUri: 'r', consentId: 'c', consentTerms: { scope: 'debt.unsecured.presentation', singleUse: true, expiresAt: T0 }, scope: 's', openid: false, nin: '1', expiresAt: T0, used: false });
      await store.putToken({ tokenHash: randomUUID(), clientId: a, grant: 'client_credentials', service: 'debt', audience: 'x', scopes: [], expiresAt: T0 - 5 });
      const live = { tokenHash: randomUUID(), clientId: a, grant: 'client_credentials' as const, service: 'debt' as const, audience: 'x', scopes: [], expiresAt: T0 + 5 };
      await store.putToken(live);
      const old = consent(a);
      const recent = consent(a);
      await store.createConsent(old, created(old, T0 - 8 * DAY), 1);
      await store.createConsent(recent, created(recent, T0), 1);
      expect(await store.sweep(T0, T0 - 7 * DAY)).toEqual({ tokens: 1, codes: 1, sessions: 1, events: 1 });
      expect(await store.getToken(live.tokenHash)).toEqual(live);
      expect((await store.feedPage(all(a), 0, 10)).map((e) => e.consentId)).toEqual([recent.id]);
      // The consent itself stays: only its event is past retention.
      expect(await store.getConsent(old.id)).toBeDefined();
      expect(await store.counts(T0)).toMatchObject({ tokens: 1, codes: 0, sessions: 1, consents: 2, activeConsents: 2, events: 1 });
      const other = consent(b, { expiresAt: T0 });
      await store.createConsent(other, created(other), 1);
      expect(await store.clientCounts(T0)).toEqual([
        { clientId: a, consents: 2, activeConsents: 2, events: 1 },
        { clientId: b, consents: 1, activeConsents: 0, events: 1 },
      ]);
    });

    test('reset: one client or all; sequence numbers keep increasing across it', async () => {
      const ca = consent(a);
      const cb = consent(b);
      await store.createConsent(ca, created(ca), 1);
      await store.createConsent(cb, created(cb), 1);
      const before = (await store.counts(T0)).lastSequenceNr;
      expect(before).toBeGreaterThan(0);
      await store.reset(a);
      expect(await store.getConsent(ca.id)).toBeUndefined();
      expect(await store.getConsent(cb.id)).toBeDefined();
      await store.reset();
      expect(await store.getConsent(cb.id)).toBeUndefined();
      const next = consent(a);
      await store.createConsent(next, created(next), 3);
      const [event] = await store.feedPage(all(a), 0, 1);
      expect(event!.sequenceNr).toBe(before + 3);
      expect((await store.counts(T0)).lastSequenceNr).toBe(before + 3);
    });

    test('a reopened store has what was committed, and migrations are not applied twice', async () => {
      test.skip(!engine.durable, 'the memory engine keeps nothing across opens');
      const c = consent(a, { clientConsentId: 'kept' });
      await store.createConsent(c, created(c), 1);
      // An SQLite file has one owner at a time (store/owner.ts); PostgreSQL is shared while open.
      const shared = config.engine === 'postgres';
      if (!shared) await store.close();
      const reopened = await openStore(config);
      try {
        expect(await reopened.findConsent(a, 'kept')).toEqual(c);
        expect((await reopened.feedPage(all(a), 0, 10)).map((e) => e.consentId)).toEqual([c.id]);
        const d = consent(a);
        await reopened.createConsent(d, created(d), 1);
        const seqs = (await (shared ? store : reopened).feedPage(all(a), 0, 10)).map((e) => e.sequenceNr);
        expect(seqs[1]).toBeGreaterThan(seqs[0]!);
      } finally {
        if (shared) await reopened.close();
        else store = reopened;
      }
    });
  });
}

test('migrations are versioned: a database at version 1 is brought to the newest at open, its rows kept', async () => {
  const { SqliteEngine } = await import('../../src/simulator/store/sqlite.ts');
  const { MIGRATIONS } = await import('../../src/simulator/store/sql.ts');
  const dir = mkdtempSync(join(tmpdir(), 'nogi-store-'));
  const file = join(dir, 'old.db');
  try {
    // What a simulator of schema version 1 left behind.
    const old = new SqliteEngine(file);
    await old.tx(async (q) => {
      await q.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const s of MIGRATIONS[0]!.statements('sqlite')) await q.run(s);
      await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (1, ?, 0)', [MIGRATIONS[0]!.name]);
      await q.run("INSERT INTO consents (id, client_id, client_consent_id, revoked, consumed, expires_at, data) VALUES ('c-1', 'a', 'x', 0, 0, 1, ?)",
        [JSON.stringify(consent('a', { id: 'c-1', clientConsentId: 'x' }))]);
    });
    await old.close();
    const store = await openStore({ engine: 'sqlite', file });
    try {
      expect((await store.getConsent('c-1'))?.clientConsentId).toBe('x');
      // Versions 2 and 3 (run-time clients, their last use) were applied.
      await store.putClient({ name: 'n', client_id: 'new', client_secret_sha256: 'cw', redirect_uris: [], allowed_scopes: [], integratedConsent: false }, T0);
      expect((await store.getClient('new'))?.name).toBe('n');
    } finally {
      await store.close();
    }
    const check = new SqliteEngine(file);
    expect((await check.all('SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    await check.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an SQLite data file has one owner: a second store on it is refused until the first closes; an owner that died is taken over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nogi-store-'));
  const file = join(dir, 'nogi-sim.db');
  try {
    const first = await openStore({ engine: 'sqlite', file });
    await expect(openStore({ engine: 'sqlite', file })).rejects.toThrow(/in use by another simulator .*NOGI_SIM_DATA_DIR/);
    await first.close();
    expect(existsSync(`${file}.owner`)).toBe(false);
    // SIGKILL leaves the owner file behind, naming a process that is gone.
    writeFileSync(`${file}.owner`, '2147483646');
    const next = await openStore({ engine: 'sqlite', file });
    await next.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
