/**
 * Where the project's own files are, in both of its layouts:
 *   - a clone: TypeScript run through tsx (src/…/*.ts), the data files beside src/;
 *   - the installed package: the compiled JavaScript in dist/ (dist/src/…/*.js), the data files
 *     (contracts/, fixtures/simulator/, .env.example, package.json) at the package's root.
 * Every file read at run time is found from the package root (the folder with package.json above
 * this module), never from `import.meta.url` with a fixed number of `../`: the depth differs.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** True when this is the compiled package (dist/…/*.js), false in a clone run through tsx. */
const compiled: boolean = here.endsWith('.js');

/** The extension of the project's own modules in this layout. */
export const moduleExtension: '.js' | '.ts' = compiled ? '.js' : '.ts';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`nogi-conformance: no package.json above ${start}`);
  }
}

/** The folder with the project's package.json (a clone's root, or node_modules/nogi-conformance). */
export const packageRoot: string = findRoot(dirname(here));

/** A data file or folder of the project (contracts/…, fixtures/simulator/…, .env.example): the same path in both layouts. */
export const packagePath = (...relative: string[]): string => join(packageRoot, ...relative);

/**
 * A module of the project, named as in the sources (`src/simulator/main.ts`): that file in a
 * clone, its compiled `dist/src/simulator/main.js` in the package.
 */
export function modulePath(source: string): string {
  return compiled ? join(packageRoot, 'dist', source.replace(/\.ts$/, '.js')) : join(packageRoot, source);
}

/** The node arguments that run a module of the project: through tsx in a clone, plain node in the package. */
export function nodeArgsFor(source: string): string[] {
  return compiled ? [modulePath(source)] : ['--import', 'tsx', modulePath(source)];
}

/** A shell command line that runs a module of the project with this node (Playwright's webServer). */
export function nodeCommandFor(source: string, args: string[] = []): string {
  const quote = (s: string): string => (/^[\w@%+=:,./\\-]+$/.test(s) ? s : JSON.stringify(s));
  return [process.execPath, ...nodeArgsFor(source), ...args].map(quote).join(' ');
}
