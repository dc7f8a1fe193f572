/**
 * .env.example is the one list of the variables the project reads (the CLI refuses NOGI_* names it
 * lacks): every NOGI_* and PACT_* name the code mentions must be in it, and nothing stale may be.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from '@playwright/test';
import { envExamplePath, knownVariables, listedVariables } from '../../src/cli/settings.ts';
import { root } from './helpers.ts';

/** Source files under these paths (of the project root), node_modules and reports left out. */
function sources(paths: string[]): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    if (/(^|\/)(node_modules|reports)$/.test(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (/\.(ts|mts|js|mjs|cjs|sh|ya?ml)$/.test(path)) files.push(path);
  };
  for (const p of paths) walk(join(root, p));
  return files;
}

/**
 * Each variable name a file mentions, with the files. A name may be a prefix the code completes
 * (`${prefix}_ID` for NOGI_CLIENT, `NOGI_AUDIENCE_${service}`): the trailing `_` is not part of it.
 */
function mentioned(files: string[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const file of files) {
    for (const [name] of readFileSync(file, 'utf8').matchAll(/\b(?:NOGI|PACT)_[A-Z0-9_]*[A-Z0-9]/g)) {
      names.set(name, [...new Set([...(names.get(name) ?? []), relative(root, file)])]);
    }
  }
  return names;
}

/** A name is covered by a list when it is in it, or is a prefix of a listed name (NOGI_CLIENT → NOGI_CLIENT_ID). */
const covered = (name: string, list: readonly string[]): boolean => list.some((l) => l === name || l.startsWith(`${name}_`));

// The code that reads settings: src (the CLI, compare and every run), fixtures, specs, scripts, bin, the
// config; and the workflows that set them (the CLI would refuse a name it does not know).
const codePaths = ['src', 'fixtures', 'specs', 'scripts', 'bin', 'playwright.config.ts', '.github/workflows'];

test('every NOGI_* and PACT_* variable the code reads is listed in .env.example', () => {
  const known = knownVariables();
  const missing = [...mentioned(sources(codePaths))].filter(([name]) => !covered(name, known)).map(([name, files]) => `${name} (${files.join(', ')})`);
  expect(missing, 'add these to .env.example, with a line saying what they do').toEqual([]);
  // What the issue named, and the scan found at all.
  for (const name of ['NOGI_DEBT_SCOPE', 'NOGI_PUBLISHED_SPEC_URL', 'PACT_BROKER_BASE_URL', 'PACT_BROKER_TOKEN', 'NOGI_CLIENT_ID', 'NOGI_SIM_FIXTURES']) expect(known).toContain(name);
  expect(mentioned(sources(codePaths)).size).toBeGreaterThan(30);
});

test('.env.example lists nothing the code or the tests no longer read', () => {
  // The project's own tests read a few (NOGI_UPSTREAM_OPENAPI); cli.spec.ts holds deliberate typos.
  const files = sources([...codePaths, 'tests']).filter((f) => !/tests\/runs\/(cli|env-example)\.spec\.ts$/.test(f));
  const read = [...mentioned(files).keys()];
  const stale = knownVariables().filter((name) => !read.some((r) => name === r || name.startsWith(`${r}_`)));
  expect(stale, 'remove these from .env.example, or say where they are read').toEqual([]);
});

test('.env.example is a valid env file: each name once, only NOGI_TARGET set, every entry explained by a comment above it', () => {
  const text = readFileSync(envExamplePath, 'utf8');
  const lines = [...text.matchAll(/^[ \t]*(?:#[ \t]*)?([A-Z][A-Z0-9_]*)=.*$/gm)].map((m) => m[1]!);
  expect(lines.length).toBe(listedVariables(text).length);
  expect(text.split('\n').filter((l) => /^[A-Z]/.test(l))).toEqual(['NOGI_TARGET=mock']);
  // A block of entries starts after a comment line that is not itself an entry.
  const rows = text.split('\n');
  rows.forEach((row, i) => {
    if (!/^#?\s*[A-Z][A-Z0-9_]*=/.test(row)) return;
    let j = i - 1;
    while (j >= 0 && /^#?\s*[A-Z][A-Z0-9_]*=/.test(rows[j]!)) j--;
    expect(rows[j] ?? '', `${row} needs a comment above it`).toMatch(/^# \S/);
  });
});
