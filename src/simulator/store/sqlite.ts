/**
 * The embedded engine (better-sqlite3): one file in the data directory, in WAL mode with
 * synchronous=NORMAL (why that keeps every acknowledged write: see the constructor).
 * better-sqlite3 is synchronous; a transaction's callback may await, so while a transaction is
 * open (or statements wait) every statement goes through one queue and none can slip into another
 * request's open transaction. With nothing queued a statement runs at once. Statements are
 * prepared once and reused.
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
  /** Statements and transactions queued or running. */
  private busy = 0;
  private readonly raw: Queryable;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Durable against the process dying (SIGKILL, a crash, the OOM killer), which is what the
    // simulator promises: every write it acknowledged survives a restart. In WAL mode a COMMIT
    // has appended the transaction to the -wal file with write() before it returns, so the
    // transaction is in the kernel's page cache, which outlives the process: the kernel writes
    // it out, and the next open replays the WAL. synchronous=NORMAL leaves out only the fsync
    // at each commit (the WAL is fsynced at checkpoints), so an OS crash or a power loss may undo
    // the last transactions, never corrupt the database. Power loss is not in scope (issue 10);
    // FULL's fsync per write blocked the event loop for every request. tests/simulator/durability.spec.ts
    // kills the process with SIGKILL under load and finds every acknowledged consent.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.description = `sqlite ${file}`;
    this.raw = {
      all: async (sql, params = []) => this.statement(sql).all(...params) as Row[],
      run: async (sql, params = []) => this.statement(sql).run(...params).changes,
    };
  }

  /** The prepared statement for a text, prepared on first use. */
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private queued<T>(fn: () => Promise<T>): Promise<T> {
    this.busy += 1;
    const run = this.tail.then(fn).finally(() => void (this.busy -= 1));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** A single statement: at once when nothing is queued or open (better-sqlite3 is synchronous), else in turn. */
  private now<T>(fn: () => T): Promise<T> {
    if (this.busy > 0) return this.queued(async () => fn());
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }

  all(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.now(() => this.statement(sql).all(...params) as Row[]);
  }
  run(sql: string, params: unknown[] = []): Promise<number> {
    return this.now(() => this.statement(sql).run(...params).changes);
  }
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.queued(async () => {
      this.statement('BEGIN IMMEDIATE').run();
      try {
        const out = await fn(this.raw);
        this.statement('COMMIT').run();
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.statement('ROLLBACK').run();
        throw e;
      }
    });
  }
  async nextSequence(q: Queryable, gap: number): Promise<number> {
    const [r] = await q.all("UPDATE meta SET v = v + ? WHERE k = 'sequence' RETURNING v", [gap]);
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
    this.statements.clear();
    this.db.close();
  }
}
