/**
 * Bi-directional check: every interaction of the pacts against the effective OpenAPI contracts
 * (upstream + errata for the API host, the OAuth contract for the access host), with the
 * project's own AJV validators. The request: method and path name a documented operation; its
 * query, headers, content type and body validate. The response: the status is documented, the
 * content type is, and the body validates. Bodies with matchers are checked through their
 * example values (what a Pact file stores as `content`). Strict: a property the consumer
 * relies on that the contract does not list is an error, not a warning: the contract must
 * document what a partner depends on.
 *
 * One rule follows Pact's own semantics: a pact response is the subset the consumer reads
 * ("match only the fields the client reads"), so a required response property that the pact
 * leaves out is not a mismatch. Everything the pact does hold must be documented and valid.
 * Requests are whole: a required request property missing from the pact is a mismatch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getCatalogue, type Catalogue, type HostName } from '../contract/catalogue.ts';
import { formatFinding, getContracts, mediaType, type ContractFinding, type ContractValidator } from '../contract/index.ts';
import { ACCESS_PROVIDER, pactDir } from './names.ts';

export interface PactBody { content?: unknown; contentType?: string; encoded?: unknown }
export interface PactInteraction {
  type?: string;
  description: string;
  request: { method: string; path: string; query?: Record<string, string[]>; headers?: Record<string, string[]>; body?: PactBody };
  response: { status: number; headers?: Record<string, string[]>; body?: PactBody };
}
export interface PactDocument { consumer: { name: string }; provider: { name: string }; interactions: PactInteraction[] }

export interface CrossCheckFinding {
  pact: string;
  interaction: string;
  side: 'request' | 'response' | 'routing';
  operationId?: string;
  message: string;
}

const lower = (h: Record<string, string[]> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), v[0] ?? '']));

function bodyValue(body: PactBody | undefined): unknown {
  if (!body || body.content === undefined) return undefined;
  const type = mediaType(body.contentType);
  if (type === 'application/x-www-form-urlencoded' && typeof body.content === 'string') {
    return Object.fromEntries(new URLSearchParams(body.content));
  }
  if (body.encoded && body.encoded !== false && typeof body.content === 'string') {
    const text = Buffer.from(body.content, 'base64').toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return body.content;
}

/** One interaction against the contract of a host: the operation from the catalogue, the schemas from the contract's validator. */
function crossCheckInteraction(pactName: string, contract: ContractValidator, catalogue: Catalogue, host: HostName, i: PactInteraction): CrossCheckFinding[] {
  const out: CrossCheckFinding[] = [];
  const at = (side: CrossCheckFinding['side'], message: string, operationId?: string) => out.push({ pact: pactName, interaction: i.description, side, operationId, message });
  if (i.type && i.type !== 'Synchronous/HTTP') {
    at('routing', `interaction type ${i.type} is not HTTP; the contract has no such thing`);
    return out;
  }
  const op = catalogue.match(host, i.request.method, i.request.path.split('?')[0]!);
  if (!op) {
    at('routing', `${i.request.method} ${i.request.path} is not an operation of the ${contract.name} contract`);
    return out;
  }
  const id = op.operationId;
  const query = Object.fromEntries(Object.entries(i.request.query ?? {}).map(([k, v]) => [k, v[0] ?? '']));
  const declared = new Set(((op.spec.parameters ?? []) as Array<{ in?: string; name?: string }>).filter((p) => p.in === 'query').map((p) => p.name));
  for (const k of Object.keys(query)) if (!declared.has(k)) at('request', `query parameter "${k}" is not documented for ${id}`, id);
  const reqHeaders = lower(i.request.headers);
  const findings: Array<[CrossCheckFinding['side'], ContractFinding]> = [];
  for (const f of contract.validateRequest(id, {
    query,
    headers: reqHeaders,
    contentType: i.request.body?.contentType ?? reqHeaders['content-type'],
    body: bodyValue(i.request.body),
  })) findings.push(['request', f]);
  const resHeaders = lower(i.response.headers);
  for (const f of contract.validateResponse(id, {
    status: i.response.status,
    contentType: i.response.body?.contentType ?? resHeaders['content-type'],
    headers: resHeaders,
    body: bodyValue(i.response.body),
  })) findings.push(['response', f]);
  for (const [side, f] of findings) {
    if (f.severity !== 'error') continue;
    // A pact response holds only what the consumer reads: a body field it leaves out (a required
    // property, or the event body a feed invariant expects) is not a mismatch.
    if (side === 'response' && f.pointer.startsWith('/') && f.actual === '(absent)') continue;
    // A pact response with no body at all reads none: it holds whatever body (and content type) the
    // contract documents, as the Agreement API's errors, whose format changed between versions.
    if (side === 'response' && f.check === 'content_type_conformance' && i.response.body === undefined) continue;
    at(side, formatFinding(f), id);
  }
  return out;
}

async function crossCheckPact(file: string): Promise<CrossCheckFinding[]> {
  const pact = JSON.parse(readFileSync(file, 'utf8')) as PactDocument;
  return crossCheckDocument(pact, file);
}

export async function crossCheckDocument(pact: PactDocument, name = `${pact.consumer.name}-${pact.provider.name}`): Promise<CrossCheckFinding[]> {
  const contracts = await getContracts({ strict: true });
  const catalogue = await getCatalogue(contracts.version);
  const host: HostName = pact.provider.name === ACCESS_PROVIDER ? 'access' : 'api';
  const contract = host === 'access' ? contracts.oauth : contracts.api;
  return pact.interactions.flatMap((i) => crossCheckInteraction(name, contract, catalogue, host, i));
}

export async function crossCheckAll(dir = pactDir()): Promise<{ files: string[]; interactions: number; findings: CrossCheckFinding[] }> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  const findings: CrossCheckFinding[] = [];
  let interactions = 0;
  for (const f of files) {
    interactions += (JSON.parse(readFileSync(f, 'utf8')) as PactDocument).interactions.length;
    findings.push(...(await crossCheckPact(f)));
  }
  return { files, interactions, findings };
}

export const formatCrossCheck = (f: CrossCheckFinding): string =>
  `${f.pact} › "${f.interaction}" ${f.side}${f.operationId ? ` (${f.operationId})` : ''}: ${f.message}`;
