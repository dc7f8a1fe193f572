/**
 * Drift between the vendored provider contract of the current version
 * (contracts/versions/<version>/openapi.json) and the OpenAPI document the provider publishes
 * (that version's SOURCE.json publishedUrl, or NOGI_PUBLISHED_SPEC_URL). The diff and its summary
 * are `nogi-conformance contract diff`'s (src/contract/diff.ts): notation-only differences
 * ignored, each change once, breaking for a client or the provider. A published document that
 * cannot be fetched or parsed gives status "unknown", never an exception.
 */
import { parse as parseYaml } from 'yaml';
import { changeLine, diffContracts, diffSummary, type ContractDiff } from '../contract/diff.ts';
import { currentContractVersion, readErrata, readUpstream, readUpstreamSource, sha256 } from '../contract/load.ts';

export interface DriftChange {
  /** e.g. "GET /v1/debt/{id}" or "schema SpringErrorSchema" */
  where: string;
  /** The kind of change (src/contract/diff.ts ChangeKind). */
  action: string;
  /** "breaking" (for a client, the provider or both) or "non-breaking". */
  type: 'breaking' | 'non-breaking';
  description: string;
}

export interface DriftReport {
  status: 'none' | 'drift' | 'unknown';
  url: string;
  /** The contract version compared with, and its document's commit (or the version). */
  version: string;
  vendoredCommit: string;
  reason?: string;
  addedOperations: string[];
  removedOperations: string[];
  changedOperations: Array<{ operation: string; changes: DriftChange[] }>;
  schemaChanges: Array<{ schema: string; changes: DriftChange[] }>;
  otherChanges: DriftChange[];
  /** Changes breaking for a client or the provider. */
  breaking: number;
  /** The summary `contract diff` prints (empty unless there is drift). */
  summary: string[];
}

type Doc = Record<string, unknown>;

export function defaultPublishedUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.NOGI_PUBLISHED_SPEC_URL ?? readUpstreamSource(currentContractVersion(env)).publishedUrl;
}

/** The drift fields of a contract diff: the changes by operation and by schema, and its summary. */
export function driftOf(diff: ContractDiff, labels: { from: string; to: string }): Pick<DriftReport, 'status' | 'addedOperations' | 'removedOperations' | 'changedOperations' | 'schemaChanges' | 'otherChanges' | 'breaking' | 'summary'> {
  const changed = new Map<string, DriftChange[]>();
  const schemas = new Map<string, DriftChange[]>();
  const other: DriftChange[] = [];
  for (const c of diff.changes) {
    const change: DriftChange = { where: c.where, action: c.kind, type: c.breaking.client || c.breaking.provider ? 'breaking' : 'non-breaking', description: changeLine(c) };
    if (c.kind === 'operation-added' || c.kind === 'operation-removed') continue;
    if (c.operation) changed.set(c.operation, [...(changed.get(c.operation) ?? []), change]);
    else if (c.schema) schemas.set(c.schema, [...(schemas.get(c.schema) ?? []), change]);
    else other.push(change);
  }
  return {
    status: diff.changes.length ? 'drift' : 'none',
    addedOperations: diff.addedOperations,
    removedOperations: diff.removedOperations,
    changedOperations: [...changed].map(([operation, changes]) => ({ operation, changes })),
    schemaChanges: [...schemas].map(([schema, changes]) => ({ schema, changes })),
    otherChanges: other,
    breaking: diff.changes.filter((c) => c.breaking.client || c.breaking.provider).length,
    summary: diff.changes.length ? diffSummary(diff, labels) : [],
  };
}

const empty = { addedOperations: [], removedOperations: [], changedOperations: [], schemaChanges: [], otherChanges: [], breaking: 0, summary: [] };

/** Fetches the published document and compares; "unknown" with the reason when it cannot. */
export async function checkDrift(url: string = defaultPublishedUrl(), timeoutMs = 10_000): Promise<DriftReport> {
  const version = currentContractVersion();
  const source = readUpstreamSource(version);
  const base = { url, version, vendoredCommit: source.commit ?? source.version };
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
    return { ...base, ...driftOf(diffContracts(readUpstream(version), published, { errata: readErrata(version) }), { from: version, to: 'published' }) };
  } catch (error) {
    return { ...base, ...empty, status: 'unknown', reason: `the documents could not be compared: ${(error as Error).message}` };
  }
}

export function driftMarkdown(d: DriftReport): string {
  const lines = [`## Contract drift`, '', `Vendored: version ${d.version} (commit ${d.vendoredCommit.slice(0, 12)}); published: ${d.url}`, ''];
  if (d.status === 'unknown') return [...lines, `**Drift unknown**: ${d.reason}`, ''].join('\n');
  if (d.status === 'none') return [...lines, 'No drift: the published document matches the vendored one.', ''].join('\n');
  lines.push(`**Drift found** (${d.breaking} breaking change${d.breaking === 1 ? '' : 's'}).`, '', ...d.summary, '');
  lines.push(`When the change is intended, vendor it as a new version: \`nogi-conformance contract update ${d.url}\`; otherwise tell the provider.`, '');
  return lines.join('\n');
}
