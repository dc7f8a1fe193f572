/**
 * The SQL engines' one store: SQLite and PostgreSQL run the same statements (written with `?`
 * placeholders; the PostgreSQL engine numbers them), differing only in how a feed sequence number
 * is drawn (sqlite.ts, postgres.ts). Schema changes are versioned migrations, applied in order
 * at open and recorded in schema_migrations.
 */
import { secretHash } from '../secrets.ts';
import type { ClientCounts, AccessToken, AuthCode, AuthSession, Consent, FeedEvent, FeedWindow, NewFeedEvent, Store, StoreCounts, StoredClient, SweepResult } from './types.ts';

export type Row = Record<string, unknown>;

export interface Queryable {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

export interface SqlEngine extends Queryable {
  readonly dialect: 'sqlite' | 'postgres';
  readonly description: string;
  /** Runs fn in one transaction (serialised with the engine's other transactions where needed). */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** Advances the global feed sequence by `gap` inside the transaction, returning the new value. */
  nextSequence(q: Queryable, gap: number): Promise<number>;
  currentSequence(): Promise<number>;
  /** Serialises migrations of several instances starting at once (inside the migration transaction). */
  lockForMigration(q: Queryable): Promise<void>;
  /** Overwrites what deleted rows left in the file's free pages (SQLite: VACUUM; PostgreSQL: nothing it can promise). */
  purgeFreePages(): Promise<void>;
  close(): Promise<void>;
}

interface Migration {
  version: number;
  name: string;
  statements: (dialect: SqlEngine['dialect']) => string[];
  /** Rows rewritten in code, after the statements (what SQL alone cannot compute, e.g. a SHA-256 in SQLite). */
  rewrite?: (q: Queryable) => Promise<void>;
  /** Old values of the rewritten rows may be left in free pages: purge them once migrated. */
  purges?: boolean;
}

/** Version 5: tokens keyed on their hash, clients' secrets as hashes; what was stored in clear is rewritten. */
async function hashSecrets(q: Queryable): Promise<void> {
  for (const r of await q.all('SELECT token, client_id, consent_id, grant_type, expires_at, data FROM tokens')) {
    const { token, ...rest } = json<AccessToken & { token: string }>(r.data);
    const tokenHash = secretHash(token);
    await q.run('INSERT INTO tokens_hashed (token_hash, client_id, consent_id, grant_type, expires_at, data) VALUES (?, ?, ?, ?, ?, ?)',
      [tokenHash, r.client_id, r.consent_id, r.grant_type, r.expires_at, JSON.stringify({ ...rest, tokenHash })]);
  }
  await q.run('DROP TABLE tokens');
  await q.run('ALTER TABLE tokens_hashed RENAME TO tokens');
  await q.run('CREATE INDEX tokens_consent ON tokens (consent_id)');
  await q.run('CREATE INDEX tokens_expires ON tokens (expires_at)');
  for (const r of await q.all('SELECT client_id, data FROM clients')) {
    const { client_secret: secret, ...client } = json<StoredClient & { client_secret?: string }>(r.data);
    if (secret === undefined) continue;
    await q.run('UPDATE clients SET data = ? WHERE client_id = ?', [JSON.stringify({ ...client, client_secret_sha256: secretHash(secret) }), r.client_id]);
  }
}

/** Version 6: authorization codes keyed on their hash, as tokens are (version 5); codes stored in clear are rewritten. */
async function hashCodes(q: Queryable): Promise<void> {
  for (const r of await q.all('SELECT client_id, used, expires_at, data FROM codes')) {
    const { code, ...rest } = json<AuthCode & { code: string }>(r.data);
    const codeHash = secretHash(code);
    await q.run('INSERT INTO codes_hashed (code_hash, client_id, used, expires_at, data) VALUES (?, ?, ?, ?, ?)',
      [codeHash, r.client_id, r.used, r.expires_at, JSON.stringify({ ...rest, codeHash })]);
  }
  await q.run('DROP TABLE codes');
  await q.run('ALTER TABLE codes_hashed RENAME TO codes');
  await q.run('CREATE INDEX codes_expires ON codes (expires_at)');
}

/** Append only: a released migration is never edited, a change is a new version. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'tokens, codes, sessions, consents, feed events',
    statements: (dialect) => [
      'CREATE TABLE tokens (token TEXT PRIMARY KEY, client_id TEXT NOT NULL, consent_id TEXT, grant_type TEXT NOT NULL, expires_at BIGINT NOT NULL, data TEXT NOT NULL)',
      'CREATE INDEX tokens_consent ON tokens (consent_id)',
      'CREATE INDEX tokens_expires ON tokens (expires_at)',
      'CREATE TABLE codes (code TEXT PRIMARY KEY, client_id TEXT NOT NULL, used INTEGER NOT NULL, expires_at BIGINT NOT NULL, data TEXT NOT NULL)',
      'CREATE INDEX codes_expires ON codes (expires_at)',
      'CREATE TABLE sessions (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires_at BIGINT NOT NULL, data TEXT NOT NULL)',
      'CREATE INDEX sessions_client ON sessions (client_id, expires_at)',
      'CREATE INDEX sessions_expires ON sessions (expires_at)',
      // The consent id is the primary key (its index); NULL client_consent_ids (regular consents) never collide.
      'CREATE TABLE consents (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, client_consent_id TEXT, revoked INTEGER NOT NULL, consumed INTEGER NOT NULL, expires_at BIGINT NOT NULL, data TEXT NOT NULL)',
      'CREATE UNIQUE INDEX consents_client_ccid ON consents (client_id, client_consent_id)',
      'CREATE TABLE events (sequence_nr BIGINT PRIMARY KEY, event_id TEXT NOT NULL, client_id TEXT NOT NULL, consent_id TEXT NOT NULL, ts BIGINT NOT NULL, event_type TEXT NOT NULL, scope TEXT, external_consent_id TEXT)',
      'CREATE INDEX events_client_seq ON events (client_id, sequence_nr)',
      'CREATE INDEX events_ts ON events (ts)',
      ...(dialect === 'postgres'
        ? ['CREATE SEQUENCE feed_sequence']
        : ["CREATE TABLE meta (k TEXT PRIMARY KEY, v BIGINT NOT NULL)", "INSERT INTO meta (k, v) VALUES ('sequence', 0)"]),
    ],
  },
  {
    version: 2,
    name: 'run-time clients (tenants)',
    statements: () => ['CREATE TABLE clients (client_id TEXT PRIMARY KEY, data TEXT NOT NULL)'],
  },
  {
    version: 3,
    name: 'run-time clients: last use (idle tenants expire)',
    // Tenants created before this count as used when it is applied.
    statements: () => [`ALTER TABLE clients ADD COLUMN last_used BIGINT NOT NULL DEFAULT ${Date.now()}`],
  },
  {
    version: 4,
    name: 'sessions: the source whose pending-login budget they spend',
    // Sessions from before have none: they count towards the total only, and expire within 30 minutes.
    statements: () => ['ALTER TABLE sessions ADD COLUMN source TEXT', 'CREATE INDEX sessions_source ON sessions (source, expires_at)'],
  },
  {
    version: 5,
    name: 'secrets at rest: tokens keyed on their SHA-256, client secrets as SHA-256',
    statements: () => ['CREATE TABLE tokens_hashed (token_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, consent_id TEXT, grant_type TEXT NOT NULL, expires_at BIGINT NOT NULL, data TEXT NOT NULL)'],
    rewrite: hashSecrets,
    purges: true,
  },
  {
    version: 6,
    name: 'secrets at rest: authorization codes keyed on their SHA-256',
    statements: () => ['CREATE TABLE codes_hashed (code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, used INTEGER NOT NULL, expires_at BIGINT NOT NULL, data TEXT NOT NULL)'],
    rewrite: hashCodes,
    purges: true,
  },
];

async function migrate(engine: SqlEngine): Promise<number[]> {
  return engine.tx(async (q) => {
    await engine.lockForMigration(q);
    await q.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await q.all('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const s of m.statements(engine.dialect)) await q.run(s);
      await m.rewrite?.(q);
      await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, Date.now()]);
      applied.push(m.version);
    }
    return applied;
  });
}

const num = (v: unknown): number => Number(v);
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const json = <T>(v: unknown): T => JSON.parse(String(v)) as T;
const flag = (b: boolean): number => (b ? 1 : 0);

function eventOf(r: Row): FeedEvent {
  const e: FeedEvent = {
    sequenceNr: num(r.sequence_nr), eventId: String(r.event_id), clientId: String(r.client_id), consentId: String(r.consent_id),
    timestamp: num(r.ts), eventType: r.event_type as FeedEvent['eventType'],
  };
  const scope = opt(r.scope);
  const external = opt(r.external_consent_id);
  if (scope !== undefined) e.scope = scope;
  if (external !== undefined) e.externalConsentId = external;
  return e;
}

function consentOf(r: Row): Consent {
  return { ...json<Consent>(r.data), revoked: num(r.revoked) === 1, consumed: num(r.consumed) === 1 };
}

const windowSql = (w: FeedWindow): [string, unknown[]] => [
  `client_id = ? AND ts > ?${w.archived ? '' : " AND event_type <> 'SAMTYKKE_ARKIVERT'"}`,
  [w.clientId, w.after],
];

/** Rows kept in memory at most, per cache (then the cache starts over). */
const MAX_CACHED = 10_000;

/**
 * SQLite's access tokens and consents, kept in memory too, as the rows were read (frozen: they are
 * shared). A token row is never changed once stored, only deleted; a consent changes only by being
 * revoked or consumed, or is deleted by a reset. Each of those goes through this store, which drops
 * what it changes before it changes it. That holds because SQLite is one instance's store;
 * PostgreSQL is shared by several instances, any of which may change a row, so there every lookup
 * asks the database. A lookup that was under way when rows were dropped does not put its answer in
 * the cache (the generation changed), so a row changed meanwhile never comes back stale.
 */
class RowCache<T extends object> {
  private readonly rows = new Map<string, T>();
  private generation = 0;

  get(key: string): T | undefined {
    return this.rows.get(key);
  }
  /** The generation a lookup starts in; keep() caches its answer only if nothing was dropped since. */
  start(): number {
    return this.generation;
  }
  keep(key: string, row: T, since: number): T {
    if (since !== this.generation) return row;
    if (this.rows.size >= MAX_CACHED) this.rows.clear();
    for (const v of Object.values(row)) if (typeof v === 'object' && v !== null) Object.freeze(v);
    this.rows.set(key, Object.freeze(row));
    return row;
  }
  drop(key: string): void {
    this.generation += 1;
    this.rows.delete(key);
  }
  dropWhere(match: (row: T) => boolean): void {
    this.generation += 1;
    for (const [k, row] of this.rows) if (match(row)) this.rows.delete(k);
  }
  clear(): void {
    this.generation += 1;
    this.rows.clear();
  }
}

export class SqlStore implements Store {
  /** SQLite only (RowCache says why). */
  private readonly tokenCache: RowCache<AccessToken> | undefined;
  private readonly consentCache: RowCache<Consent> | undefined;

  constructor(private readonly db: SqlEngine) {
    this.tokenCache = db.dialect === 'sqlite' ? new RowCache() : undefined;
    this.consentCache = db.dialect === 'sqlite' ? new RowCache() : undefined;
  }

  get description(): string {
    return this.db.description;
  }

  static async open(db: SqlEngine): Promise<SqlStore> {
    const applied = await migrate(db);
    // Outside the migration's transaction (VACUUM cannot run in one).
    if (MIGRATIONS.some((m) => m.purges && applied.includes(m.version))) await db.purgeFreePages();
    return new SqlStore(db);
  }

  async putClient(c: StoredClient, at: number): Promise<void> {
    await this.db.run('INSERT INTO clients (client_id, data, last_used) VALUES (?, ?, ?)', [c.client_id.toLowerCase(), JSON.stringify(c), at]);
  }
  async getClient(clientId: string): Promise<StoredClient | undefined> {
    const [r] = await this.db.all('SELECT data FROM clients WHERE client_id = ?', [clientId.toLowerCase()]);
    return r ? json<StoredClient>(r.data) : undefined;
  }
  async countClients(): Promise<number> {
    const [r] = await this.db.all('SELECT COUNT(*) AS n FROM clients');
    return num(r?.n);
  }
  async deleteClient(clientId: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM clients WHERE client_id = ?', [clientId.toLowerCase()])) > 0;
  }
  async touchClient(clientId: string, at: number): Promise<void> {
    await this.db.run('UPDATE clients SET last_used = ? WHERE client_id = ? AND last_used < ?', [at, clientId.toLowerCase(), at]);
  }
  async idleClients(before: number): Promise<string[]> {
    return (await this.db.all('SELECT data FROM clients WHERE last_used < ?', [before])).map((r) => json<StoredClient>(r.data).client_id);
  }

  async putToken(t: AccessToken): Promise<void> {
    const data = JSON.stringify(t);
    const since = this.tokenCache?.start();
    await this.db.run('INSERT INTO tokens (token_hash, client_id, consent_id, grant_type, expires_at, data) VALUES (?, ?, ?, ?, ?, ?)',
      [t.tokenHash, t.clientId, t.consentId ?? null, t.grant, t.expiresAt, data]);
    if (since !== undefined) this.tokenCache!.keep(t.tokenHash, json<AccessToken>(data), since);
  }
  // getToken and getConsent read through their caches written out, not through a shared helper:
  // one (a closure per call) cost a status lookup 8 µs of its ~95, measured side by side.
  async getToken(tokenHash: string): Promise<AccessToken | undefined> {
    const cached = this.tokenCache?.get(tokenHash);
    if (cached) return cached;
    const since = this.tokenCache?.start();
    const [r] = await this.db.all('SELECT data FROM tokens WHERE token_hash = ?', [tokenHash]);
    if (!r) return undefined;
    const t = json<AccessToken>(r.data);
    return since === undefined ? t : this.tokenCache!.keep(tokenHash, t, since);
  }
  deleteTokensOfConsent(consentId: string, grant: AccessToken['grant']): Promise<number> {
    this.tokenCache?.dropWhere((t) => t.consentId === consentId && t.grant === grant);
    return this.db.run('DELETE FROM tokens WHERE consent_id = ? AND grant_type = ?', [consentId, grant]);
  }

  async putCode(c: AuthCode): Promise<void> {
    await this.db.run('INSERT INTO codes (code_hash, client_id, used, expires_at, data) VALUES (?, ?, ?, ?, ?)', [c.codeHash, c.clientId, flag(c.used), c.expiresAt, JSON.stringify(c)]);
  }
  async getCode(codeHash: string): Promise<AuthCode | undefined> {
    const [r] = await this.db.all('SELECT used, data FROM codes WHERE code_hash = ?', [codeHash]);
    return r ? { ...json<AuthCode>(r.data), used: num(r.used) === 1 } : undefined;
  }
  async useCode(codeHash: string): Promise<boolean> {
    return (await this.db.run('UPDATE codes SET used = 1 WHERE code_hash = ? AND used = 0', [codeHash])) === 1;
  }

  async putSession(s: AuthSession): Promise<void> {
    await this.db.run('INSERT INTO sessions (id, client_id, source, expires_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at, data = excluded.data',
      [s.id, s.clientId, s.source ?? null, s.expiresAt, JSON.stringify(s)]);
  }
  async getSession(id: string): Promise<AuthSession | undefined> {
    const [r] = await this.db.all('SELECT data FROM sessions WHERE id = ?', [id]);
    return r ? json<AuthSession>(r.data) : undefined;
  }
  async deleteSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id = ?', [id]);
  }
  async countSessions(source: string | undefined, now: number): Promise<number> {
    const [r] = source === undefined
      ? await this.db.all('SELECT COUNT(*) AS n FROM sessions WHERE expires_at > ?', [now])
      : await this.db.all('SELECT COUNT(*) AS n FROM sessions WHERE source = ? AND expires_at > ?', [source, now]);
    return num(r?.n);
  }

  async evictForSource(source: string, now: number): Promise<boolean> {
    // Only when the total is full (a flood): the GROUP BY reads at most that many rows, on sessions_source.
    const [busiest] = await this.db.all('SELECT source, COUNT(*) AS n FROM sessions WHERE source IS NOT NULL AND expires_at > ? GROUP BY source ORDER BY n DESC LIMIT 1', [now]);
    if (!busiest || num(busiest.n) <= await this.countSessions(source, now)) return false;
    return (await this.db.run('DELETE FROM sessions WHERE id = (SELECT id FROM sessions WHERE source = ? AND expires_at > ? ORDER BY expires_at, id LIMIT 1)', [busiest.source, now])) > 0;
  }

  private async append(q: Queryable, e: NewFeedEvent, gap: number): Promise<void> {
    const seq = await this.db.nextSequence(q, gap);
    await q.run('INSERT INTO events (sequence_nr, event_id, client_id, consent_id, ts, event_type, scope, external_consent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [seq, e.eventId, e.clientId, e.consentId, e.timestamp, e.eventType, e.scope ?? null, e.externalConsentId ?? null]);
  }

  createConsent(c: Consent, event: Omit<NewFeedEvent, 'consentId'>, gap: number): Promise<{ consent: Consent; created: boolean }> {
    return this.db.tx(async (q) => {
      const inserted = await q.run('INSERT INTO consents (id, client_id, client_consent_id, revoked, consumed, expires_at, data) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        [c.id, c.clientId, c.clientConsentId ?? null, flag(c.revoked), flag(c.consumed), c.expiresAt, JSON.stringify(c)]);
      if (inserted === 0 && c.clientConsentId !== undefined) {
        const [r] = await q.all('SELECT revoked, consumed, data FROM consents WHERE client_id = ? AND client_consent_id = ?', [c.clientId, c.clientConsentId]);
        if (r) return { consent: consentOf(r), created: false };
      }
      if (inserted === 0) throw new Error(`consent id ${c.id} exists already`);
      await this.append(q, { ...event, consentId: c.id }, gap);
      return { consent: c, created: true };
    });
  }
  async getConsent(id: string): Promise<Consent | undefined> {
    const cached = this.consentCache?.get(id);
    if (cached) return cached;
    const since = this.consentCache?.start();
    const [r] = await this.db.all('SELECT revoked, consumed, data FROM consents WHERE id = ?', [id]);
    if (!r) return undefined;
    const c = consentOf(r);
    return since === undefined ? c : this.consentCache!.keep(id, c, since);
  }
  async findConsent(clientId: string, clientConsentId: string): Promise<Consent | undefined> {
    const [r] = await this.db.all('SELECT revoked, consumed, data FROM consents WHERE client_id = ? AND client_consent_id = ?', [clientId, clientConsentId]);
    return r ? consentOf(r) : undefined;
  }
  revokeConsent(id: string, event: NewFeedEvent, gap: number): Promise<boolean> {
    this.consentCache?.drop(id);
    return this.db.tx(async (q) => {
      if ((await q.run('UPDATE consents SET revoked = 1 WHERE id = ? AND revoked = 0', [id])) !== 1) return false;
      await this.append(q, event, gap);
      return true;
    });
  }
  async markConsumed(id: string): Promise<void> {
    this.consentCache?.drop(id);
    await this.db.run('UPDATE consents SET consumed = 1 WHERE id = ?', [id]);
  }
  async countConsents(clientId: string | undefined, now: number): Promise<{ consents: number; active: number }> {
    const where = clientId === undefined ? '' : 'WHERE client_id = ?';
    const [r] = await this.db.all(`SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN revoked = 0 AND consumed = 0 AND expires_at > ? THEN 1 ELSE 0 END), 0) AS active FROM consents ${where}`,
      clientId === undefined ? [now] : [now, clientId]);
    return { consents: num(r?.n), active: num(r?.active) };
  }

  async feedPage(w: FeedWindow, from: number, limit: number): Promise<FeedEvent[]> {
    const [where, params] = windowSql(w);
    const rows = await this.db.all(`SELECT * FROM events WHERE ${where} AND sequence_nr >= ? ORDER BY sequence_nr LIMIT ?`, [...params, from, limit]);
    return rows.map(eventOf);
  }
  async sequenceBounds(w: FeedWindow): Promise<{ first: number; last: number }> {
    const [where, params] = windowSql(w);
    // The first and last row of the window along the (client_id, sequence_nr) index, each found
    // with LIMIT 1 from its end, rather than MIN/MAX over every event of the client.
    const end = (order: 'ASC' | 'DESC') => `COALESCE((SELECT sequence_nr FROM events WHERE ${where} ORDER BY sequence_nr ${order} LIMIT 1), 0)`;
    const [r] = await this.db.all(`SELECT ${end('ASC')} AS first, ${end('DESC')} AS last`, [...params, ...params]);
    return { first: num(r?.first), last: num(r?.last) };
  }

  sweep(now: number, eventsBefore: number): Promise<SweepResult> {
    this.tokenCache?.clear();
    return this.db.tx(async (q) => ({
      tokens: await q.run('DELETE FROM tokens WHERE expires_at <= ?', [now]),
      codes: await q.run('DELETE FROM codes WHERE expires_at <= ?', [now]),
      sessions: await q.run('DELETE FROM sessions WHERE expires_at <= ?', [now]),
      events: await q.run('DELETE FROM events WHERE ts <= ?', [eventsBefore]),
    }));
  }

  async counts(now: number): Promise<StoreCounts> {
    const [r] = await this.db.all(`SELECT
      (SELECT COUNT(*) FROM tokens WHERE expires_at > ?) AS tokens,
      (SELECT COUNT(*) FROM codes WHERE expires_at > ?) AS codes,
      (SELECT COUNT(*) FROM sessions) AS sessions,
      (SELECT COUNT(*) FROM events) AS events`, [now, now]);
    const { consents, active } = await this.countConsents(undefined, now);
    return {
      tokens: num(r?.tokens), codes: num(r?.codes), sessions: num(r?.sessions), consents, activeConsents: active,
      events: num(r?.events), lastSequenceNr: await this.db.currentSequence(),
    };
  }

  async clientCounts(now: number): Promise<ClientCounts[]> {
    const rows = await this.db.all(`SELECT client_id, SUM(consents) AS consents, SUM(active) AS active, SUM(events) AS events FROM (
      SELECT client_id, COUNT(*) AS consents, SUM(CASE WHEN revoked = 0 AND consumed = 0 AND expires_at > ? THEN 1 ELSE 0 END) AS active, 0 AS events FROM consents GROUP BY client_id
      UNION ALL
      SELECT client_id, 0 AS consents, 0 AS active, COUNT(*) AS events FROM events GROUP BY client_id
    ) t GROUP BY client_id ORDER BY client_id`, [now]);
    return rows.map((r) => ({ clientId: String(r.client_id), consents: num(r.consents), activeConsents: num(r.active), events: num(r.events) }));
  }

  reset(clientId?: string): Promise<void> {
    this.tokenCache?.clear();
    this.consentCache?.clear();
    return this.db.tx(async (q) => {
      for (const table of ['tokens', 'codes', 'sessions', 'consents', 'events']) {
        if (clientId === undefined) await q.run(`DELETE FROM ${table}`);
        else await q.run(`DELETE FROM ${table} WHERE client_id = ?`, [clientId]);
      }
    });
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
