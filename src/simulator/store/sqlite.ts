/**
 * The embedded engine (better-sqlite3): one file in the data directory, WAL with
 * synchronous=FULL so a write is on disk before the simulator acknowledges it. better-sqlite3 is
 * synchronous; a transaction's callback may await, so every statement goes through one queue and
 * no statement can slip into another request's open transaction.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Queryable, Row, SqlEngine } from './sql.ts';

export class SqliteEngine implements SqlEngine {
  readonly dialect = 'sqlite';
  readonly description: string;
  private readonly db: Database.Database;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly raw: Queryable;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.description = `sqlite ${file}`;
    this.raw = {
      all: async (sql, params = []) => this.db.prepare(sql).all(...params) as Row[],
      run: async (sql, params = []) => this.db.prepare(sql).run(...params).changes,
    };
  }

  private queued<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  all(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.queued(() => this.raw.all(sql, params));
  }
  run(sql: string, params?: unknown[]): Promise<number> {
    return this.queued(() => this.raw.run(sql, params));
  }
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.queued(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn(this.raw);
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        this.db.exec('ROLLBACK');
        throw e;
      }
    });
  }
  async nextSequence(q: Queryable, gap: number): Promise<number> {
    await q.run("UPDATE meta SET v = v + ? WHERE k = 'sequence'", [gap]);
    const [r] = await q.all("SELECT v FROM meta WHERE k = 'sequence'");
    return Number(r?.v);
  }
  async currentSequence(): Promise<number> {
    const [r] = await this.all("SELECT v FROM meta WHERE k = 'sequence'");
    return Number(r?.v ?? 0);
  }
  async lockForMigration(): Promise<void> {
    // BEGIN IMMEDIATE already holds the write lock.
  }
  async close(): Promise<void> {
    await this.tail;
    this.db.close();
  }
}
