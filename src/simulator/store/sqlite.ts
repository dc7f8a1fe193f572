/**
 * The embedded engine (better-sqlite3): one file in the data directory, in WAL mode with
 * synchronous=NORMAL (why that keeps every acknowledged write: see the constructor).
 * better-sqlite3 is synchronous; a transaction's callback may await, so while a transaction is
 * open (or statements wait) every statement goes through one queue and none can slip into another
 * request's open transaction. With nothing queued a statement runs at once. Transactions asked for
 * together are committed together (schedule()). Statements are prepared once and reused.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Queryable, Row, SqlEngine } from './sql.ts';

/** A statement or a transaction waiting for its turn. */
type Op =
  | { tx: false; run: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }
  | { tx: true; fn: (q: Queryable) => Promise<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class SqliteEngine implements SqlEngine {
  readonly dialect = 'sqlite';
  readonly description: string;
  private readonly db: Database.Database;
  /** Waiting statements and transactions, in the order they were asked for. */
  private readonly ops: Op[] = [];
  /** Set while the queue is worked off; resolved when it is empty again. */
  private draining: Promise<void> | undefined;
  private readonly raw: Queryable;
  private readonly statements = new Map<string, Database.Statement>();

  /** `release` gives the data file back when the engine closes (owner.ts: the store's file has one owner). */
  constructor(file: string, private readonly release: () => void = () => undefined) {
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
    // What is deleted (tokens, sessions and consents by /reset, a tenant's data) is overwritten
    // with zeros, not left readable in the file's free pages.
    this.db.pragma('secure_delete = ON');
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

  /**
   * A single statement runs at once when nothing waits (better-sqlite3 is synchronous), else in
   * its turn, after the transactions asked for before it.
   */
  private statementOp<T>(run: () => T): Promise<T> {
    if (!this.draining) {
      try {
        return Promise.resolve(run());
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    return new Promise<T>((resolve, reject) => this.ops.push({ tx: false, run, resolve: resolve as (v: unknown) => void, reject }));
  }

  /**
   * The queue is worked off at the end of the current turn of the event loop (setImmediate), so
   * that the transactions of the requests that came in together are one group: consecutive
   * transactions in the queue run one after the other inside one SQLite transaction, each in a
   * savepoint of its own (one that fails is undone alone), and one COMMIT makes the group durable
   * before any of them is answered (group commit: one append to the WAL for many requests).
   */
  private schedule(): void {
    if (this.draining) return;
    this.draining = new Promise<void>((done) => setImmediate(() => void this.drain(done)));
  }

  /** Works off the queue; the moment it finds it empty, it is no longer draining (in the same step, so nothing is left behind). */
  private async drain(done: () => void): Promise<void> {
    for (;;) {
      if (this.ops.length === 0) {
        this.draining = undefined;
        done();
        return;
      }
      const op = this.ops[0]!;
      if (!op.tx) {
        this.ops.shift();
        try {
          op.resolve(op.run());
        } catch (e) {
          op.reject(e);
        }
        continue;
      }
      const group: Extract<Op, { tx: true }>[] = [];
      while (this.ops[0]?.tx) group.push(this.ops.shift() as Extract<Op, { tx: true }>);
      try {
        await this.commitGroup(group);
      } catch (e) {
        // Not expected (commitGroup settles every op); never leave a caller waiting.
        for (const op of group) op.reject(e);
      }
    }
  }

  private async commitGroup(group: Extract<Op, { tx: true }>[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    /** Ops whose work is in the open transaction. */
    let pending: number[] = [];
    const fail = (indexes: number[], e: unknown) => {
      for (const i of indexes) outcomes[i] = { ok: false, value: e };
    };
    try {
      this.statement('BEGIN IMMEDIATE').run();
    } catch (e) {
      for (const op of group) op.reject(e);
      return;
    }
    for (let i = 0; i < group.length; i++) {
      try {
        if (!this.db.inTransaction) this.statement('BEGIN IMMEDIATE').run();
        this.statement('SAVEPOINT grouped').run();
      } catch (e) {
        outcomes[i] = { ok: false, value: e };
        continue;
      }
      try {
        outcomes[i] = { ok: true, value: await group[i]!.fn(this.raw) };
        this.statement('RELEASE grouped').run();
        pending.push(i);
      } catch (e) {
        outcomes[i] = { ok: false, value: e };
        if (this.db.inTransaction) {
          try {
            this.statement('ROLLBACK TO grouped').run();
            this.statement('RELEASE grouped').run();
          } catch (undo) {
            // The savepoint could not be undone: nothing of the open transaction is kept.
            if (this.db.inTransaction) this.statement('ROLLBACK').run();
            fail(pending, undo);
            pending = [];
          }
        } else {
          // SQLite rolled the whole transaction back (an I/O error, a full disk): the work of
          // the earlier ones of the group is gone too.
          fail(pending, e);
          pending = [];
        }
      }
    }
    try {
      if (this.db.inTransaction) this.statement('COMMIT').run();
    } catch (e) {
      if (this.db.inTransaction) this.statement('ROLLBACK').run();
      fail(pending, e);
    }
    group.forEach((op, i) => (outcomes[i]!.ok ? op.resolve(outcomes[i]!.value) : op.reject(outcomes[i]!.value)));
  }

  all(sql: string, params: unknown[] = []): Promise<Row[]> {
    return this.statementOp(() => this.statement(sql).all(...params) as Row[]);
  }
  run(sql: string, params: unknown[] = []): Promise<number> {
    return this.statementOp(() => this.statement(sql).run(...params).changes);
  }
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.ops.push({ tx: true, fn, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
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
  async purgeFreePages(): Promise<void> {
    // Rewrites the file without its free pages (written before secure_delete was on), then empties the WAL.
    await this.run('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
  async close(): Promise<void> {
    while (this.draining) await this.draining;
    this.statements.clear();
    this.db.close();
    this.release();
  }
}
