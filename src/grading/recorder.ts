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
    token?: TokenFacts;
    /** The contract's request validation, run on the body as sent (before masking). */
    findings?: Array<{ severity: 'error' | 'warning'; pointer: string; expected: string; actual: string }>;
  };
  response: {
    status: number;
    contentType?: string;
    leniency?: string;
    body?: unknown;
    /** Token endpoint: the token issued (by reference) and its lifetime. */
    issued?: { ref: string; expiresIn: number };
  };
  /** A sandbox event (a scenario played), not the client's request. */
  note?: string;
}

/** The recording is bounded: this many exchanges per client, strings clipped to MAX_STRING, bodies to MAX_DEPTH levels. */
const MAX_PER_CLIENT = 5000;
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

export class Recorder {
  private seq = 0;
  private readonly byClient = new Map<string, RecordedExchange[]>();
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
    const list = this.byClient.get(e.clientId) ?? [];
    list.push(redactValue(clip({ ...e, seq: ++this.seq }) as RecordedExchange));
    if (list.length > MAX_PER_CLIENT) list.shift();
    this.byClient.set(e.clientId, list);
  }

  exchanges(clientId: string): RecordedExchange[] {
    return [...(this.byClient.get(clientId) ?? [])];
  }

  clients(): Array<{ clientId: string; exchanges: number }> {
    return [...this.byClient].map(([clientId, list]) => ({ clientId, exchanges: list.length }));
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
