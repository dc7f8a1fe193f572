/**
 * The shared engine (pg): several simulator instances behind a load balancer on one database.
 * Feed sequence numbers come from a database sequence, so they increase across instances.
 */
import pg from 'pg';
import type { Queryable, Row, SqlEngine } from './sql.ts';

/** `?` placeholders (the one dialect of sql.ts) as PostgreSQL's $1, $2, ... */
const numbered = (sql: string): string => {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
};

const over = (c: pg.Pool | pg.PoolClient): Queryable => ({
  all: async (sql, params = []) => (await c.query(numbered(sql), params)).rows as Row[],
  run: async (sql, params = []) => (await c.query(numbered(sql), params)).rowCount ?? 0,
});

export class PostgresEngine implements SqlEngine {
  readonly dialect = 'postgres';
  readonly description: string;
  private readonly pool: pg.Pool;
  private readonly q: Queryable;

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle client losing its server must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
    this.q = over(this.pool);
    const u = new URL(url);
    this.description = `postgres ${u.hostname}:${u.port || 5432}${u.pathname}`; // never the password
  }

  all(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.q.all(sql, params);
  }
  run(sql: string, params?: unknown[]): Promise<number> {
    return this.q.run(sql, params);
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(over(client));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  async nextSequence(q: Queryable, gap: number): Promise<number> {
    // Gaps of 1 to 3 as NoGi's feed has them: the gap-th value drawn from the sequence.
    const [r] = await q.all('SELECT MAX(v) AS v FROM (SELECT nextval(\'feed_sequence\') AS v FROM generate_series(1, ?::int)) s', [gap]);
    return Number(r?.v);
  }
  async currentSequence(): Promise<number> {
    const [r] = await this.all('SELECT last_value, is_called FROM feed_sequence');
    return r?.is_called ? Number(r.last_value) : 0;
  }
  async lockForMigration(q: Queryable): Promise<void> {
    await q.all('SELECT pg_advisory_xact_lock(4739011)');
  }
  async purgeFreePages(): Promise<void> {
    // PostgreSQL keeps dead tuples until autovacuum reuses their space; no statement here zeroes them.
  }
  close(): Promise<void> {
    return this.pool.end();
  }
}
