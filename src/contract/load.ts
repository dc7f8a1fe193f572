/**
 * The effective contracts: a version of the provider's OpenAPI document + that version's errata
 * overlay, and the OAuth contract we wrote from the provider's prose. Everything that knows a
 * schema, route or status code (validators, simulator routing, types, the Pact cross-check) starts
 * here.
 *
 * The provider's contract moves, so it is versioned: contracts/versions/<id>/ holds each document
 * vendored unchanged (openapi.json), its SOURCE.json and its errata; contracts/versions/index.json
 * lists the versions and names the default. One setting picks the version for a whole process:
 * NOGI_CONTRACT (the CLI's and `npm run mock`'s --contract set it). Code that must hold two
 * versions at once (the self test's simulator of another version) passes the version explicitly.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { closest } from 'fastest-levenshtein';
import { parse as parseYaml } from 'yaml';
import type { OpenAPIV3 } from 'openapi-types';
import { packagePath } from '../package-root.ts';
import { cacheEntry } from './cache.ts';

// contracts/ at the package's root, from the sources (tsx) and from dist/ alike.
export const contractsDir = `${packagePath('contracts')}${sep}`;
export const contractPaths = {
  versions: `${contractsDir}versions/`,
  oauth: `${contractsDir}oauth.openapi.yaml`,
  pacts: `${contractsDir}pacts/`,
} as const;

/** A version of the provider's contract: the short commit of the document (`b68fec2`, `3770c4e`). */
export type ContractVersion = string;

export interface VersionIndex {
  description?: string;
  default: ContractVersion;
  /** Oldest first. */
  versions: ContractVersion[];
}

/** Where a version's document came from (contracts/versions/<id>/SOURCE.json). */
export interface UpstreamSource {
  description?: string;
  version: ContractVersion;
  openapi: string;
  repository?: string;
  commit?: string;
  path?: string;
  /** Where the provider publishes it (what drift and `contract update` fetch). */
  publishedUrl: string;
  /** When the provider published it, when known (YYYY-MM-DD). */
  published?: string;
  /** When it was vendored (YYYY-MM-DD). */
  retrieved: string;
  sha256: string;
}

export interface OverlayAction {
  target: string;
  description: string;
  update?: unknown;
  remove?: boolean;
}
export interface Overlay {
  overlay: string;
  info?: { title: string; version: string };
  actions: OverlayAction[];
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export function readVersionIndex(dir: string = contractPaths.versions): VersionIndex {
  return JSON.parse(readFileSync(`${dir.replace(/\/?$/, '/')}index.json`, 'utf8')) as VersionIndex;
}

/** The files of one version. */
export function versionPaths(version: ContractVersion, dir: string = contractPaths.versions) {
  const base = `${dir.replace(/\/?$/, '/')}${version}/`;
  return { dir: base, openapi: `${base}openapi.json`, source: `${base}SOURCE.json`, errata: `${base}errata.overlay.yaml` } as const;
}

/** A clear error for a version this suite does not vendor, with the closest one. */
export class UnknownContractVersion extends Error {
  constructor(version: string, known: readonly string[]) {
    const near = closest(version, [...known]);
    super(`Unknown contract version "${version}": this suite vendors ${known.join(', ')} (contracts/versions/)${near ? `; did you mean ${near}?` : ''}`);
    this.name = 'UnknownContractVersion';
  }
}

/** Refuses a version the index does not list. */
export function checkContractVersion(version: string, index: VersionIndex = readVersionIndex()): ContractVersion {
  if (!index.versions.includes(version)) throw new UnknownContractVersion(version, index.versions);
  return version;
}

/** The version this process judges by: NOGI_CONTRACT, else the index's default. */
export function currentContractVersion(env: NodeJS.ProcessEnv = process.env): ContractVersion {
  const index = readVersionIndex();
  return checkContractVersion(env.NOGI_CONTRACT?.trim() || index.default, index);
}

export function readUpstreamSource(version: ContractVersion = currentContractVersion()): UpstreamSource {
  return JSON.parse(readFileSync(versionPaths(version).source, 'utf8')) as UpstreamSource;
}

export function readUpstream(version: ContractVersion = currentContractVersion()): OpenAPIV3.Document {
  return JSON.parse(readFileSync(versionPaths(version).openapi, 'utf8')) as OpenAPIV3.Document;
}

export function readErrata(version: ContractVersion = currentContractVersion()): Overlay {
  return parseYaml(readFileSync(versionPaths(version).errata, 'utf8')) as Overlay;
}

/** `3.0` or `3.1`: the OpenAPI line of a document (3.1 schemas are JSON Schema 2020-12). */
export function openapiLine(doc: { openapi?: string }): '3.0' | '3.1' {
  const line = /^3\.(\d+)/.exec(doc.openapi ?? '')?.[1];
  if (line === '0') return '3.0';
  if (line === '1') return '3.1';
  throw new Error(`Unsupported OpenAPI version "${doc.openapi ?? '(none)'}": this suite reads OpenAPI 3.0 and 3.1 documents`);
}

/** An overlay's actions, split into those that match something and those that match nothing. */
export async function tryOverlay(base: OpenAPIV3.Document, overlay: Overlay): Promise<{ document: OpenAPIV3.Document; unused: OverlayAction[] }> {
  // Loaded here: a run reads the effective contract from the cache (src/contract/cache.ts).
  const { openapiOverlay } = await import('openapi-format');
  const { data, resultData } = await openapiOverlay(structuredClone(base) as never, { overlaySet: overlay as never });
  return { document: data as OpenAPIV3.Document, unused: (resultData.unusedActions ?? []) as OverlayAction[] };
}

/** Applies an overlay; an action that matches nothing is an error, never silently skipped. */
export async function applyOverlay(base: OpenAPIV3.Document, overlay: Overlay, version?: ContractVersion): Promise<OpenAPIV3.Document> {
  const { document, unused } = await tryOverlay(base, overlay);
  if (unused.length > 0) {
    const lines = unused.map((a) => `  - ${a.target}: ${a.description.split('. ')[0]}`);
    const where = version ? `contracts/versions/${version}/errata.overlay.yaml` : 'The errata overlay';
    throw new Error(
      `${where} has actions that match nothing in the provider's document:\n${lines.join('\n')}\n` +
      'An upstream fix or a new document: run `npx nogi-conformance contract update <file|url>` to vendor a document as a ' +
      'new version and see which errata still apply, then remove or rewrite these actions.',
    );
  }
  return document;
}

/**
 * The effective contract must be a valid OpenAPI document of its own line (3.0 or 3.1): checked
 * when it is computed, so only a valid one is cached (openapi-backend validates as 3.0 only).
 */
async function checkDefinition(document: OpenAPIV3.Document): Promise<OpenAPIV3.Document> {
  const line = openapiLine(document);
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const { valid, errors } = await new Validator().validate(structuredClone(document) as never);
  if (!valid) {
    const list = typeof errors === 'string' ? [errors] : (errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    throw new Error(`The effective contract is not valid OpenAPI ${line}:\n  ${list.join('\n  ')}`);
  }
  return document;
}

const effective = new Map<ContractVersion, Promise<OpenAPIV3.Document>>();
/** The provider's document of a version + its errata, validated, computed once per version (src/contract/cache.ts) and kept per process. */
export function loadApiContract(version: ContractVersion = currentContractVersion()): Promise<OpenAPIV3.Document> {
  let doc = effective.get(version);
  if (!doc) {
    checkContractVersion(version);
    const paths = versionPaths(version);
    const cached = cacheEntry<OpenAPIV3.Document>(`api-${version}`, [paths.openapi, paths.errata]);
    const known = cached.read();
    doc = known ? Promise.resolve(known) : applyOverlay(readUpstream(version), readErrata(version), version).then(checkDefinition).then((d) => cached.write(d));
    effective.set(version, doc);
  }
  return doc;
}

let oauth: OpenAPIV3.Document | undefined;
export function loadOAuthContract(): OpenAPIV3.Document {
  if (!oauth) {
    const cached = cacheEntry<OpenAPIV3.Document>('oauth', [contractPaths.oauth]);
    oauth = cached.read() ?? cached.write(parseYaml(readFileSync(contractPaths.oauth, 'utf8')) as OpenAPIV3.Document);
  }
  return oauth;
}
