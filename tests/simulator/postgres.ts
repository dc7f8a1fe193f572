/**
 * A throwaway PostgreSQL cluster for tests: initdb + pg_ctl from Debian's `postgresql` package,
 * in a temp dir, on a free loopback port, trust auth, stopped and deleted after. As root it runs
 * as the `postgres` user (initdb refuses root). `missing` says why none can be started.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

function postgresUid(): { uid: number; gid: number } | undefined {
  try {
    const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres'], { encoding: 'utf8' }).trim()));
    return { uid: uid!, gid: gid! };
  } catch {
    return undefined;
  }
}

const bin = binDir();
const asRoot = process.getuid?.() === 0;
const pgUser = asRoot ? postgresUid() : undefined;

/** Why no cluster can be started here (undefined: one can). */
export const missing: string | undefined = !bin
  ? 'PostgreSQL server binaries are absent (/usr/lib/postgresql/*/bin/initdb): apt-get install -y postgresql'
  : asRoot && !pgUser ? 'running as root without a `postgres` user to run initdb as' : undefined;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface PgCluster {
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PgCluster> {
  if (missing) throw new Error(missing);
  const dir = mkdtempSync(join(tmpdir(), 'nogi-pg-'));
  if (pgUser) chownSync(dir, pgUser.uid, pgUser.gid);
  const data = join(dir, 'data');
  const run = (tool: string, args: string[]) => {
    const cmd = join(bin!, tool);
    execFileSync(pgUser ? 'runuser' : cmd, pgUser ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe', timeout: 60_000 });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  // PostgreSQL needs a port number, not 0: one the OS says is free, and another if something else
  // (npm test binds ports all the time) took it before the server did.
  let port: number;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      // fsync stays on: the durability tests rely on committed writes being on disk.
      run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      try {
        run('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
