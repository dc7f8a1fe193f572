/**
 * No import cycle between the folders of src/. Each top-level folder (src/cli, src/simulator,
 * src/grading, …) is a node, and so is each file directly in src/; an edge is a relative import
 * from a file of one node to a file of another: static (`import … from`, `export … from`,
 * `import type` too: a type shared both ways is a piece that belongs to one of them) and dynamic
 * (`import('…')`). The imports are read with the TypeScript compiler (`ts.preProcessFile`), not
 * regular expressions. A cycle fails, named as a path with the file and line of every edge.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import ts from 'typescript';

const src = fileURLToPath(new URL('../../src/', import.meta.url));

/** One import between two folders: where it is written. */
interface Edge { from: string; to: string; file: string; line: number; specifier: string }

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The node a file of src/ belongs to: its top-level folder, or the file itself when it sits directly in src/. */
const nodeOf = (file: string): string => relative(src, file).split(sep)[0]!;

/** Every relative import of every file, as folder-to-folder edges (imports within one folder are not edges). */
function folderEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(src)) {
    const text = readFileSync(file, 'utf8');
    // readImportFiles: `import`/`export … from`; detectJavaScriptImports: `import('…')` and require().
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const imported of importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), imported.fileName);
      if (!target.startsWith(src)) continue;
      const from = nodeOf(file);
      const to = nodeOf(target);
      if (from === to) continue;
      const line = text.slice(0, imported.pos).split('\n').length;
      edges.push({ from, to, file: relative(src, file), line, specifier: imported.fileName });
    }
  }
  return edges;
}

/**
 * The cycles of the folder graph, each named once: for every edge that lies on a cycle, the
 * shortest way back from its head to its tail closes it. Every import that takes part in a cycle
 * is thereby named, without listing the many longer cycles the same imports make.
 */
function cyclesOf(edges: Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  /** The shortest path from `from` to `to` (both included), or undefined. */
  const shortest = (from: string, to: string): string[] | undefined => {
    const back = new Map<string, string>([[from, from]]);
    const queue = [from];
    while (queue.length) {
      const node = queue.shift()!;
      if (node === to) {
        const path = [to];
        while (path[0] !== from) path.unshift(back.get(path[0]!)!);
        return path;
      }
      for (const n of [...(next.get(node) ?? [])].sort()) {
        if (back.has(n)) continue;
        back.set(n, node);
        queue.push(n);
      }
    }
    return undefined;
  };
  const seen = new Map<string, string[]>();
  for (const [from, tos] of [...next].sort(([a], [b]) => a.localeCompare(b))) {
    for (const to of [...tos].sort()) {
      const way = shortest(to, from);
      if (!way) continue;
      const cycle = [from, ...way.slice(0, -1)];
      // The same cycle from another of its edges: start it at its smallest node to compare.
      const i = cycle.indexOf([...cycle].sort()[0]!);
      const rotated = [...cycle.slice(i), ...cycle.slice(0, i)];
      seen.set(rotated.join(' → '), rotated);
    }
  }
  return [...seen.values()];
}

/** `simulator → grading → simulator`, then each edge with the file and line that makes it. */
function describeCycle(cycle: string[], edges: Edge[]): string {
  const closed = [...cycle, cycle[0]!];
  const lines = [closed.join(' → ')];
  for (let i = 0; i < cycle.length; i++) {
    const [from, to] = [closed[i]!, closed[i + 1]!];
    for (const e of edges.filter((x) => x.from === from && x.to === to)) lines.push(`    ${from} → ${to}: src/${e.file}:${e.line} imports '${e.specifier}'`);
  }
  return lines.join('\n');
}

test('no import cycle between the folders of src/', () => {
  const edges = folderEdges();
  // The walk must see the imports it is meant to judge: the CLI reaches the contract, and lazily its commands.
  expect(edges.some((e) => e.from === 'cli' && e.to === 'contract')).toBe(true);
  expect(edges.length).toBeGreaterThan(50);
  const cycles = cyclesOf(edges).map((c) => describeCycle(c, edges));
  expect(cycles, `import cycles between folders of src/:\n${cycles.join('\n')}`).toEqual([]);
});

test('the cycle finder sees static, re-exported, type-only and dynamic imports, and names each edge', () => {
  const text = [
    "import { a } from '../grading/judge.ts';",
    "import type { B } from './b.ts';",
    "export { c } from '../config/target.ts';",
    'const lazy = async () => import(\'../simulator/index.ts\');',
    "import { readFileSync } from 'node:fs';",
  ].join('\n');
  const names = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
  expect(names).toEqual(['../grading/judge.ts', './b.ts', '../config/target.ts', '../simulator/index.ts', 'node:fs']);
  const edges: Edge[] = [
    { from: 'simulator', to: 'grading', file: 'simulator/recording.ts', line: 3, specifier: '../grading/recorder.ts' },
    { from: 'grading', to: 'simulator', file: 'grading/judge.ts', line: 7, specifier: '../simulator/state.ts' },
    { from: 'cli', to: 'grading', file: 'cli/client-report.ts', line: 2, specifier: '../grading/render.ts' },
  ];
  expect(cyclesOf(edges).map((c) => describeCycle(c, edges))).toEqual([
    'grading → simulator → grading\n    grading → simulator: src/grading/judge.ts:7 imports \'../simulator/state.ts\'\n    simulator → grading: src/simulator/recording.ts:3 imports \'../grading/recorder.ts\'',
  ]);
});
