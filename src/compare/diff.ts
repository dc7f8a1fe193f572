/**
 * Pairs the exchanges of two runs of the compare lifecycle step by step and names what differs:
 * status, content type, the headers a client acts on, the JSON shape (keys, types, formats;
 * values ignored) and the identifiers in error bodies. Each difference says whether the target
 * also disagrees with the contract (then the contract or its errata may be wrong) or only with the
 * simulator (then the simulator should follow this provider).
 */
import type { Exchange } from '../client/nogi-client.ts';
import { formatFinding, mediaType } from '../contract/index.ts';
import type { StepRecord } from './lifecycle.ts';

export type DifferenceKind = 'missing-exchange' | 'status' | 'content-type' | 'header' | 'shape' | 'error-body' | 'step-failed';

export interface Difference {
  step: string;
  /** The exchange within the step (0 for most steps). */
  index: number;
  /** `GET /v1/debt/{id}` as the contract writes it. */
  request: string;
  kind: DifferenceKind;
  /** A header name, a JSON pointer-like path (`/loans[]/loan/type`), or an error field. */
  where?: string;
  simulator: string;
  target: string;
  /** `contract-or-errata`: the target also breaks the contract here; `simulator`: only the simulator differs. */
  verdict: 'simulator' | 'contract-or-errata';
  /** The target's contract findings on this exchange, when any. */
  targetFindings: string[];
}

/** Headers whose differences change what a client does. */
export const comparedHeaders = ['cache-control', 'pragma', 'www-authenticate', 'allow', 'retry-after', 'location'] as const;

const normalizeHeader = (name: string, value: string | undefined): string => {
  if (value === undefined) return '(absent)';
  if (name === 'cache-control' || name === 'pragma') return value.split(',').map((d) => d.trim().toLowerCase()).sort().join(', ');
  if (name === 'www-authenticate') {
    // The scheme, the parameter names and the error code; realm and descriptions are the provider's own words.
    const scheme = value.trim().split(/\s+/)[0]!.toLowerCase();
    const params = [...value.matchAll(/([a-z_]+)\s*=\s*("[^"]*"|[^,\s]*)/gi)].map(([, k, v]) => (k!.toLowerCase() === 'error' ? `error=${v!.replace(/"/g, '')}` : k!.toLowerCase()));
    return [scheme, ...params.sort()].join(' ');
  }
  if (name === 'location') return '(present)';
  return value.trim();
};

const formats: [string, RegExp][] = [
  ['date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['uri', /^https?:\/\//],
  ['jwt', /^[\w-]+\.[\w-]+\.[\w-]*$/],
  ['11 digits', /^\d{11}$/],
  ['numeric string', /^-?\d+$/],
];

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') {
    const format = formats.find(([, re]) => re.test(value));
    return format ? `string (${format[0]})` : 'string';
  }
  return typeof value;
}

/**
 * The shape of a JSON value: path → the types seen there. Array elements share the path `[]`;
 * an empty array contributes no element paths (its elements' shape is unknown, not different).
 */
export function jsonShape(value: unknown, path = '', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const at = path || '/';
  if (!out.has(at)) out.set(at, new Set());
  out.get(at)!.add(typeOf(value));
  if (Array.isArray(value)) for (const item of value) jsonShape(item, `${path}[]`, out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) jsonShape(v, `${path}/${k}`, out);
  return out;
}

/** Paths under an array that is empty on either side are not compared (data, not shape). */
function emptyArrays(shape: Map<string, Set<string>>): string[] {
  return [...shape].filter(([path, types]) => types.has('array') && !shape.has(`${path === '/' ? '' : path}[]`)).map(([path]) => path);
}

const errorFields = ['error', 'code', 'status'] as const;

function describeRequest(e: Exchange | undefined): string {
  return e ? `${e.method} ${e.pathTemplate}` : '(no request)';
}

function compareExchange(step: string, index: number, sim: Exchange, target: Exchange): Difference[] {
  const targetFindings = target.findings.filter((f) => f.severity === 'error').map(formatFinding);
  const out: Difference[] = [];
  const add = (kind: DifferenceKind, simulator: string, targetValue: string, where?: string): void => {
    out.push({ step, index, request: describeRequest(target), kind, where, simulator, target: targetValue, verdict: targetFindings.length ? 'contract-or-errata' : 'simulator', targetFindings });
  };
  if (sim.status !== target.status) add('status', String(sim.status), String(target.status));
  const simType = mediaType(sim.contentType) || '(none)';
  const targetType = mediaType(target.contentType) || '(none)';
  if (simType !== targetType) add('content-type', simType, targetType);
  for (const name of comparedHeaders) {
    const a = normalizeHeader(name, sim.headers[name]);
    const b = normalizeHeader(name, target.headers[name]);
    if (a !== b) add('header', a, b, name);
  }
  if (sim.status === target.status) {
    const a = jsonShape(sim.body);
    const b = jsonShape(target.body);
    const skipped = [...emptyArrays(a), ...emptyArrays(b)].map((p) => `${p === '/' ? '' : p}[]`);
    const compared = (path: string): boolean => !skipped.some((prefix) => path.startsWith(prefix));
    const rootA = [...a.get('/')!].join();
    const rootB = [...b.get('/')!].join();
    // Bodies of different kinds (an object and a text) differ once, at the root, not at every key.
    const paths = rootA === rootB ? new Set([...a.keys(), ...b.keys()]) : new Set(['/']);
    for (const path of paths) {
      if (!compared(path)) continue;
      const x = [...(a.get(path) ?? [])].sort().join(' | ') || '(absent)';
      const y = [...(b.get(path) ?? [])].sort().join(' | ') || '(absent)';
      if (x !== y) add('shape', x, y, path);
    }
    if (sim.status >= 400) {
      for (const field of errorFields) {
        const x = fieldValue(sim.body, field);
        const y = fieldValue(target.body, field);
        if (x !== y) add('error-body', x, y, field);
      }
    }
  }
  return out;
}

function fieldValue(body: unknown, key: string): string {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !(key in body)) return '(absent)';
  return JSON.stringify((body as Record<string, unknown>)[key]);
}

/** Every difference between the simulator's run and the target's, step by step. */
export function compareRuns(simulator: StepRecord[], target: StepRecord[]): Difference[] {
  const out: Difference[] = [];
  const byName = new Map(target.map((s) => [s.step, s]));
  for (const simStep of simulator) {
    const targetStep = byName.get(simStep.step);
    for (const [side, record] of [['simulator', simStep], ['target', targetStep]] as const) {
      if (record?.error) {
        out.push({ step: simStep.step, index: 0, request: describeRequest(record.exchanges[0]), kind: 'step-failed', simulator: side === 'simulator' ? record.error : '', target: side === 'target' ? record.error : '', verdict: 'simulator', targetFindings: [] });
      }
    }
    const count = Math.max(simStep.exchanges.length, targetStep?.exchanges.length ?? 0);
    for (let i = 0; i < count; i++) {
      const a = simStep.exchanges[i];
      const b = targetStep?.exchanges[i];
      if (a && b) out.push(...compareExchange(simStep.step, i, a, b));
      else {
        out.push({ step: simStep.step, index: i, request: describeRequest(a ?? b), kind: 'missing-exchange', simulator: a ? describeRequest(a) : '(none)', target: b ? describeRequest(b) : '(none)', verdict: 'simulator', targetFindings: [] });
      }
    }
  }
  return out;
}
