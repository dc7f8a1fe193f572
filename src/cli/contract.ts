/**
 * `nogi-conformance contract diff|update|default`: the provider's contract versions from the
 * command line (contracts/versions/, src/contract/load.ts).
 *
 * - diff <file|url> [--against <version>]: what changes from the version (default: the current
 *   one) to the document, grouped by who must act (src/contract/diff.ts).
 * - update <file|url> [--as <id>] [--published <date>]: vendors the document as a new version,
 *   never the default, and prints the adoption checklist; a document whose schemas AJV cannot
 *   compile is refused first.
 * - default <version>: makes a vendored version the default, a separate explicit step.
 *
 * The functions take the contracts folder, so the tests run them on a scratch copy.
 *
 * The new version's errata start as a copy of the default's, each action judged on the new
 * document (src/contract/errata.ts). One that only adds what the document already has is fixed
 * upstream: dropped, and named in the output and the file's header. The others are kept, those
 * that need a decision listed: an action that matches nothing (a fixed defect, or a moved one whose
 * erratum must be rewritten), one that adds some of what the document has again, one without which
 * the schemas compile and with which they do not; deleting them would hide that decision in a copy
 * step. Until they are rewritten `default` refuses the version (and load.ts refuses unused actions).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { Catalogue } from '../contract/catalogue.ts';
import { diffContracts, diffSummary, type ContractDiff } from '../contract/diff.ts';
import { erratumId, reviewErrata, withoutActions, type ErratumReview } from '../contract/errata.ts';
import { validatorsOf } from '../contract/index.ts';
import {
  checkContractVersion, contractPaths, contractsDir as repoContractsDir, loadOAuthContract, readVersionIndex, sha256, tryOverlay, UnknownContractVersion, versionPaths,
  type ContractVersion, type Overlay, type OverlayAction, type UpstreamSource, type VersionIndex,
} from '../contract/load.ts';
import { UsageError } from './exit-codes.ts';

type Doc = Record<string, unknown>;
const repoRoot = resolve(contractPaths.versions, '../../');

interface ContractInput {
  /** The URL, or the file's path as given. */
  origin: string;
  bytes: Buffer;
  doc: Doc;
  format: 'json' | 'yaml';
}

/** A document from a URL (http, https) or a file, JSON or YAML; anything else is a UsageError (exit 2, one line). */
async function readContractInput(source: string, cwd: string, timeoutMs = 15_000): Promise<ContractInput> {
  let bytes: Buffer;
  if (/^https?:\/\//i.test(source)) {
    try {
      const res = await fetch(source, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
      if (!res.ok) throw new UsageError(`${source} answered HTTP ${res.status}`);
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (error) {
      if (error instanceof UsageError) throw error;
      const e = error as { name?: string; message?: string; cause?: { code?: string } };
      throw new UsageError(`${source} could not be fetched: ${e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message)}`);
    }
  } else {
    try {
      bytes = readFileSync(resolve(cwd, source));
    } catch (error) {
      throw new UsageError(`${source} could not be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const text = bytes.toString('utf8');
  const format = text.trimStart().startsWith('{') ? 'json' : 'yaml';
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`${source} is not JSON or YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const d = doc as Doc | null;
  if (!d || typeof d !== 'object' || typeof d.paths !== 'object' || !/^3\.[01]\./.test(String(d.openapi ?? ''))) {
    throw new UsageError(`${source} is not an OpenAPI 3.0 or 3.1 document (no "openapi: 3.0.x|3.1.x" with "paths")`);
  }
  return { origin: source, bytes, doc: d, format };
}

const dirOf = (contractsDir: string): string => join(contractsDir, 'versions');

function readVersion(contractsDir: string, version: ContractVersion) {
  const paths = versionPaths(version, dirOf(contractsDir));
  return {
    doc: JSON.parse(readFileSync(paths.openapi, 'utf8')) as Doc,
    errata: parseYaml(readFileSync(paths.errata, 'utf8')) as Overlay,
    source: JSON.parse(readFileSync(paths.source, 'utf8')) as UpstreamSource,
  };
}

/** A version this folder vendors, as a UsageError naming the closest when it does not. */
function knownVersion(version: string, index: VersionIndex): ContractVersion {
  try {
    return checkContractVersion(version, index);
  } catch (error) {
    if (error instanceof UnknownContractVersion) throw new UsageError(error.message);
    throw error;
  }
}

/** index.json as written by hand: two-space indent, the versions on one line. */
function writeIndex(contractsDir: string, index: VersionIndex): void {
  const text = JSON.stringify(index, null, 2).replace(/\[\n\s+([^\]]*?)\n\s+\]/g, (_, inner: string) => `[${inner.split(/,\n\s+/).join(', ')}]`);
  writeFileSync(join(dirOf(contractsDir), 'index.json'), `${text}\n`);
}

const label = (origin: string): string => (/^https?:/i.test(origin) ? origin : basename(origin));

/** `contract diff`: the summary lines, from the version to the document. */
async function contractDiff(source: string, against: string | undefined, cwd: string, contractsDir = repoContractsDir): Promise<{ diff: ContractDiff; lines: string[] }> {
  const index = readVersionIndex(dirOf(contractsDir));
  const version = knownVersion(against ?? index.default, index);
  const input = await readContractInput(source, cwd);
  const base = readVersion(contractsDir, version);
  const diff = diffContracts(base.doc, input.doc, { errata: base.errata });
  return { diff, lines: diffSummary(diff, { from: version, to: label(input.origin) }) };
}

export interface UpdateResult {
  /** The new version's id, or the one that already holds these bytes. */
  version: ContractVersion;
  created: boolean;
  lines: string[];
  /** Kept, listed: they match nothing in the new document. */
  unusedErrata: OverlayAction[];
  /** Dropped: the new document already has what they add. */
  fixedUpstream: OverlayAction[];
  /** Kept, listed: they add some of what the document already has again. */
  partlyFixed: OverlayAction[];
  /** Kept, listed: the new document's schemas compile without them, not with them. */
  breaking: OverlayAction[];
}

/** `contract update`: vendors the document as a new version (never the default) and says what adopting it touches. */
export async function contractUpdate(
  source: string,
  options: { as?: string; published?: string; cwd: string; contractsDir: string; today?: Date; writeTypes?: () => Promise<string[]> },
): Promise<UpdateResult> {
  const versions = dirOf(options.contractsDir);
  const index = readVersionIndex(versions);
  const input = await readContractInput(source, options.cwd);
  const hash = sha256(input.bytes);
  for (const v of index.versions) {
    if (sha256(readFileSync(versionPaths(v, versions).openapi)) === hash) {
      return { version: v, created: false, unusedErrata: [], fixedUpstream: [], partlyFixed: [], breaking: [], lines: [`${label(input.origin)} is already vendored as ${v}, byte-identical (sha256 ${hash.slice(0, 12)}…); nothing changed.`] };
    }
  }
  // load.ts reads openapi.json; vendoring means the provider's bytes unchanged, so a YAML document is not converted.
  if (input.format !== 'json') throw new UsageError(`${source} is YAML: contracts/versions/<id>/openapi.json holds the provider's bytes unchanged, so vendor its JSON document (diff reads YAML)`);
  const id = options.as ?? `sha-${hash.slice(0, 7)}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id)) throw new UsageError(`--as ${id}: a version id is letters, digits, ".", "_" and "-" (it names a folder and a types module)`);
  const paths = versionPaths(id, versions);
  if (existsSync(paths.dir) || index.versions.includes(id)) throw new UsageError(`contracts/versions/${id}/ exists already: a vendored version is never overwritten; give another id with --as`);
  if (options.published !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.published)) throw new UsageError(`--published takes a date, YYYY-MM-DD; got "${options.published}"`);

  const current = readVersion(options.contractsDir, index.default);
  // Each erratum judged on the new document (src/contract/errata.ts): one that only adds what the
  // document already has is fixed upstream and dropped; one that adds some of it again, or matches
  // nothing, is kept and listed, for it needs a decision.
  const { document, reviews } = await reviewErrata(input.doc as never, current.errata);
  const withStatus = (status: ErratumReview['status']) => reviews.filter((r) => r.status === status);
  const [fixed, partly, unusedReviews] = [withStatus('fixed-upstream'), withStatus('partly-fixed'), withStatus('unused')];
  const unused = unusedReviews.map((r) => r.action);
  // Every schema compiled before anything is written (a run compiles only those it meets, so one
  // AJV cannot compile would surface mid-run): the document with the errata that still apply, as
  // the new version will load once those listed are rewritten. When it fails, the errata without
  // which it compiles are named and kept for rewriting; a document that fails whatever errata it
  // gets is refused.
  const broken: Array<{ review: ErratumReview; error: string }> = [];
  const failure = compileError(document);
  if (failure) {
    const dropped = new Set(fixed.map((r) => r.index));
    const without = async (skip: ReadonlySet<number>) =>
      (await reviewErrata(input.doc as never, { ...current.errata, actions: current.errata.actions.filter((_, i) => !dropped.has(i) && !skip.has(i)) })).document;
    for (const r of reviews.filter((x) => x.status === 'applies' || x.status === 'partly-fixed')) {
      if (!compileError(await without(new Set([r.index])))) broken.push({ review: r, error: failure });
    }
    const rest = broken.length ? compileError(await without(new Set(broken.map((b) => b.review.index)))) : failure;
    if (rest) throw new UsageError(`${source} is refused, nothing vendored: ${rest}${broken.length ? '' : ' (the document itself: no erratum of ' + index.default + ' causes it)'}`);
  }
  const diff = diffContracts(current.doc, input.doc, { errata: current.errata });

  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.openapi, input.bytes);
  const sourceJson: UpstreamSource = {
    description: `The provider's OpenAPI document, vendored unchanged by \`nogi-conformance contract update\`. Correct it only through errata.overlay.yaml beside it.${options.published ? '' : ' When the provider published it is unknown.'}`,
    version: id,
    openapi: String(input.doc.openapi),
    publishedUrl: input.origin,
    ...(options.published ? { published: options.published } : {}),
    retrieved: (options.today ?? new Date()).toISOString().slice(0, 10),
    sha256: hash,
  };
  writeFileSync(paths.source, `${JSON.stringify(sourceJson, null, 2)}\n`);
  const errataText = await withoutActions(readFileSync(versionPaths(index.default, versions).errata, 'utf8'), fixed.map((r) => r.index));
  const ids = (rs: ErratumReview[]) => rs.map((r) => r.id).join(', ');
  const repeated = (r: ErratumReview) => r.repeated.map((x) => `${x.at.replace(/^\$\./, '')} has ${x.items.map((i) => JSON.stringify(i)).join(', ')}`).join('; ');
  const toFix = unused.length + partly.length + broken.length;
  const header = [
    `# Copied from ${index.default}'s errata by \`nogi-conformance contract update\` (${sourceJson.retrieved}): review every action against this document.`,
    ...(fixed.length ? [`# Dropped, fixed upstream (this document already has what they add; their text is in ${index.default}'s errata): ${ids(fixed)}.`] : []),
    ...(unused.length ? [`# ${unused.length} action(s) match nothing here (fixed upstream, or moved): ${unused.map(actionId).join(', ')}. Remove or rewrite them.`] : []),
    ...partly.map((r) => `# ${r.id} is partly fixed upstream: ${repeated(r)} already. Rewrite it to add only the rest.`),
    ...broken.map((b) => `# ${b.review.id} breaks this document's schemas (${b.error}). Rewrite it.`),
    toFix
      ? '# Until the actions above are rewritten or removed this version is not ready: `nogi-conformance contract default` refuses it.'
      : '# Every action still changes something in this document; check that each defect is still there.',
  ];
  writeFileSync(paths.errata, `${header.join('\n')}\n${errataText}`);
  writeIndex(options.contractsDir, { ...index, versions: [...index.versions, id] });

  const lines = [`Vendored ${label(input.origin)} as ${id} (contracts/versions/${id}/, OpenAPI ${sourceJson.openapi}, sha256 ${hash.slice(0, 12)}…); the default stays ${index.default}.`, ''];
  lines.push(...diffSummary(diff, { from: index.default, to: id }), '');
  const total = current.errata.actions.length;
  lines.push(`Errata (copied from ${index.default}): ${total - unused.length - fixed.length} of ${total} actions still apply${fixed.length ? `, ${fixed.length} dropped as fixed upstream` : ''}.`);
  if (fixed.length) lines.push(`Fixed upstream, no longer needed (dropped from ${id}'s errata; the document already has what they add):`, ...fixed.map((r) => `  - ${r.id} ${r.action.target}${r.repeated.length ? `: ${repeated(r)}` : ''}`));
  if (partly.length) lines.push('Partly fixed upstream (kept; rewrite them to add only what is missing):', ...partly.map((r) => `  - ${r.id} ${r.action.target}: ${repeated(r)} already`));
  if (unused.length) lines.push('Match nothing in the new document (kept; remove or rewrite them):', ...unused.map((a) => `  - ${actionId(a)} ${a.target}`));
  if (broken.length) lines.push("Break the new document's schemas (kept; rewrite them):", ...broken.map((b) => `  - ${b.review.id} ${b.review.action.target}: ${b.error}`));
  if (options.writeTypes) {
    try {
      lines.push(...(await options.writeTypes()).map((f) => `Types written: ${f}`));
    } catch (error) {
      lines.push(`Types not regenerated: ${(error as Error).message.split('\n')[0]} Fix the errata, then \`npm run contract:types\`.`);
    }
  }
  const currentEffective = (await tryOverlay(current.doc as never, current.errata)).document as unknown as Doc;
  lines.push('', ...(await adoptionChecklist(diff, { doc: current.doc, effective: currentEffective }, { doc: input.doc, effective: document as unknown as Doc })));
  lines.push('', `Next: ${toFix ? 'fix' : 'review'} the errata of the new version, run the suite with NOGI_CONTRACT=${id} (or --contract ${id}), then \`nogi-conformance contract default ${id}\`.`);
  return { version: id, created: true, lines, unusedErrata: unused, fixedUpstream: fixed.map((r) => r.action), partlyFixed: partly.map((r) => r.action), breaking: broken.map((b) => b.review.action) };
}

/** The first line of the error compiling every schema of the API and OAuth contracts gives, if any (a catalogue that cannot be read is one). */
function compileError(document: unknown): string | undefined {
  try {
    const { api, oauth } = validatorsOf(new Catalogue(document as never, loadOAuthContract()));
    api.compileAll();
    oauth.compileAll();
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

const actionId = erratumId;

/** The command: diff, update or default, on this suite's contracts/. */
export async function contract(action: string, input: string | undefined, options: { against?: string; as?: string; published?: string }, cwd: string): Promise<number> {
  const print = (lines: string[]) => void process.stdout.write(`${lines.join('\n')}\n`);
  if (!['diff', 'update', 'default'].includes(action)) throw new UsageError(`contract takes diff, update or default, got "${action}"`);
  if (!input) throw new UsageError(action === 'default' ? 'contract default needs a version: contract default <version>' : `contract ${action} needs a document: contract ${action} <file|url>`);
  if (action !== 'diff' && options.against) throw new UsageError(`--against goes with contract diff, not contract ${action}`);
  if (action !== 'update' && (options.as || options.published)) throw new UsageError(`--as and --published go with contract update, not contract ${action}`);
  if (action === 'diff') print((await contractDiff(input, options.against, cwd)).lines);
  else if (action === 'default') print([await contractDefault(input, repoContractsDir)]);
  else {
    const writeTypes = async () => {
      const { renderContractTypes, typesPaths } = await import('../contract/types.ts');
      const paths = typesPaths();
      const written: string[] = [];
      for (const [name, text] of Object.entries(await renderContractTypes())) {
        writeFileSync(paths[name]!, text);
        written.push(rel(paths[name]!));
      }
      return written;
    };
    print((await contractUpdate(input, { ...options, cwd, contractsDir: repoContractsDir, writeTypes })).lines);
  }
  return 0;
}

/** `contract default`: the index's default becomes `version`, if it is vendored and its errata apply. */
export async function contractDefault(version: string, contractsDir: string): Promise<string> {
  const versions = dirOf(contractsDir);
  const index = readVersionIndex(versions);
  knownVersion(version, index);
  if (index.default === version) return `${version} is already the default.`;
  const v = readVersion(contractsDir, version);
  // A default whose errata match nothing would stop every run (load.ts), one that adds what the
  // document has again, or whose schemas do not compile, would fail mid-run: refuse them here.
  const { reviews } = await reviewErrata(v.doc as never, v.errata);
  const kinds: Array<[ErratumReview['status'], string]> = [
    ['unused', 'match nothing'], ['fixed-upstream', 'change nothing (fixed upstream: remove them)'], ['partly-fixed', 'add again what the document has'],
  ];
  const problems = kinds.flatMap(([status, what]) => {
    const rs = reviews.filter((r) => r.status === status);
    return rs.length ? [`${rs.length} action(s) that ${what} (${rs.map((r) => r.id).join(', ')})`] : [];
  });
  if (problems.length) throw new UsageError(`${version}'s errata have ${problems.join('; ')}: fix contracts/versions/${version}/errata.overlay.yaml first`);
  const failure = compileError((await tryOverlay(v.doc as never, v.errata)).document);
  if (failure) throw new UsageError(`${version}'s effective contract does not compile (${failure}): fix contracts/versions/${version}/errata.overlay.yaml first`);
  writeIndex(contractsDir, { ...index, default: version });
  return `The default contract version is now ${version} (was ${index.default}).`;
}

// ---------------------------------------------------------------------------------------------
// What adopting a version touches in this suite: the operations the diff names or whose schemas it changes, and what reaches them.

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);

/** The operations a diff touches: named ones, and those whose requests or responses reach a changed schema. */
function touchedOperations(diff: ContractDiff, docs: Doc[]): Array<{ key: string; operationId: string }> {
  const schemas = new Set(diff.changes.flatMap((c) => (c.schema ? [c.schema] : [])));
  const out = new Map<string, string>();
  for (const c of diff.changes) if (c.operation) out.set(c.operation, c.operationId ?? '');
  for (const doc of docs) {
    const components = ((doc.components as Doc | undefined)?.schemas ?? {}) as Doc;
    const reaches = (x: unknown, seen: Set<string>): boolean => {
      if (Array.isArray(x)) return x.some((v) => reaches(v, seen));
      if (!x || typeof x !== 'object') return false;
      const ref = (x as Doc).$ref;
      if (typeof ref === 'string' && ref.startsWith('#/components/schemas/')) {
        const name = ref.split('/').pop()!;
        if (schemas.has(name)) return true;
        if (seen.has(name)) return false;
        seen.add(name);
        return reaches(components[name], seen);
      }
      return Object.values(x).some((v) => reaches(v, seen));
    };
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Doc>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!METHODS.has(method) || !op || typeof op !== 'object') continue;
        const key = `${method.toUpperCase()} ${path}`;
        if (!out.has(key) && reaches(op, new Set())) out.set(key, String((op as Doc).operationId ?? ''));
      }
    }
  }
  return [...out].map(([key, operationId]) => ({ key, operationId })).sort((a, b) => a.key.localeCompare(b.key));
}

const filesIn = (dir: string, ext: string): string[] => {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(ext)).map((f) => join(dir, f)).sort();
};
const rel = (file: string): string => relative(repoRoot, file);

type TS = typeof import('typescript');

/** NoGiClient's typed methods and the operation each calls (`registerAgreement` → createConsent), read from its `this.call('…')`. */
function clientOperations(ts: TS, file: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(file)) return out;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visitClass = (node: import('typescript').Node) => {
    if (ts.isClassDeclaration(node) && node.name?.text === 'NoGiClient') {
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name) || ['call', 'request'].includes(member.name.text)) continue;
        const name = member.name.text;
        const find = (n: import('typescript').Node): void => {
          if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword
            && n.expression.name.text === 'call' && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) out.set(name, n.arguments[0].text);
          n.forEachChild(find);
        };
        find(member);
      }
    }
    node.forEachChild(visitClass);
  };
  visitClass(source);
  return out;
}

/**
 * What a file of specs/ or src/lifecycles/ reaches, read from its syntax: the operations it calls
 * through a NoGiClient method (`nogi.registerAgreement(…)`) or `call('createConsent', …)`, the
 * operationIds it names as strings (a list it loops over, `catalogue.operation('…')`), and the
 * project files it imports.
 */
function fileLinks(ts: TS, file: string, methods: Map<string, string>, operationIds: Set<string>): { ops: Set<string>; imports: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const ops = new Set<string>();
  const imports: string[] = [];
  const visit = (n: import('typescript').Node): void => {
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const op = methods.get(n.expression.name.text);
      if (op) ops.add(op);
    }
    if (ts.isStringLiteralLike(n) && operationIds.has(n.text)) ops.add(n.text);
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text.startsWith('.')) {
      imports.push(resolve(dirname(file), n.moduleSpecifier.text));
    }
    n.forEachChild(visit);
  };
  visit(source);
  return { ops, imports };
}

/** For each simulator handler file, the operations it handles (its functions named after them) and the rules each skips for a deviation (`skips('revoke')`). */
function handlerLinks(ts: TS, files: string[], operationIds: Set<string>): Map<string, { file: string; rules: Set<string> }> {
  const out = new Map<string, { file: string; rules: Set<string> }>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!ts.isFunctionDeclaration(statement) || !statement.name || !operationIds.has(statement.name.text)) continue;
      const rules = new Set<string>();
      const find = (n: import('typescript').Node): void => {
        if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'skips' && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) rules.add(n.arguments[0].text);
        n.forEachChild(find);
      };
      find(statement);
      out.set(statement.name.text, { file, rules });
    }
  }
  return out;
}

/**
 * The specs, lifecycles, Pact interactions, simulator handlers and deviations the changed
 * operations touch, found by what links them: the client method a spec or lifecycle calls and the
 * operation that method calls, the lifecycles a spec imports, the handler named after the
 * operation, and each response deviation's `appliesTo` asked of the operation as either
 * version's catalogue has it (behavioural ones by the rule the operation's handler lets them skip).
 */
async function adoptionChecklist(diff: ContractDiff, from: { doc: Doc; effective: Doc }, to: { doc: Doc; effective: Doc }): Promise<string[]> {
  const ops = touchedOperations(diff, [from.doc, to.doc]);
  if (!ops.length) return ['Adoption checklist: the diff touches no operation.'];
  const lines = [`Adoption checklist (${ops.length} operation${ops.length === 1 ? '' : 's'} touched: found by the client methods, lifecycles, handlers and deviations that reach each):`];
  let ts: TS;
  try {
    ts = (await import('typescript')).default;
  } catch {
    return [...lines, '  (not listed: reading the specs needs the repository\'s dev dependencies, typescript)'];
  }
  const catalogues = [from.effective, to.effective].flatMap((d) => {
    try {
      return [new Catalogue(d as never, loadOAuthContract())];
    } catch {
      return [];
    }
  });
  const operationIds = new Set([...ops.map((o) => o.operationId), ...catalogues.flatMap((c) => c.operations.map((o) => o.operationId))].filter(Boolean));
  const methods = clientOperations(ts, join(repoRoot, 'src/client/nogi-client.ts'));
  const linked = [...filesIn(join(repoRoot, 'specs'), '.ts'), ...filesIn(join(repoRoot, 'src/lifecycles'), '.ts')].map((f) => ({ f, ...fileLinks(ts, f, methods, operationIds) }));
  const byFile = new Map(linked.map((l) => [l.f, l]));
  /** The operations a file reaches, through the lifecycles it imports too. */
  const reach = (file: string, seen = new Set<string>()): Set<string> => {
    const l = byFile.get(file);
    if (!l || seen.has(file)) return new Set();
    seen.add(file);
    return new Set([...l.ops, ...l.imports.flatMap((i) => [...reach(i, seen)])]);
  };
  const pacts = filesIn(join(repoRoot, 'contracts/pacts'), '.json').flatMap((f) =>
    ((JSON.parse(readFileSync(f, 'utf8')) as { interactions?: Array<{ description: string; request?: { method?: string; path?: string } }> }).interactions ?? []).map((i) => ({ f, ...i })));
  const handlers = handlerLinks(ts, filesIn(join(repoRoot, 'src/simulator/api/handlers'), '.ts'), operationIds);
  const { DEVIATION_TABLE } = await import('../simulator/deviations.ts');
  const deviationTable = Object.entries(DEVIATION_TABLE) as Array<[string, (typeof DEVIATION_TABLE)[keyof typeof DEVIATION_TABLE]]>;
  // The self-test cases as the runner reads them (playwright.config.ts), where the clone has them.
  const selfModule = join(repoRoot, 'tests/self/deviations.ts');
  const selfDeviations = existsSync(selfModule)
    ? new Set(((await import(pathToFileURL(selfModule).href)) as { selfTestCases: Array<{ deviation?: string }> }).selfTestCases.flatMap((c) => (c.deviation ? [c.deviation] : [])))
    : new Set<string>();
  for (const { key, operationId } of ops) {
    const [method, path] = key.split(' ') as [string, string];
    const template = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, '[^/]+')}$`);
    const found: string[] = [];
    const specs = linked.filter((l) => l.f.includes(`${join(repoRoot, 'specs')}/`) && reach(l.f).has(operationId)).map((l) => rel(l.f));
    if (specs.length) found.push(`specs: ${specs.join(', ')}`);
    const lifecycles = linked.filter((l) => l.f.includes(`${join(repoRoot, 'src/lifecycles')}/`) && l.ops.has(operationId)).map((l) => rel(l.f));
    if (lifecycles.length) found.push(`lifecycles: ${lifecycles.join(', ')}`);
    const inPacts = pacts.filter((i) => i.request?.method?.toUpperCase() === method && template.test(i.request?.path ?? '')).map((i) => `"${i.description}"`);
    if (inPacts.length) found.push(`pact interactions: ${inPacts.join(', ')}`);
    const handler = handlers.get(operationId);
    if (handler) found.push(`simulator handlers: ${rel(handler.file)}`);
    const versions = catalogues.flatMap((c) => c.operations.filter((o) => o.operationId === operationId || `${o.method} ${o.path}` === key));
    const deviations = deviationTable.filter(([, d]) => versions.some((o) => d.appliesTo?.(o)) || (d.skips && handler?.rules.has(d.skips))).map(([name]) => name);
    if (deviations.length) found.push(`simulator deviations: ${deviations.join(', ')}`);
    const selfCases = deviations.filter((d) => selfDeviations.has(d));
    if (selfCases.length) found.push(`self-test cases: ${selfCases.join(', ')}`);
    lines.push(`  - ${key}${operationId ? ` (${operationId})` : ''}: ${found.length ? found.join('; ') : 'nothing in this suite reaches it'}`);
  }
  return lines;
}
