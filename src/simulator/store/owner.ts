/**
 * One simulator owns an SQLite data file: its store keeps tokens and consents in memory beside
 * the file, so a second process on the same file would serve rows the first has changed.
 * `<file>.owner` holds the owner's pid, created exclusively; an owner that is gone (SIGKILL leaves
 * the file behind) is taken over. SQLite's own exclusive locking mode would be the natural guard,
 * but on this project's machines (Firecracker VMs) a second process wrote through it unhindered.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

class DataFileInUseError extends Error {
  constructor(file: string, pid: number) {
    super(`${file} is in use by another simulator (pid ${pid}): give this one its own NOGI_SIM_DATA_DIR, or share state between instances through PostgreSQL (NOGI_SIM_DATABASE_URL)`);
    this.name = 'DataFileInUseError';
  }
}

/** Files this process owns: a second store on one of them is refused like another process's. */
const ownedHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims the file for this process; returns what gives it back (on close). */
export function claimDataFile(file: string): () => void {
  const ownerFile = `${file}.owner`;
  if (ownedHere.has(file)) throw new DataFileInUseError(file, process.pid);
  mkdirSync(dirname(file), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(ownerFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const pid = Number(readFileSync(ownerFile, 'utf8').trim());
      // Our own pid in a file this process does not hold: a previous life of a restarted container.
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new DataFileInUseError(file, pid);
      unlinkSync(ownerFile);
    }
  }
  ownedHere.add(file);
  return () => {
    ownedHere.delete(file);
    try {
      if (readFileSync(ownerFile, 'utf8').trim() === String(process.pid)) unlinkSync(ownerFile);
    } catch {
      // already gone
    }
  };
}
