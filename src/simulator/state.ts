/**
 * Everything the simulator remembers. Tokens, authorization codes, login/consent sessions,
 * consents and feed events live in the store (store/: memory, SQLite or PostgreSQL), so they
 * survive a restart and are shared by instances on one database; the clock, fault switches and
 * contract violations are this instance's (test mode). Deviations are in deviations.ts.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { Clock } from './clock.ts';
import type { SimClient, SimulatorFixtures } from './fixtures.ts';
import { ACCESS_TOKEN_SECONDS, FEED_RETENTION_SECONDS } from './rules.ts';
import { matchesHash, secretHash } from './secrets.ts';
import type { Store, StoredClient, SweepResult } from './store/types.ts';
import type { AccessToken, AuthCode, AuthSession, ClientCounts, Consent, FeedEvent, FeedWindow } from './store/types.ts';

/** Hydra-like opaque token: two base64url parts joined by a dot. */
const opaqueToken = (): string => `${randomBytes(32).toString('base64url')}.${randomBytes(32).toString('base64url')}`;

export type { AccessToken, AuthSession, Consent } from './store/types.ts';

export interface Fault {
  /** Answer the operation's documented server error (500). */
  status?: number;
  latencyMs?: number;
  /** Debt operations: this many creditors time out (numberOfcreditorsMissing, null loans). */
  creditorTimeout?: number;
  /** How many requests the fault applies to; undefined = until cleared. */
  times?: number;
}

/** What a sweep deleted: the store's expired rows, and idle run-time clients. */
export type TenantSweepResult = SweepResult & { tenants: number };

export interface Violation {
  at: string;
  operationId: string;
  status: number;
  findings: string[];
}

/**
 * What the scenarios a client plays (scenarios.ts) change for that client alone, fixture
 * or run-time client: this instance's, like the fault switches.
 */
export interface ClientScenarios {
  /** One-shot faults (server-error-once, creditor-timeout), taken before the tenant's and the global switches. */
  faults: Map<string, Fault>;
  /** tokens-expire-in-seconds: the lifetime of every token issued to the client from now on. */
  tokenSeconds?: number;
  /** feed-gaps-on-page-boundaries: the client's events are numbered contiguously within pages of `limit`, with a gap of `gap` between pages. */
  feedGaps?: { limit: number; gap: number; events: number };
  /** error-format-migration: the client's next Agreement API errors alternate between the two versions' formats. */
  errorFormats?: { remaining: number; next: 'spring' | 'problem' };
}

/** A client created at run time (admin POST /clients): its own clock offset and fault switches. */
interface Tenant {
  client: StoredClient;
  offsetMs: number;
  faults: Map<string, Fault>;
  /** Wall-clock ms of the last use this instance wrote to the store (idle tenants expire). */
  touchedAt: number;
}

/** Run-time clients idle this long are deleted by the sweep, by default (NOGI_SIM_TENANT_IDLE_DAYS). */
const TENANT_IDLE_MS = 30 * 86_400_000;

/** A client with its secret replaced by the secret's hash (secrets.ts). */
const stored = ({ client_secret: secret, ...client }: SimClient): StoredClient => ({ ...client, client_secret_sha256: secretHash(secret) });

/** Constant time, also in the length: both sides are hashed to 32 bytes first. */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export class SimulatorState {
  readonly clock = new Clock();
  faults = new Map<string, Fault>();
  /** Run-time clients (test mode) this instance has seen, by lower-case id: the client (kept in the store, so every instance knows it) and this instance's clock offset and faults. */
  readonly tenants = new Map<string, Tenant>();
  /** Scenarios played, by lower-case client id. */
  readonly scenarios = new Map<string, ClientScenarios>();
  violations: Violation[] = [];
  violationCount = 0;
  lastSweep: (TenantSweepResult & { at: string }) | undefined;
  /** Called with the id of each run-time client deleted (DELETE /clients/:id, or idle past tenantIdleMs). */
  readonly onTenantDeleted: Array<(clientId: string) => void> = [];

  /** `tenantIdleMs`: run-time clients unused this long (wall-clock) are deleted by the sweep. */
  /** The fixture clients as every client is kept: with the hash of their secret (which is published anyway). */
  private readonly fixtureClients: StoredClient[];

  constructor(readonly fixtures: SimulatorFixtures, private readonly store: Store, readonly tenantIdleMs: number = TENANT_IDLE_MS) {
    this.fixtureClients = fixtures.clients.map(stored);
  }

  /** A fixture client, or a run-time one (created through this instance or another on the store); a run-time one's use is recorded. */
  async client(clientId: string | undefined): Promise<StoredClient | undefined> {
    if (!clientId) return undefined;
    const fixture = this.fixtureClients.find((c) => c.client_id.toLowerCase() === clientId.toLowerCase());
    if (fixture) return fixture;
    const t = await this.loadTenant(clientId);
    if (t) await this.touch(t);
    return t?.client;
  }

  /** Writes a tenant's use to the store, at most every hour (or tenth of the idle time) per instance. */
  private async touch(t: Tenant): Promise<void> {
    const now = Date.now();
    if (now - t.touchedAt < Math.min(3_600_000, this.tenantIdleMs / 10)) return;
    t.touchedAt = now;
    await this.store.touchClient(t.client.client_id, now);
  }

  /** The run-time client (never a fixture one: their secrets are published) whose id and secret these are. */
  async authenticateTenant(clientId: string, secret: string): Promise<StoredClient | undefined> {
    const t = await this.loadTenant(clientId);
    if (!t || !matchesHash(secret, t.client.client_secret_sha256)) return undefined;
    await this.touch(t);
    return t.client;
  }

  /** This instance's view of a run-time client, looked up in the store the first time. */
  async loadTenant(clientId: string): Promise<Tenant | undefined> {
    const known = this.tenant(clientId);
    if (known) return known;
    const client = await this.store.getClient(clientId);
    if (!client) return undefined;
    const t: Tenant = { client, offsetMs: 0, faults: new Map(), touchedAt: 0 };
    this.tenants.set(client.client_id.toLowerCase(), t);
    return t;
  }

  /** Synchronous: only run-time clients this instance has already seen (clock and faults). */
  tenant(clientId: string): Tenant | undefined {
    return this.tenants.get(clientId.toLowerCase());
  }

  /** Registers a run-time client; its secret is kept as a hash only, so the caller shows it now or never. */
  async addTenant(created: SimClient): Promise<void> {
    const now = Date.now();
    const client = stored(created);
    await this.store.putClient(client, now);
    this.tenants.set(client.client_id.toLowerCase(), { client, offsetMs: 0, faults: new Map(), touchedAt: now });
  }

  /** Forgets a run-time client: its consents, events, tokens, codes, sessions, and the client itself. */
  async deleteTenant(t: Tenant): Promise<void> {
    const id = t.client.client_id;
    await this.store.reset(id);
    await this.store.deleteClient(id);
    this.tenants.delete(id.toLowerCase());
    this.scenarios.delete(id.toLowerCase());
    for (const f of this.onTenantDeleted) f(id);
  }

  /** The time as a client sees it: the global clock plus the client's own offset. */
  now(clientId?: string): number {
    return this.clock.now() + (clientId === undefined ? 0 : this.tenant(clientId)?.offsetMs ?? 0);
  }

  /** Forgets one run-time client's consents, events, tokens, codes, sessions, faults and clock offset. */
  async resetTenant(t: Tenant): Promise<void> {
    await this.store.reset(t.client.client_id);
    this.scenarios.delete(t.client.client_id.toLowerCase());
    t.faults.clear();
    t.offsetMs = 0;
  }

  /** The client's scenario settings, created on first use. */
  scenariosOf(clientId: string): ClientScenarios {
    const key = clientId.toLowerCase();
    let s = this.scenarios.get(key);
    if (!s) this.scenarios.set(key, (s = { faults: new Map() }));
    return s;
  }

  /** Seconds a token issued to the client now lives: the provider's 3599, or a scenario's few. */
  tokenSeconds(clientId: string): number {
    return this.scenarios.get(clientId.toLowerCase())?.tokenSeconds ?? ACCESS_TOKEN_SECONDS;
  }

  /** A new access token: the store keeps its hash, the caller gets the token itself (once). */
  async issueToken(t: Omit<AccessToken, 'tokenHash'>): Promise<AccessToken & { token: string }> {
    const token = opaqueToken();
    const stored: AccessToken = { ...t, tokenHash: secretHash(token) };
    await this.store.putToken(stored);
    return { ...stored, token };
  }

  /** What the store has of a token (expired or not), or undefined. */
  findToken(token: string): Promise<AccessToken | undefined> {
    return this.store.getToken(secretHash(token));
  }

  /** A known, unexpired access token, or undefined. */
  async lookupToken(token: string | undefined): Promise<AccessToken | undefined> {
    if (!token) return undefined;
    const t = await this.findToken(token);
    if (!t || t.expiresAt <= this.now(t.clientId)) return undefined;
    return t;
  }

  /**
   * Sequence numbers increase with random gaps of 1 to 3 from one global counter (consent-feed.md),
   * unless the client plays feed-gaps-on-page-boundaries: then 1 within a page, `gap` between pages.
   */
  private gap(clientId: string): number {
    const paging = this.scenarios.get(clientId.toLowerCase())?.feedGaps;
    if (!paging) return randomInt(1, 4);
    const n = paging.events++;
    return n > 0 && n % paging.limit === 0 ? paging.gap : 1;
  }

  /**
   * Registers a consent and its SAMTYKKE_OPPRETTET event (committed before this resolves). A
   * client_consent_id the client registered before gives back that consent, created=false.
   */
  createConsent(c: Omit<Consent, 'id' | 'createdAt' | 'consumed' | 'revoked'> & { id?: string }): Promise<{ consent: Consent; created: boolean }> {
    const now = this.now(c.clientId);
    const consent: Consent = { ...c, id: c.id ?? randomUUID(), createdAt: now, consumed: false, revoked: false };
    return this.store.createConsent(consent, {
      eventId: randomUUID(), clientId: consent.clientId, timestamp: now, eventType: 'SAMTYKKE_OPPRETTET',
      scope: consent.scope, externalConsentId: consent.clientConsentId,
    }, this.gap(consent.clientId));
  }

  isActive(c: Consent): boolean {
    return !c.revoked && !c.consumed && this.now(c.clientId) < c.expiresAt;
  }

  /** Why a consent cannot be used, for error_description; undefined when active. */
  inactiveReason(c: Consent): string | undefined {
    if (c.revoked) return 'Consent has been revoked';
    if (c.consumed) return 'Single-use consent has already been used';
    if (this.now(c.clientId) >= c.expiresAt) return `Consent expired at ${new Date(c.expiresAt).toISOString()}`;
    return undefined;
  }

  /** Revokes once, with one SAMTYKKE_ARKIVERT event; revoking again changes nothing. */
  async revokeConsent(c: Consent): Promise<void> {
    if (c.revoked) return;
    await this.store.revokeConsent(c.id, { eventId: randomUUID(), clientId: c.clientId, consentId: c.id, timestamp: this.now(c.clientId), eventType: 'SAMTYKKE_ARKIVERT' }, this.gap(c.clientId));
  }

  /** A consent by id (any client's, active or not). */
  consent(id: string): Promise<Consent | undefined> {
    return this.store.getConsent(id);
  }

  /** The consent a client registered under its own client_consent_id (an index lookup). */
  consentByClientId(clientId: string, clientConsentId: string): Promise<Consent | undefined> {
    return this.store.findConsent(clientId, clientConsentId);
  }

  /** A single-use consent has been read. */
  markConsumed(id: string): Promise<void> {
    return this.store.markConsumed(id);
  }

  /** The first and last sequence numbers of a client's feed window. */
  sequenceBounds(w: FeedWindow): Promise<{ first: number; last: number }> {
    return this.store.sequenceBounds(w);
  }

  /** Login/consent sessions (authorize.ts). `source` undefined: every source's unfinished logins. */
  countSessions(source: string | undefined, now: number): Promise<number> {
    return this.store.countSessions(source, now);
  }

  /** The total of pending logins is full: the busiest source's oldest makes room for `source`, if it holds more (store/types.ts). */
  evictForSource(source: string, now: number): Promise<boolean> {
    return this.store.evictForSource(source, now);
  }

  putSession(s: AuthSession): Promise<void> {
    return this.store.putSession(s);
  }

  session(id: string): Promise<AuthSession | undefined> {
    return this.store.getSession(id);
  }

  deleteSession(id: string): Promise<void> {
    return this.store.deleteSession(id);
  }

  /** Authorization codes (authorize.ts issues, token.ts exchanges). */
  /** A new authorization code: the store keeps its hash, the caller gets the code itself (once). */
  async issueCode(c: Omit<AuthCode, 'codeHash'>): Promise<string> {
    const code = opaqueToken();
    await this.store.putCode({ ...c, codeHash: secretHash(code) });
    return code;
  }

  /** What the store has of a code (expired or used or not), or undefined. */
  code(code: string): Promise<AuthCode | undefined> {
    return this.store.getCode(secretHash(code));
  }

  /** Marks a code used; false when it already was (a replay). */
  useCode(c: AuthCode): Promise<boolean> {
    return this.store.useCode(c.codeHash);
  }

  /** Revokes the tokens of a grant issued for a consent (a replayed code), how many. */
  deleteTokensOfConsent(consentId: string, grant: AccessToken['grant']): Promise<number> {
    return this.store.deleteTokensOfConsent(consentId, grant);
  }

  /** How many run-time clients the store holds (the tenant cap). */
  countClients(): Promise<number> {
    return this.store.countClients();
  }

  /** Per-client counts of consents and events (metrics). */
  clientCounts(): Promise<ClientCounts[]> {
    return this.store.clientCounts(this.now());
  }

  /** The store answers (health check): resolves, or rejects with the store's error. */
  async ping(): Promise<void> {
    await this.store.countSessions('-', 0);
  }

  /** Where the state lives (engine and file or database, never a password). */
  get storeDescription(): string {
    return this.store.description;
  }

  /** The client's events within the 7-day retention (archive events unless `archived` is false). */
  feedWindow(clientId: string, archived = true): FeedWindow {
    return { clientId, after: this.now(clientId) - FEED_RETENTION_SECONDS * 1000, archived };
  }

  feedPage(w: FeedWindow, from: number, limit: number): Promise<FeedEvent[]> {
    return this.store.feedPage(w, from, limit);
  }

  /**
   * Deletes expired sessions, codes and tokens, events past the feed's retention, and run-time
   * clients idle (by the wall clock, which no admin call moves) for longer than tenantIdleMs.
   */
  async sweep(): Promise<TenantSweepResult> {
    const now = this.clock.now();
    const result = await this.store.sweep(now, now - FEED_RETENTION_SECONDS * 1000);
    let tenants = 0;
    for (const id of await this.store.idleClients(Date.now() - this.tenantIdleMs)) {
      const t = await this.loadTenant(id);
      if (!t) continue;
      await this.deleteTenant(t);
      tenants += 1;
    }
    this.lastSweep = { ...result, tenants, at: new Date(now).toISOString() };
    return { ...result, tenants };
  }

  /** The fault for an operation (a scenario's, then the client's own, then the global one), counting down `times`. */
  takeFault(operationId: string, clientId?: string): Fault | undefined {
    const own = clientId === undefined ? [] : [this.scenarios.get(clientId.toLowerCase())?.faults, this.tenant(clientId)?.faults];
    const switches = [...own, this.faults].find((m) => m?.has(operationId));
    const f = switches?.get(operationId);
    if (!switches || !f) return undefined;
    if (f.times !== undefined) {
      f.times -= 1;
      if (f.times <= 0) switches.delete(operationId);
    }
    return f;
  }

  recordViolation(v: Violation): void {
    this.violationCount += 1;
    this.violations.push(v);
    if (this.violations.length > 100) this.violations.shift();
  }

  async reset(): Promise<void> {
    await this.store.reset();
    this.faults.clear();
    this.scenarios.clear();
    this.violations = [];
    this.violationCount = 0;
    this.clock.reset();
    // Run-time clients stay (a test worker may hold one), back to the global time and no faults.
    for (const t of this.tenants.values()) {
      t.faults.clear();
      t.offsetMs = 0;
    }
  }

  async summary(): Promise<Record<string, unknown>> {
    const { lastSequenceNr, activeConsents, ...counts } = await this.store.counts(this.clock.now());
    return {
      clock: this.clock.describe(),
      faults: Object.fromEntries(this.faults),
      store: this.store.description,
      counts: { ...counts, activeConsents },
      lastSequenceNr,
      lastSweep: this.lastSweep,
      violations: { count: this.violationCount, recent: this.violations.slice(-20) },
    };
  }
}
