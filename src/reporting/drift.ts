/**
 * Drift between the vendored provider contract (contracts/upstream/openapi.json) and the OpenAPI
 * document the provider publishes. The diff itself is api-smart-diff's (OpenAPI 3.0 aware,
 * $refs resolved, each change classified breaking / non-breaking / annotation); this module groups
 * it into added, removed and changed operations and schema changes. A published document that
 * cannot be fetched or parsed gives status "unknown", never an exception.
 */
import { apiCompare } from 'api-smart-diff';
import { parse as parseYaml } from 'yaml';
import { readUpstream, readUpstreamSource, sha256 } from '../contract/load.ts';

export interface DriftChange {
  /** e.g. "GET /v1/debt/{id}" or "schema SpringErrorSchema" */
  where: string;
  action: string;
  type: string;
  description: string;
}

export interface DriftReport {
  status: 'none' | 'drift' | 'unknown';
  url: string;
  vendoredCommit: string;
  reason?: string;
  addedOperations: string[];
  removedOperations: string[];
  changedOperations: Array<{ operation: string; changes: DriftChange[] }>;
  schemaChanges: Array<{ schema: string; changes: DriftChange[] }>;
  otherChanges: DriftChange[];
  breaking: number;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']);
type Doc = Record<string, unknown>;

export function defaultPublishedUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.NOGI_PUBLISHED_SPEC_URL ?? readUpstreamSource().publishedUrl;
}

const verbs: Record<string, string> = { add: 'Added', remove: 'Removed', replace: 'Changed', rename: 'Renamed' };

/** api-smart-diff's own text where it has one; for component schemas, ours from the path. */
function describe(path: (string | number)[], action: string, given: unknown, value: unknown): string {
  if (typeof given === 'string' && given.length > 0 && !/annotation \(/.test(given)) return given;
  const verb = verbs[action] ?? action;
  const where = path.slice(3).map(String);
  const prop = where.lastIndexOf('properties');
  const inner = where.slice(0, prop < 0 ? 0 : prop).join('.');
  const at = inner ? ` in ${inner}` : '';
  if (prop >= 0 && where.length === prop + 2) return `[${verb}] property \`${where[prop + 1]}\`${at}`;
  if (where.at(-2) === 'required' || where.at(-1) === 'required') return `[${verb}] required ${typeof value === 'string' ? `\`${value}\`` : JSON.stringify(value)}${at}`;
  return `[${verb}] ${path.join('.')}${value !== undefined && typeof value !== 'object' ? ` (${String(value)})` : ''}`;
}

/** Groups the differences between two OpenAPI 3.0 documents. */
export function diffContracts(vendored: Doc, published: Doc): Omit<DriftReport, 'url' | 'vendoredCommit' | 'reason'> {
  const { diffs } = apiCompare(vendored, published);
  const added: string[] = [];
  const removed: string[] = [];
  const changed = new Map<string, DriftChange[]>();
  const schemas = new Map<string, DriftChange[]>();
  const other: DriftChange[] = [];
  let breaking = 0;
  for (const d of diffs as Array<{ action: string; type: string; path: (string | number)[]; description?: string; before?: unknown; after?: unknown }>) {
    const [root, key, method] = d.path;
    if (d.type === 'breaking') breaking++;
    const change = (where: string): DriftChange => ({ where, action: d.action, type: d.type, description: describe(d.path, d.action, d.description, d.action === 'remove' ? d.before : d.action === 'replace' && typeof d.after !== 'object' ? `${String(d.before)} → ${String(d.after)}` : d.after) });
    if (root === 'paths' && typeof key === 'string') {
      if (d.path.length === 2) {
        // A whole path item added or removed: one entry per operation in it.
        const item = ((d.action === 'add' ? published : vendored).paths as Record<string, Doc>)[key] ?? {};
        for (const m of Object.keys(item).filter((k) => METHODS.has(k))) (d.action === 'add' ? added : removed).push(`${m.toUpperCase()} ${key}`);
        if (d.action !== 'add' && d.action !== 'remove') other.push(change(`path ${key}`));
        continue;
      }
      if (typeof method === 'string' && METHODS.has(method)) {
        const op = `${method.toUpperCase()} ${key}`;
        if (d.path.length === 3 && d.action === 'add') added.push(op);
        else if (d.path.length === 3 && d.action === 'remove') removed.push(op);
        else changed.set(op, [...(changed.get(op) ?? []), change(op)]);
        continue;
      }
      other.push(change(`path ${key}`));
    } else if (root === 'components' && key === 'schemas' && typeof method === 'string') {
      const where = `schema ${method}`;
      schemas.set(method, [...(schemas.get(method) ?? []), change(where)]);
    } else {
      other.push(change(d.path.slice(0, 3).join('.')));
    }
  }
  const status = added.length || removed.length || changed.size || schemas.size || other.length ? 'drift' : 'none';
  return {
    status,
    addedOperations: added.sort(),
    removedOperations: removed.sort(),
    changedOperations: [...changed].map(([operation, changes]) => ({ operation, changes })),
    schemaChanges: [...schemas].map(([schema, changes]) => ({ schema, changes })),
    otherChanges: other,
    breaking,
  };
}

const empty = { addedOperations: [], removedOperations: [], changedOperations: [], schemaChanges: [], otherChanges: [], breaking: 0 };

/** Fetches the published document and compares; "unknown" with the reason when it cannot. */
export async function checkDrift(url: string = defaultPublishedUrl(), timeoutMs = 10_000): Promise<DriftReport> {
  const source = readUpstreamSource();
  const base = { url, vendoredCommit: source.commit ?? source.version };
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
    if (!res.ok) return { ...base, ...empty, status: 'unknown', reason: `the published document answered HTTP ${res.status}` };
    text = await res.text();
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message ?? String(error));
    return { ...base, ...empty, status: 'unknown', reason: `the published document could not be fetched: ${why}` };
  }
  if (sha256(text) === source.sha256) return { ...base, ...empty, status: 'none' };
  let published: Doc;
  try {
    published = (text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text)) as Doc;
    if (!published || typeof published !== 'object' || !('paths' in published)) throw new Error('no "paths": not an OpenAPI document');
  } catch (error) {
    return { ...base, ...empty, status: 'unknown', reason: `the published document is not OpenAPI JSON or YAML: ${(error as Error).message}` };
  }
  try {
    return { ...base, ...diffContracts(readUpstream() as unknown as Doc, published) };
  } catch (error) {
    return { ...base, ...empty, status: 'unknown', reason: `the documents could not be compared: ${(error as Error).message}` };
  }
}

export function driftMarkdown(d: DriftReport): string {
  const lines = [`## Contract drift`, '', `Vendored: commit ${d.vendoredCommit.slice(0, 12)}; published: ${d.url}`, ''];
  if (d.status === 'unknown') return [...lines, `**Drift unknown**: ${d.reason}`, ''].join('\n');
  if (d.status === 'none') return [...lines, 'No drift: the published document matches the vendored one.', ''].join('\n');
  lines.push(`**Drift found** (${d.breaking} breaking change${d.breaking === 1 ? '' : 's'}).`, '');
  if (d.addedOperations.length) lines.push('Added operations:', ...d.addedOperations.map((o) => `- ${o}`), '');
  if (d.removedOperations.length) lines.push('Removed operations:', ...d.removedOperations.map((o) => `- ${o}`), '');
  if (d.changedOperations.length) {
    lines.push('Changed operations:');
    for (const c of d.changedOperations) {
      lines.push(`- ${c.operation}`);
      for (const ch of c.changes) lines.push(`  - ${ch.type}: ${ch.description}`);
    }
    lines.push('');
  }
  if (d.schemaChanges.length) {
    lines.push('Schema changes:');
    for (const s of d.schemaChanges) {
      lines.push(`- ${s.schema}`);
      for (const ch of s.changes) lines.push(`  - ${ch.type}: ${ch.description}`);
    }
    lines.push('');
  }
  if (d.otherChanges.length) lines.push('Other changes:', ...d.otherChanges.map((c) => `- ${c.where}: ${c.description}`), '');
  lines.push('Update contracts/upstream/ (and the errata) when the change is intended; otherwise tell the provider.', '');
  return lines.join('\n');
}
