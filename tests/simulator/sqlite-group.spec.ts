/**
 * The SQLite engine commits the transactions asked for together as one group (store/sqlite.ts):
 * each still succeeds or fails alone, a statement asked for between two of them sees exactly the
 * ones asked for before it, and every answer comes after the COMMIT that made it durable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SqliteEngine } from '../../src/simulator/store/sqlite.ts';

test('grouped transactions fail alone, keep their order with statements, and are committed when answered', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nogi-sqlite-group-'));
  const file = join(dir, 'group.db');
  const db = new SqliteEngine(file);
  try {
    await db.run('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
    const insert = (k: string, v: number) => db.tx(async (q) => {
      await q.run('INSERT INTO t (k, v) VALUES (?, ?)', [k, v]);
      return k;
    });
    const failing = db.tx(async (q) => {
      await q.run('INSERT INTO t (k, v) VALUES (?, ?)', ['bad', 1]);
      throw new Error('refused');
    });
    const a = insert('a', 1);
    const countBefore = db.all('SELECT COUNT(*) AS n FROM t');
    const dup = insert('a', 2); // primary key conflict: fails alone
    const b = insert('b', 3);
    const results = await Promise.allSettled([failing, a, countBefore, dup, b]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('refused');
    // The statement asked for after `a` (and the failed one) sees `a` alone.
    expect(Number(((results[2] as PromiseFulfilledResult<{ n: number }[]>).value)[0]!.n)).toBe(1);
    expect(await db.all('SELECT k, v FROM t ORDER BY k')).toEqual([{ k: 'a', v: 1 }, { k: 'b', v: 3 }]);
    // What was answered is in the file: another connection reads it.
    const other = new SqliteEngine(file);
    expect((await other.all('SELECT k FROM t ORDER BY k')).map((r) => r.k)).toEqual(['a', 'b']);
    await other.close();
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
