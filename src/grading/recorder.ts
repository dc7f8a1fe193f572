/**
 * What each client does in the sandbox, as the judge (judge.ts) needs it: one masked record per
 * exchange on the access and API hosts, kept per client and bounded. The sandbox fills it from its
 * exchange hook (src/simulator/recording.ts). Tokens are never kept: a token is named by a short
 * SHA-256 reference (tokenRef). Everything else goes through src/reporting/redact.ts.
 */
import { createHash } from 'node:crypto';
import { redactValue } from '../reporting/redact.ts';

/** What the token an API call carried stood for, when the sandbox issued it. */
export interface TokenFacts {
  ref: string;
  grant: string;
  audience: string;
  scopes: string[];
  expiresAt: number;
  consentId?: string;
  singleUse?: boolean;
  /** Whose token it is (not recorded: the exchange names its client). */
  clientId?: string;
}

export interface RecordedExchange {
  seq: number;
  /** Wall-clock ms (retry timing) and sandbox-clock ms (token and consent expiry). */
  at: number;
  simAt: number;
  /** Wall-clock ms when the answer was sent: a retry's wait is counted from here. */
  doneAt?: number;
  host: 'access' | 'api' | 'sandbox';
  method: string;
  path: string;
  query: Record<string, string>;
  operationId?: string;
  clientId?: string;
  request: {
    contentType?: string;
    /** The Accept header as sent (which error formats the client says it reads). */
    accept?: string;
    auth: 'basic' | 'bearer' | 'none' | 'other';
    /** Client id sent in the form body (client_secret_post) or the query. */
    bodyClientId?: string;
    secretInBody?: boolean;
    body?: unknown;
    /** Set when the body was larger than the bound: `body` then keeps only what the rules read (Truncated). */
    bodyTruncated?: Truncated;
    token?: TokenFacts;
    /** The contract's request validation, run on the body as sent (before masking); at most MAX_FINDINGS of each severity. */
    findings?: Array<{ severity: 'error' | 'warning'; pointer: string; expected: string; actual: string }>;
    /** Findings beyond those kept. */
    findingsOmitted?: number;
  };
  response: {
    status: number;
    contentType?: string;
    leniency?: string;
    body?: unknown;
    bodyTruncated?: Truncated;
    /** Token endpoint: the token issued (by reference) and its lifetime. */
    issued?: { ref: string; expiresIn: number };
  };
  /** A sandbox event (a scenario played), not the client's request. */
  note?: string;
}

/**
 * A body recorded in part: its size as recorded whole (JSON bytes) and its SHA-256 (two bodies are
 * the same when these are), and `partial` when even the fields the rules read did not all fit.
 */
export interface Truncated {
  bytes: number;
  sha256: string;
  partial?: boolean;
}

/** What a client may make the recording hold (NOGI_SIM_RECORDING_BODY_BYTES, NOGI_SIM_RECORDING_BYTES_PER_CLIENT). */
export interface RecordingLimits {
  /** A request or response body larger than this (JSON bytes) keeps only the fields the rules read. */
  bodyBytes: number;
  /** Each client's recording at most (JSON bytes): the oldest exchanges are dropped first. */
  bytesPerClient: number;
}

export const DEFAULT_RECORDING_LIMITS: RecordingLimits = { bodyBytes: 16_384, bytesPerClient: 4_194_304 };

/** The recording is bounded: this many exchanges per client, strings clipped to MAX_STRING, bodies to MAX_DEPTH levels. */
const MAX_PER_CLIENT = 5000;
/** Request findings kept per exchange and severity (a body of 4,700 unknown fields has 4,700 warnings). */
const MAX_FINDINGS = 10;
const MAX_STRING = 512;
const MAX_DEPTH = 32;

/**
 * A copy with long strings (a 12 kB `state`, say) clipped and levels past MAX_DEPTH replaced by a
 * note, so a client's recording stays small whatever it sends, and a body nested 5,000 deep
 * neither overflows the stack here nor later, where the recording is judged and served as JSON.
 */
export function clip(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return v.length > MAX_STRING ? `${v.slice(0, 64)}… (${v.length} characters)` : v;
  if (!v || typeof v !== 'object') return v;
  if (depth >= MAX_DEPTH) return `(nested deeper than ${MAX_DEPTH} levels: not recorded)`;
  if (Array.isArray(v)) return v.map((x) => clip(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clip(x, depth + 1)]));
}

const jsonBytes = (v: unknown): number => (v === undefined ? 0 : Buffer.byteLength(JSON.stringify(v)));

/**
 * The fields of a body the rules (judge.ts) and scenarios read: an error's error,
 * error_description and errorReference; a registration's consent id and expires_at; a feed page's
 * archived events and its highest sequenceNr (not every event); a token form's grant_type,
 * audience and scope. Everything else of a body past the bound is dropped.
 */
function gradedFields(body: unknown, limit: number): { kept: unknown; partial: boolean } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { kept: undefined, partial: false };
  const b = body as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const k of ['error', 'error_description', 'errorReference', 'grant_type', 'audience', 'scope', 'client_id']) if (typeof b[k] === 'string') kept[k] = b[k];
  const consent = b.consent as { id?: unknown; expires_at?: unknown } | undefined;
  if (consent && typeof consent === 'object') kept.consent = { id: consent.id, expires_at: consent.expires_at };
  let partial = false;
  if (Array.isArray(b.result)) {
    type Event = { eventType?: unknown; consentId?: unknown; sequenceNr?: unknown };
    const events = (b.result as Event[]).filter((e) => e && typeof e === 'object').map((e) => ({ eventType: e.eventType, consentId: e.consentId, sequenceNr: e.sequenceNr }));
    const last = events.reduce<(typeof events)[number] | undefined>((m, e) => (m === undefined || Number(e.sequenceNr) > Number(m.sequenceNr) ? e : m), undefined);
    const archived = events.filter((e) => e.eventType === 'SAMTYKKE_ARKIVERT' && e !== last);
    const result = last ? [last] : [];
    let bytes = jsonBytes(kept) + jsonBytes(result);
    for (const e of archived) {
      bytes += jsonBytes(e) + 1;
      if (bytes > limit) {
        partial = true;
        break;
      }
      result.push(e);
    }
    kept.result = result;
  }
  return { kept, partial };
}

/** The body itself when within the bound, else its graded fields and the mark saying so. */
function bound(body: unknown, limit: number): { body: unknown; truncated?: Truncated } {
  if (body === undefined) return { body };
  const text = JSON.stringify(body);
  const bytes = Buffer.byteLength(text);
  if (bytes <= limit) return { body };
  const { kept, partial } = gradedFields(body, limit);
  return { body: kept, truncated: { bytes, sha256: createHash('sha256').update(text).digest('base64url'), ...(partial ? { partial } : {}) } };
}

function boundFindings(findings: NonNullable<RecordedExchange['request']['findings']>): Pick<RecordedExchange['request'], 'findings' | 'findingsOmitted'> {
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity !== 'error');
  const kept = [...errors.slice(0, MAX_FINDINGS), ...warnings.slice(0, MAX_FINDINGS)];
  return kept.length === findings.length ? { findings } : { findings: kept, findingsOmitted: findings.length - kept.length };
}

/** One client's recording: each exchange as its JSON text (its size is what it holds), oldest first. */
interface ClientRecording {
  entries: Array<{ text: string; bytes: number }>;
  bytes: number;
  /** Exchanges dropped to stay within the bounds (count and bytes), oldest first. */
  dropped: number;
}

export class Recorder {
  private seq = 0;
  private readonly byClient = new Map<string, ClientRecording>();

  constructor(private readonly limits: RecordingLimits = DEFAULT_RECORDING_LIMITS) {}
  /** Requests that named a client without proving to be it: counted, never graded, never in its recording. */
  private readonly unauthenticatedByClient = new Map<string, number>();

  countUnauthenticated(clientId: string): void {
    this.unauthenticatedByClient.set(clientId, (this.unauthenticatedByClient.get(clientId) ?? 0) + 1);
  }

  unauthenticated(clientId: string): number {
    return this.unauthenticatedByClient.get(clientId) ?? 0;
  }

  add(e: Omit<RecordedExchange, 'seq'>): void {
    if (!e.clientId) return;
    const x = redactValue(clip({ ...e, seq: ++this.seq }) as RecordedExchange);
    const request = bound(x.request.body, this.limits.bodyBytes);
    const response = bound(x.response.body, this.limits.bodyBytes);
    const bounded: RecordedExchange = {
      ...x,
      request: { ...x.request, body: request.body, bodyTruncated: request.truncated, ...(x.request.findings ? boundFindings(x.request.findings) : {}) },
      response: { ...x.response, body: response.body, bodyTruncated: response.truncated },
    };
    const text = JSON.stringify(bounded);
    const r = this.byClient.get(e.clientId) ?? { entries: [], bytes: 0, dropped: 0 };
    const bytes = Buffer.byteLength(text);
    r.entries.push({ text, bytes });
    r.bytes += bytes;
    // The oldest go first; the newest is kept whatever its size (it is bounded by the body bound).
    while (r.entries.length > 1 && (r.entries.length > MAX_PER_CLIENT || r.bytes > this.limits.bytesPerClient)) {
      r.bytes -= r.entries.shift()!.bytes;
      r.dropped += 1;
    }
    this.byClient.set(e.clientId, r);
  }

  exchanges(clientId: string): RecordedExchange[] {
    return (this.byClient.get(clientId)?.entries ?? []).map((x) => JSON.parse(x.text) as RecordedExchange);
  }

  /** How many of the client's oldest exchanges were dropped to keep its recording within the bounds. */
  dropped(clientId: string): number {
    return this.byClient.get(clientId)?.dropped ?? 0;
  }

  clients(): Array<{ clientId: string; exchanges: number; bytes: number; dropped: number }> {
    return [...this.byClient].map(([clientId, r]) => ({ clientId, exchanges: r.entries.length, bytes: r.bytes, dropped: r.dropped }));
  }

  forget(clientId?: string): void {
    if (clientId === undefined) {
      this.byClient.clear();
      this.unauthenticatedByClient.clear();
    } else {
      this.byClient.delete(clientId);
      this.unauthenticatedByClient.delete(clientId);
    }
  }
}

/** Names a token without keeping it: `tok-` and the first 12 hex digits of its SHA-256. */
export const tokenRef = (token: string): string => `tok-${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
