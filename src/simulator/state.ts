/**
 * Everything the simulator remembers: access tokens, authorization codes, login/consent sessions,
 * consents, feed events, fault switches and contract violations. In memory only. (Deviations are
 * in deviations.ts.)
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Clock } from './clock.ts';
import type { ServiceName } from '../contract/catalogue.ts';
import type { DebtScope } from '../contract/schemas.ts';
import type { SimClient, SimulatorFixtures } from './fixtures.ts';
import { FEED_RETENTION_SECONDS } from './rules.ts';

/** Hydra-like opaque token: two base64url parts joined by a dot. */
export const opaqueToken = (): string => `${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

export interface AccessToken {
  token: string;
  clientId: string;
  grant: 'client_credentials' | 'authorization_code';
  service: ServiceName;
  audience: string;
  scopes: string[];
  expiresAt: number; // ms
  consentId?: string;
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  consentId: string;
  scope: string; // as given back in the callback and token response
  openid: boolean;
  nin: string;
  expiresAt: number;
  used: boolean;
}

export interface Consent {
  id: string;
  clientId: string;
  nin: string;
  scope: DebtScope;
  createdAt: number;
  expiresAt: number;
  singleUse: boolean;
  consumed: boolean;
  revoked: boolean;
  source: 'integrated' | 'regular';
  clientConsentId?: string;
  requestedDays?: number;
}

export interface FeedEvent {
  sequenceNr: number;
  eventId: string;
  clientId: string;
  consentId: string;
  timestamp: number;
  eventType: 'SAMTYKKE_OPPRETTET' | 'SAMTYKKE_ARKIVERT';
  scope?: string;
  externalConsentId?: string;
}

export interface AuthSession {
  id: string;
  clientId: string;
  redirectUri: string;
  state: string;
  scope: DebtScope;
  days?: number;
  requestedDays?: number;
  openid: boolean;
  nin?: string;
  stage: 'login' | 'consent' | 'done';
  expiresAt: number;
}

export interface Fault {
  /** Answer the operation's documented server error (500). */
  status?: number;
  latencyMs?: number;
  /** Debt operations: this many creditors time out (numberOfcreditorsMissing, null loans). */
  creditorTimeout?: number;
  /** How many requests the fault applies to; undefined = until cleared. */
  times?: number;
}

export interface Violation {
  at: string;
  operationId: string;
  status: number;
  findings: string[];
}

export class SimulatorState {
  readonly clock = new Clock();
  tokens = new Map<string, AccessToken>();
  codes = new Map<string, AuthCode>();
  sessions = new Map<string, AuthSession>();
  consents = new Map<string, Consent>();
  events: FeedEvent[] = [];
  faults = new Map<string, Fault>();
  violations: Violation[] = [];
  violationCount = 0;
  /** Global sequence counter shared by all clients; never decreases, not even on reset. */
  private sequence = 0;

  constructor(readonly fixtures: SimulatorFixtures) {}

  client(clientId: string | undefined): SimClient | undefined {
    if (!clientId) return undefined;
    return this.fixtures.clients.find((c) => c.client_id.toLowerCase() === clientId.toLowerCase());
  }

  issueToken(t: Omit<AccessToken, 'token'>): AccessToken {
    const token = { ...t, token: opaqueToken() };
    this.tokens.set(token.token, token);
    return token;
  }

  /** A known, unexpired access token, or undefined. */
  lookupToken(token: string | undefined): AccessToken | undefined {
    if (!token) return undefined;
    const t = this.tokens.get(token);
    if (!t || t.expiresAt <= this.clock.now()) return undefined;
    return t;
  }

  createConsent(c: Omit<Consent, 'id' | 'createdAt' | 'consumed' | 'revoked'>): Consent {
    const consent: Consent = { ...c, id: randomUUID(), createdAt: this.clock.now(), consumed: false, revoked: false };
    this.consents.set(consent.id, consent);
    this.addEvent({
      clientId: consent.clientId, consentId: consent.id, eventType: 'SAMTYKKE_OPPRETTET',
      scope: consent.scope, externalConsentId: consent.clientConsentId,
    });
    return consent;
  }

  isActive(c: Consent): boolean {
    return !c.revoked && !c.consumed && this.clock.now() < c.expiresAt;
  }

  /** Why a consent cannot be used, for error_description; undefined when active. */
  inactiveReason(c: Consent): string | undefined {
    if (c.revoked) return 'Consent has been revoked';
    if (c.consumed) return 'Single-use consent has already been used';
    if (this.clock.now() >= c.expiresAt) return `Consent expired at ${new Date(c.expiresAt).toISOString()}`;
    return undefined;
  }

  revokeConsent(c: Consent): void {
    if (c.revoked) return;
    c.revoked = true;
    this.addEvent({ clientId: c.clientId, consentId: c.id, eventType: 'SAMTYKKE_ARKIVERT' });
  }

  /** Sequence numbers increase with random gaps of 1 to 3 from one global counter (consent-feed.md). */
  private addEvent(e: Omit<FeedEvent, 'sequenceNr' | 'eventId' | 'timestamp'>): void {
    this.sequence += randomInt(1, 4);
    this.events.push({ ...e, sequenceNr: this.sequence, eventId: randomUUID(), timestamp: this.clock.now() });
  }

  /** The client's events within the 7-day retention, oldest sequence number first. */
  feedFor(clientId: string): FeedEvent[] {
    const cutoff = this.clock.now() - FEED_RETENTION_SECONDS * 1000;
    return this.events.filter((e) => e.clientId === clientId && e.timestamp > cutoff);
  }

  /** The fault for an operation, counting down `times`. */
  takeFault(operationId: string): Fault | undefined {
    const f = this.faults.get(operationId);
    if (!f) return undefined;
    if (f.times !== undefined) {
      f.times -= 1;
      if (f.times <= 0) this.faults.delete(operationId);
    }
    return f;
  }

  recordViolation(v: Violation): void {
    this.violationCount += 1;
    this.violations.push(v);
    if (this.violations.length > 100) this.violations.shift();
  }

  reset(): void {
    this.tokens.clear();
    this.codes.clear();
    this.sessions.clear();
    this.consents.clear();
    this.events = [];
    this.faults.clear();
    this.violations = [];
    this.violationCount = 0;
    this.clock.reset();
  }

  summary(): Record<string, unknown> {
    const now = this.clock.now();
    return {
      clock: this.clock.describe(),
      faults: Object.fromEntries(this.faults),
      counts: {
        tokens: [...this.tokens.values()].filter((t) => t.expiresAt > now).length,
        consents: this.consents.size,
        activeConsents: [...this.consents.values()].filter((c) => this.isActive(c)).length,
        events: this.events.length,
        sessions: this.sessions.size,
      },
      lastSequenceNr: this.sequence,
      violations: { count: this.violationCount, recent: this.violations.slice(-20) },
    };
  }
}
