/**
 * The effective contracts: the provider's OpenAPI document + our errata overlay, and the OAuth
 * contract we wrote from the provider's prose. Everything that knows a schema, route or status
 * code (validators, simulator routing, types, the Pact cross-check) starts here.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openapiOverlay } from 'openapi-format';
import { parse as parseYaml } from 'yaml';
import type { OpenAPIV3 } from 'openapi-types';

export const contractsDir = fileURLToPath(new URL('../../contracts/', import.meta.url));
export const contractPaths = {
  upstream: `${contractsDir}upstream/openapi.json`,
  upstreamSource: `${contractsDir}upstream/SOURCE.json`,
  errata: `${contractsDir}errata.overlay.yaml`,
  oauth: `${contractsDir}oauth.openapi.yaml`,
  pacts: `${contractsDir}pacts/`,
} as const;

export interface UpstreamSource {
  repository: string;
  commit: string;
  path: string;
  publishedUrl: string;
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
  actions: OverlayAction[];
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

export function readUpstreamSource(): UpstreamSource {
  return JSON.parse(readFileSync(contractPaths.upstreamSource, 'utf8')) as UpstreamSource;
}

export function readUpstream(): OpenAPIV3.Document {
  return JSON.parse(readFileSync(contractPaths.upstream, 'utf8')) as OpenAPIV3.Document;
}

export function readErrata(): Overlay {
  return parseYaml(readFileSync(contractPaths.errata, 'utf8')) as Overlay;
}

/** Applies an overlay; an action that matches nothing is an error, never silently skipped. */
export async function applyOverlay(base: OpenAPIV3.Document, overlay: Overlay): Promise<OpenAPIV3.Document> {
  const { data, resultData } = await openapiOverlay(structuredClone(base) as never, { overlaySet: overlay as never });
  const unusedActions = resultData.unusedActions as OverlayAction[];
  if (unusedActions.length > 0) {
    const unused = unusedActions.map((a) => `  - ${a.target}: ${a.description}`);
    throw new Error(`Errata overlay has actions that match nothing in the upstream document:\n${unused.join('\n')}`);
  }
  return data as OpenAPIV3.Document;
}

let effective: Promise<OpenAPIV3.Document> | undefined;
/** upstream openapi.json + errata.overlay.yaml, computed once per process. */
export function loadApiContract(): Promise<OpenAPIV3.Document> {
  effective ??= applyOverlay(readUpstream(), readErrata());
  return effective;
}

let oauth: OpenAPIV3.Document | undefined;
export function loadOAuthContract(): OpenAPIV3.Document {
  oauth ??= parseYaml(readFileSync(contractPaths.oauth, 'utf8')) as OpenAPIV3.Document;
  return oauth;
}
