/**
 * The simulator's durable state behind one small repository interface. Three engines implement
 * it (memory.ts, sqlite.ts, postgres.ts over sql.ts) and one suite tests them all
 * (tests/simulator/store.spec.ts), so an engine cannot drift. Every method resolves only once
 * its write is committed: the handlers acknowledge (200/204) after that.
 * Times are epoch milliseconds of the simulator's clock, passed in by the caller.
 */
import type { ServiceName } from '../../contract/catalogue.ts';
import type { ConsentScope, DebtScope, FeedEvent as ContractFeedEvent } from '../../contract/schemas.ts';
import type { SimClient } from '../fixtures.ts';

/** An access token as stored: keyed on its SHA-256 (secrets.ts), never the token itself. */
export interface AccessToken {
  tokenHash: string;
  clientId: string;
  grant: 'client_credentials' | 'authorization_code';
  service: ServiceName;
  audience: string;
  scopes: string[];
  expiresAt: number; // ms
  consentId?: string;
}

/** An authorization code as stored: keyed on its SHA-256 (secrets.ts), never the code itself. */
export interface AuthCode {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  /**
   * The consent the person accepted. It comes into being (with its SAMTYKKE_OPPRETTET event) only
   * when the code is exchanged: a code never exchanged leaves no consent, and is swept.
   */
  consentId: string;
  consentTerms: Pick<Consent, 'scope' | 'singleUse' | 'requestedDays' | 'expiresAt'>;
  scope: string; // as given back in the callback and token response
  openid: boolean;
  nin: string;
  expiresAt: number;
  used: boolean;
  /** PKCE (RFC 7636) S256 challenge of the authorization request, when one was sent. */
  codeChallenge?: string;
  /** OIDC nonce of the authorization request, echoed in the ID token. */
  nonce?: string;
}

export interface Consent {
  id: string;
  clientId: string;
  nin: string;
  /** A regular consent's is a debt scope; an integrated one may be 3770c4e's monitoring scope. */
  scope: ConsentScope;
  createdAt: number;
  expiresAt: number;
  singleUse: boolean;
  consumed: boolean;
  revoked: boolean;
  source: 'integrated' | 'regular';
  clientConsentId?: string;
  requestedDays?: number;
}

/** The event types the contract documents (SamtykkeFeedEventDTO.eventType). */
export type FeedEventType = ContractFeedEvent['eventType'];

export interface FeedEvent {
  sequenceNr: number;
  eventId: string;
  clientId: string;
  consentId: string;
  timestamp: number;
  eventType: FeedEventType;
  scope?: string;
  externalConsentId?: string;
}

/** An event before the store gives it its sequence number. */
export type NewFeedEvent = Omit<FeedEvent, 'sequenceNr'>;

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
  codeChallenge?: string;
  nonce?: string;
  /** Hash of the browser-binding cookie the challenge was issued with. */
  browserBinding?: string;
  /** Whose budget of unfinished logins it spends: `browser:<hash of the cookie>` or `address:<remote address>` (access/authorize.ts). */
  source?: string;
}

/** Which of a client's events a feed read sees. */
export interface FeedWindow {
  clientId: string;
  /** Events at or before this instant are past retention. */
  after: number;
  /** False: leave SAMTYKKE_ARKIVERT out (a test-mode deviation). */
  archived: boolean;
}

export interface StoreCounts {
  tokens: number;
  codes: number;
  sessions: number;
  consents: number;
  activeConsents: number;
  events: number;
  lastSequenceNr: number;
}

export interface ClientCounts {
  clientId: string;
  consents: number;
  activeConsents: number;
  events: number;
}

export interface SweepResult {
  tokens: number;
  codes: number;
  sessions: number;
  events: number;
}

export interface Store {
  /** 'memory' | 'sqlite' | 'postgres', and where (file or host/db), for the start banner. */
  readonly description: string;

  /** Clients created at run time (tenants), shared by every instance on the store; `at` (wall-clock ms) counts as its last use. */
  putClient(c: StoredClient, at: number): Promise<void>;
  /** By client id, case-insensitive (as client ids are matched everywhere). */
  getClient(clientId: string): Promise<StoredClient | undefined>;
  /** How many run-time clients there are (the tenant cap). */
  countClients(): Promise<number>;
  /** Forgets the run-time client itself (its data: reset(clientId)); false when there was none. */
  deleteClient(clientId: string): Promise<boolean>;
  /** Records a use of the client at `at` (wall-clock ms): idle tenants expire. */
  touchClient(clientId: string, at: number): Promise<void>;
  /** Ids of the run-time clients last used before `before` (wall-clock ms). */
  idleClients(before: number): Promise<string[]>;

  putToken(t: AccessToken): Promise<void>;
  /** By the token's hash (secrets.ts secretHash). */
  getToken(tokenHash: string): Promise<AccessToken | undefined>;
  /** RFC 6749 4.1.2: a reused code revokes the tokens issued from it. */
  deleteTokensOfConsent(consentId: string, grant: AccessToken['grant']): Promise<number>;

  putCode(c: AuthCode): Promise<void>;
  /** By the code's hash (secrets.ts secretHash). */
  getCode(codeHash: string): Promise<AuthCode | undefined>;
  /** Marks the code used; false when it was used already (exactly one exchange wins). */
  useCode(codeHash: string): Promise<boolean>;

  putSession(s: AuthSession): Promise<void>;
  getSession(id: string): Promise<AuthSession | undefined>;
  deleteSession(id: string): Promise<void>;
  /** Unexpired sessions of one source, or of all (the pending-login caps). */
  countSessions(source: string | undefined, now: number): Promise<number>;
  /**
   * Makes room for one login of `source` when the total is full: deletes the oldest unexpired
   * session of the source holding the most, if it holds more than `source` does. False when no
   * source does (`source` is among the busiest): nothing deleted.
   */
  evictForSource(source: string, now: number): Promise<boolean>;

  /**
   * Stores the consent and its SAMTYKKE_OPPRETTET event in one transaction. With a
   * clientConsentId already registered by that client, nothing is written and the existing
   * consent comes back with created=false.
   */
  createConsent(c: Consent, event: Omit<NewFeedEvent, 'consentId'>, gap: number): Promise<{ consent: Consent; created: boolean }>;
  getConsent(id: string): Promise<Consent | undefined>;
  findConsent(clientId: string, clientConsentId: string): Promise<Consent | undefined>;
  /** Revokes and appends the SAMTYKKE_ARKIVERT event in one transaction; false when already revoked. */
  revokeConsent(id: string, event: NewFeedEvent, gap: number): Promise<boolean>;
  markConsumed(id: string): Promise<void>;
  countConsents(clientId: string | undefined, now: number): Promise<{ consents: number; active: number }>;

  /** The window's events with sequenceNr >= from, oldest first, at most limit. */
  feedPage(w: FeedWindow, from: number, limit: number): Promise<FeedEvent[]>;
  /** Oldest and newest sequence numbers in the window (0 when empty), from one query. */
  sequenceBounds(w: FeedWindow): Promise<{ first: number; last: number }>;

  /** Deletes expired sessions, codes and tokens, and events at or before eventsBefore. */
  sweep(now: number, eventsBefore: number): Promise<SweepResult>;
  counts(now: number): Promise<StoreCounts>;
  /** Per client with any consent or event: consents, active ones and feed events (metrics). */
  clientCounts(now: number): Promise<ClientCounts[]>;
  /** Forgets everything (all clients, or one); sequence numbers keep increasing. */
  reset(clientId?: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A client as the simulator keeps it: the SHA-256 of its secret (secrets.ts), never the secret,
 * which a run-time client is shown once, when it is created.
 */
export type StoredClient = Omit<SimClient, 'client_secret'> & { client_secret_sha256: string };

export type StoreConfig =
  | { engine: 'memory' }
  | { engine: 'sqlite'; file: string }
  | { engine: 'postgres'; url: string };
