/**
 * The architecture of the code, read with the TypeScript compiler, not regular expressions.
 *
 * No import cycle between the folders of src/. Each top-level folder (src/cli, src/simulator,
 * src/grading, …) is a node, and so is each file directly in src/; an edge is a relative import
 * from a file of one node to a file of another: static (`import … from`, `export … from`,
 * `import type` too: a type shared both ways is a piece that belongs to one of them) and dynamic
 * (`import('…')`). The imports are read with `ts.preProcessFile`. A cycle fails, named as a path
 * with the file and line of every edge.
 *
 * No dead exports: every symbol exported by a file of src/ or fixtures/ is used by another file of
 * the project (src, fixtures, specs, tests, scripts, bin, playwright.config.ts), or is one of the
 * exceptions below. Read with the type checker of a program over tsconfig.json: every identifier
 * of every file spelled as some file's export (no other can name one) is resolved to the symbol it
 * names, through each alias on the way (an `import`,
 * an `export { … } from` that re-exports it, a namespace import's `ns.name`,
 * `(await import('…')).name`, `const { name } = await import('…')`), and each symbol of that
 * chain declared in another file is used. A re-export alone uses nothing: it lives only when its
 * own name is imported. A dead export fails, named `file: symbol`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import ts from 'typescript';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const src = join(root, 'src/');

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

/**
 * Exports alive without an importer in the project, each with its reason.
 * - src/public/*.ts: the package's entry points (package.json `exports`), for partners' code;
 *   everything they export or re-export is alive through them.
 * - `default` exports: Playwright loads them by path (playwright.config.ts, global set-ups,
 *   reporters); nothing else in the project exports a default.
 * - src/contract/generated/: written by scripts/generate-types.ts from the contracts, whole.
 * - `deadButKept`: single exports, each with its reason; one that is no longer dead fails, so the list stays true.
 * - Types: an exported interface or type alias used in the signature (not the body) of a live
 *   export of its own file is alive, so that the code calling that export can name it.
 */
const publicEntry = (file: string): boolean => file.startsWith('src/public/');
const generated = (file: string): boolean => file.startsWith('src/contract/generated/');
const deadButKept: readonly string[] = [
  'src/cli/main.ts: main', // bin/nogi-conformance.js (JavaScript, outside the program) imports it by URL
];

/** The files whose exports are judged. */
const judged = (file: string): boolean => (file.startsWith('src/') || file.startsWith('fixtures/')) && !generated(file);

/** The program over tsconfig.json's files, as the TypeScript API reads them, for the dead-export walk. */
function projectProgram(): ts.Program {
  const configPath = join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
}

/** `file: symbol` for every export of a judged file that nothing outside it uses, entry points and default exports aside. */
function deadExports(program: ts.Program, base: string, options: { judged: (file: string) => boolean; entry: (file: string) => boolean }): string[] {
  const checker = program.getTypeChecker();
  const name = (sf: ts.SourceFile) => relative(base, sf.fileName).split(sep).join('/');
  const files = program.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !relative(base, sf.fileName).startsWith('..') && !sf.fileName.includes('/node_modules/'));
  const used = new Set<ts.Symbol>();

  /** The symbol and every alias it resolves through, each declared outside `from` marked used. */
  const use = (symbol: ts.Symbol | undefined, from: ts.SourceFile) => {
    for (let s = symbol; s && !used.has(s); ) {
      if (!s.declarations?.every((d) => d.getSourceFile() === from)) used.add(s);
      // Only the project's own aliases lead to the project's exports (a package's typings are not judged).
      if (!(s.flags & ts.SymbolFlags.Alias) || !s.declarations?.some((d) => files.includes(d.getSourceFile()))) break;
      const next = checker.getImmediateAliasedSymbol(s);
      if (next === s) break;
      s = next;
    }
  };

  const exportsOf = (sf: ts.SourceFile): ts.Symbol[] => {
    const module = checker.getSymbolAtLocation(sf);
    return module ? checker.getExportsOfModule(module) : [];
  };
  // Only an identifier spelled as some file's export can name one (an import's alias is reached from
  // the import's own `name as alias`): the others are not resolved, which spares the checker most
  // of the project's expressions (npm test's CPU).
  const exportedNames = new Set(files.flatMap((sf) => exportsOf(sf).map((s) => s.name)));

  for (const sf of files) {
    const visit = (node: ts.Node): void => {
      // `export { a } from './b'` (or `export { a }`) names what it re-exports without using it.
      if (ts.isExportSpecifier(node)) return;
      if (ts.isIdentifier(node) && exportedNames.has(node.text)) {
        use(checker.getSymbolAtLocation(node), sf);
        if (ts.isShorthandPropertyAssignment(node.parent)) use(checker.getShorthandAssignmentValueSymbol(node.parent), sf);
      }
      // `const { a } = await import('./b.ts')`: the property `a` of the module the pattern reads.
      if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) && !node.dotDotDotToken) {
        const key = node.propertyName ?? node.name;
        if (ts.isIdentifier(key) && exportedNames.has(key.text)) use(checker.getTypeAtLocation(node.parent).getProperty(key.text), sf);
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  // The entry points' exports, and what they re-export, are alive whoever imports them.
  for (const sf of files) if (options.entry(name(sf))) for (const s of exportsOf(sf)) use(s, sf);

  // A type in the signature of a live export of its own file is alive; repeated, since it may itself name others.
  const signatureUses = (declaration: ts.Node, local: Set<ts.Symbol>): ts.Symbol[] => {
    const found: ts.Symbol[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        for (const p of node.parameters) visit(p);
        if (node.type) visit(node.type);
        node.typeParameters?.forEach(visit);
        return;
      }
      if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && node.type) return visit(node.type);
      if (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) return;
      if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
        const target = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression;
        let first: ts.Node = target;
        while (ts.isQualifiedName(first) || ts.isPropertyAccessExpression(first)) first = ts.isQualifiedName(first) ? first.left : first.expression;
        const symbol = checker.getSymbolAtLocation(first);
        const exported = symbol && checker.getExportSymbolOfSymbol(symbol);
        if (exported && local.has(exported)) found.push(exported);
      }
      ts.forEachChild(node, visit);
    };
    visit(declaration);
    return found;
  };
  for (const sf of files) {
    const local = new Set(exportsOf(sf).filter((s) => s.declarations?.some((d) => d.getSourceFile() === sf)));
    const queue = [...local].filter((s) => used.has(s));
    while (queue.length) {
      for (const d of queue.shift()!.declarations ?? []) {
        for (const t of signatureUses(d, local)) if (!used.has(t)) { used.add(t); queue.push(t); }
      }
    }
  }

  const dead: string[] = [];
  for (const sf of files) {
    const file = name(sf);
    if (!options.judged(file) || options.entry(file)) continue;
    for (const s of exportsOf(sf)) {
      // `export *` hands on another file's exports: judged in that file.
      if (!s.declarations?.some((d) => d.getSourceFile() === sf)) continue;
      if (s.escapedName === 'default' || used.has(s)) continue;
      dead.push(`${file}: ${s.name}`);
    }
  }
  return dead.sort();
}

// npm test runs no tsc of its own before the tests: its type check is this test, beside the others,
// by the compiler `npm run typecheck` and the package's build use (TypeScript 7; the walk above
// reads the program with TypeScript 5's API, which TypeScript 7 does not have).
test('the project type-checks: what `npm run typecheck` (tsc -p tsconfig.json) reports, with no error', async () => {
  test.setTimeout(120_000);
  const tsc = join(root, 'node_modules', 'typescript-7', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: root, maxBuffer: 16 * 2 ** 20 }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
  expect(result.code, `tsc -p tsconfig.json:\n${result.output}`).toBe(0);
});

test('every export of src/ and fixtures/ is used by another file, or is an exception with its reason', () => {
  test.setTimeout(120_000);
  const program = projectProgram();
  // The walk must see the project: the CLI, the specs and the tests are in it.
  const names = program.getSourceFiles().map((sf) => relative(root, sf.fileName));
  for (const f of ['src/cli/main.ts', 'specs/regular-consent.spec.ts', 'tests/unit/architecture.spec.ts']) expect(names).toContain(f);
  const found = deadExports(program, root, { judged, entry: publicEntry });
  const dead = found.filter((d) => !deadButKept.includes(d));
  expect(dead, `exports no other file uses (delete them, or drop \`export\` when the file uses them itself):\n${dead.join('\n')}`).toEqual([]);
  const stale = deadButKept.filter((d) => !found.includes(d));
  expect(stale, `exceptions no longer dead (drop them from deadButKept):\n${stale.join('\n')}`).toEqual([]);
});

test('the dead-export finder follows imports, re-exports, namespaces, dynamic imports and signatures', () => {
  const files: Record<string, string> = {
    '/p/src/lib.ts': [
      'export interface Shape { size: number }',
      'interface Hidden { x: number }',
      'export interface OnlyInBody { y: number }',
      'export function area(s: Shape): number { const o: OnlyInBody = { y: 1 }; return s.size * o.y; }',
      'export const unused = 1;',
      'export interface OnlyForDead { z: number }',
      'export function deadFn(p: OnlyForDead): number { return p.z; }',
      'export const viaBarrel = 2;',
      'export const barrelOnly = 3;',
      'export const viaNamespace = 4;',
      'export const viaDynamic = 5;',
      'export const viaDestructuring = 6;',
      'export const selfOnly = 7; const twice = selfOnly * 2; void twice;',
      'export type Unused = Hidden;',
      'export default class Reporter {}',
    ].join('\n'),
    '/p/src/barrel.ts': "export { viaBarrel, barrelOnly } from './lib.ts';\nexport * from './star.ts';",
    '/p/src/star.ts': 'export const starUsed = 1;\nexport const starUnused = 2;',
    '/p/src/public/index.ts': "export { partnerOnly } from '../partner.ts';",
    '/p/src/partner.ts': 'export const partnerOnly = 1;',
    '/p/tests/use.ts': [
      "import { area } from '../src/lib.ts';",
      "import { viaBarrel, starUsed } from '../src/barrel.ts';",
      "import * as lib from '../src/lib.ts';",
      'export const all = [area({ size: 1 }), viaBarrel, starUsed, lib.viaNamespace];',
      "export async function lazy() { const { viaDestructuring } = await import('../src/lib.ts'); return (await import('../src/lib.ts')).viaDynamic + viaDestructuring; }",
    ].join('\n'),
  };
  const options: ts.CompilerOptions = { ...ts.getDefaultCompilerOptions(), module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, allowImportingTsExtensions: true, noEmit: true, strict: true, types: [], lib: ['lib.es2022.d.ts'] };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, version) => fileName in files ? ts.createSourceFile(fileName, files[fileName]!, version) : getSourceFile(fileName, version);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName in files || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => files[fileName] ?? readFile(fileName);
  host.getCurrentDirectory = () => '/p';
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => Object.keys(files).some((f) => f.startsWith(`${dir}/`)) || (directoryExists?.(dir) ?? false);
  const program = ts.createProgram({ rootNames: Object.keys(files), options, host });
  expect(deadExports(program, '/p', { judged: (f) => f.startsWith('src/'), entry: publicEntry })).toEqual([
    'src/barrel.ts: barrelOnly',
    'src/lib.ts: OnlyForDead',
    'src/lib.ts: OnlyInBody',
    'src/lib.ts: Unused',
    'src/lib.ts: barrelOnly',
    'src/lib.ts: deadFn',
    'src/lib.ts: selfOnly',
    'src/lib.ts: unused',
    'src/star.ts: starUnused',
  ]);
});
