/** Opens the store a configuration names (migrating SQL engines to the newest schema). */
import { MemoryStore } from './memory.ts';
import { claimDataFile } from './owner.ts';
import { SqlStore } from './sql.ts';
import type { Store, StoreConfig } from './types.ts';

export type { Store, StoreConfig } from './types.ts';

export async function openStore(config: StoreConfig): Promise<Store> {
  switch (config.engine) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite': {
      // Loaded on demand: a native module the memory and PostgreSQL engines do not need.
      const { SqliteEngine } = await import('./sqlite.ts');
      const release = claimDataFile(config.file);
      try {
        return await SqlStore.open(new SqliteEngine(config.file, release));
      } catch (e) {
        release();
        throw e;
      }
    }
    case 'postgres': {
      const { PostgresEngine } = await import('./postgres.ts');
      const engine = new PostgresEngine(config.url);
      try {
        return await SqlStore.open(engine);
      } catch (e) {
        await engine.close();
        throw e;
      }
    }
  }
}
