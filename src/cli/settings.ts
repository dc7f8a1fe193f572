/**
 * Where a run's settings come from: the `.env` of the folder it runs from, then the environment.
 * The variables the project knows are those `.env.example` lists (commented or not): that file is
 * the one list, so a variable the code reads but the file lacks fails tests/runs/env-example.spec.ts,
 * and a NOGI_* variable the file lacks is a typo until proved otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { closest, distance } from 'fastest-levenshtein';
import { packagePath } from '../package-root.ts';

export const envExamplePath = packagePath('.env.example');

/** `NAME=` lines of an env file, commented out (`# NAME=`) or not, in their order. */
export function listedVariables(text: string): string[] {
  const names = [...text.matchAll(/^[ \t]*(?:#[ \t]*)?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);
  return [...new Set(names)];
}

let known: readonly string[] | undefined;
/** Every variable the project reads, from .env.example. */
export function knownVariables(): readonly string[] {
  known ??= listedVariables(readFileSync(envExamplePath, 'utf8'));
  return known;
}

export interface EnvFile {
  /** The .env looked for: that of the folder the CLI runs from. */
  path: string;
  found: boolean;
  /** The names it set (a variable already in the environment wins, as with dotenv). */
  names: string[];
}

/** Loads `<cwd>/.env` into process.env (the environment wins) and says what it read. */
export function loadEnvFile(cwd = process.cwd(), target: NodeJS.ProcessEnv = process.env): EnvFile {
  const path = resolve(join(cwd, '.env'));
  if (!existsSync(path)) return { path, found: false, names: [] };
  const result = loadDotenv({ path, quiet: true, processEnv: target as Record<string, string> });
  return { path, found: true, names: Object.keys(result.parsed ?? {}) };
}

export interface UnknownVariable {
  name: string;
  /** Where it was set. */
  source: '.env' | 'the environment';
  /** The known name it most likely means, when one is close. */
  suggestion?: string;
}

/** NOGI_* names that .env.example does not list, each with the closest known name (if close). */
export function unknownVariables(env: NodeJS.ProcessEnv, envFile?: EnvFile, knownNames: readonly string[] = knownVariables()): UnknownVariable[] {
  const names = knownNames.filter((n) => n.startsWith('NOGI_'));
  const fromFile = new Set(envFile?.names ?? []);
  return Object.keys(env)
    .filter((name) => name.startsWith('NOGI_') && !knownNames.includes(name))
    .sort()
    .map((name) => {
      const candidate = closest(name, names);
      // Up to a third of the name may differ: a dropped underscore is close, an unrelated name is not.
      const close = candidate !== undefined && distance(name, candidate) <= Math.max(2, Math.floor(name.length / 3));
      return { name, source: fromFile.has(name) ? '.env' : 'the environment', ...(close ? { suggestion: candidate } : {}) };
    });
}

export function describeUnknown(v: UnknownVariable): string {
  return `${v.name} (in ${v.source}) is not a nogi-conformance setting${v.suggestion ? `: did you mean ${v.suggestion}?` : ' (see .env.example)'}`;
}
