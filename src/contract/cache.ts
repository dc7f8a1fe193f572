/**
 * The effective contracts, computed once per machine instead of once per process: parsing the
 * YAML errata and OAuth contract and applying the overlay cost about 0.15–0.2 s of CPU, and a run
 * starts a process for every Playwright worker, the simulator and the CLI (npm test starts over a
 * hundred). The result is kept as JSON in the package's node_modules/.cache, named by the SHA-256
 * of every input file and of the libraries that produce it, so a changed file or an upgrade is a
 * miss, never a stale contract. The cache is only a saving: where it cannot be written, each
 * process computes its own, as without it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packagePath } from '../package-root.ts';

/** Bump when the code that computes a cached value changes its result. */
const FORMAT = 2;

const requireHere = createRequire(import.meta.url);
const libraries = ['openapi-format', 'yaml', '@seriousme/openapi-schema-validator'].map((name) => `${name}@${(requireHere(`${name}/package.json`) as { version: string }).version}`).join(' ');

export interface CacheEntry<T> {
  /** The stored value, or undefined (a miss). */
  read(): T | undefined;
  /** Stores the value (whole, by rename: a reader never sees half a file) and returns it. */
  write(value: T): T;
}

/** The cache entry of the value computed from these input files. */
export function cacheEntry<T>(name: string, inputs: readonly string[]): CacheEntry<T> {
  const hash = createHash('sha256').update(`${FORMAT} ${libraries}`);
  for (const input of inputs) hash.update('\0').update(readFileSync(input));
  const dir = packagePath('node_modules', '.cache', 'nogi-conformance');
  const file = join(dir, `${name}-${hash.digest('hex').slice(0, 32)}.json`);
  return {
    read() {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as T;
      } catch {
        return undefined;
      }
    },
    write(value) {
      try {
        mkdirSync(dir, { recursive: true });
        const partial = `${file}.${process.pid}.tmp`;
        writeFileSync(partial, JSON.stringify(value));
        renameSync(partial, file);
      } catch {
        // A read-only install: computed in each process.
      }
      return value;
    },
  };
}
