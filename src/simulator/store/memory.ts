/** The in-memory engine: for tests and `NOGI_SIM_STORE=memory`. Indexed like the SQL schema. */
import type { ClientCounts, AccessToken, AuthCode, AuthSession, Consent, FeedEvent, FeedWindow, NewFeedEvent, Store, StoreCounts, StoredClient, SweepResult } from './types.ts';

const copy = <T>(v: T | undefined): T | undefined => (v === undefined ? undefined : structuredClone(v));

export class MemoryStore implements Store {
  readonly description = 'memory (nothing survives a restart)';
  private tokens = new Map<string, AccessToken>();
  private codes = new Map<string, AuthCode>();
  private sessions = new Map<string, AuthSession>();
  private consents = new Map<string, Consent>();
  private byClientConsentId = new Map<string, string>();
  /** Per client, in sequence order (appends only ever grow the sequence). */
  private events = new Map<string, FeedEvent[]>();
  private sequence = 0;
  private clients = new Map<string, { client: StoredClient; lastUsed: number }>();

  async putClient(c: StoredClient, at: number): Promise<void> {
    this.clients.set(c.client_id.toLowerCase(), { client: structuredClone(c), lastUsed: at });
  }
  async getClient(clientId: string): Promise<StoredClient | undefined> {
    return copy(this.clients.get(clientId.toLowerCase())?.client);
  }
  async countClients(): Promise<number> {
    return this.clients.size;
  }
  async deleteClient(clientId: string): Promise<boolean> {
    return this.clients.delete(clientId.toLowerCase());
  }
  async touchClient(clientId: string, at: number): Promise<void> {
    const row = this.clients.get(clientId.toLowerCase());
    if (row && row.lastUsed < at) row.lastUsed = at;
  }
  async idleClients(before: number): Promise<string[]> {
    return [...this.clients.values()].filter((r) => r.lastUsed < before).map((r) => r.client.client_id);
  }

  async putToken(t: AccessToken): Promise<void> {
    this.tokens.set(t.tokenHash, structuredClone(t));
  }
  async getToken(tokenHash: string): Promise<AccessToken | undefined> {
    return copy(this.tokens.get(tokenHash));
  }
  async deleteTokensOfConsent(consentId: string, grant: AccessToken['grant']): Promise<number> {
    let n = 0;
    for (const [k, t] of this.tokens) if (t.consentId === consentId && t.grant === grant && this.tokens.delete(k)) n += 1;
    return n;
  }

  async putCode(c: AuthCode): Promise<void> {
    this.codes.set(c.codeHash, structuredClone(c));
  }
  async getCode(codeHash: string): Promise<AuthCode | undefined> {
    return copy(this.codes.get(codeHash));
  }
  async useCode(codeHash: string): Promise<boolean> {
    const c = this.codes.get(codeHash);
    if (!c || c.used) return false;
    c.used = true;
    return true;
  }

  async putSession(s: AuthSession): Promise<void> {
    this.sessions.set(s.id, structuredClone(s));
  }
  async getSession(id: string): Promise<AuthSession | undefined> {
    return copy(this.sessions.get(id));
  }
  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }
  async countSessions(source: string | undefined, now: number): Promise<number> {
    let n = 0;
    for (const s of this.sessions.values()) if ((source === undefined || s.source === source) && s.expiresAt > now) n += 1;
    return n;
  }

  async evictForSource(source: string, now: number): Promise<boolean> {
    const held = new Map<string, AuthSession[]>();
    for (const s of this.sessions.values()) {
      if (s.source !== undefined && s.expiresAt > now) held.set(s.source, [...(held.get(s.source) ?? []), s]);
    }
    let busiest: AuthSession[] = [];
    for (const list of held.values()) if (list.length > busiest.length) busiest = list;
    if (busiest.length <= (held.get(source)?.length ?? 0)) return false;
    const oldest = busiest.reduce((o, s) => (s.expiresAt < o.expiresAt ? s : o));
    return this.sessions.delete(oldest.id);
  }

  private append(e: NewFeedEvent, gap: number): void {
    this.sequence += gap;
    const list = this.events.get(e.clientId) ?? [];
    list.push({ ...e, sequenceNr: this.sequence });
    this.events.set(e.clientId, list);
  }

  async createConsent(c: Consent, event: Omit<NewFeedEvent, 'consentId'>, gap: number): Promise<{ consent: Consent; created: boolean }> {
    const key = c.clientConsentId === undefined ? undefined : `${c.clientId}\n${c.clientConsentId}`;
    const existing = key === undefined ? undefined : this.byClientConsentId.get(key);
    if (existing !== undefined) return { consent: structuredClone(this.consents.get(existing)!), created: false };
    this.consents.set(c.id, structuredClone(c));
    if (key !== undefined) this.byClientConsentId.set(key, c.id);
    this.append({ ...event, consentId: c.id }, gap);
    return { consent: structuredClone(c), created: true };
  }
  async getConsent(id: string): Promise<Consent | undefined> {
    return copy(this.consents.get(id));
  }
  async findConsent(clientId: string, clientConsentId: string): Promise<Consent | undefined> {
    const id = this.byClientConsentId.get(`${clientId}\n${clientConsentId}`);
    return id === undefined ? undefined : copy(this.consents.get(id));
  }
  async revokeConsent(id: string, event: NewFeedEvent, gap: number): Promise<boolean> {
    const c = this.consents.get(id);
    if (!c || c.revoked) return false;
    c.revoked = true;
    this.append(event, gap);
    return true;
  }
  async markConsumed(id: string): Promise<void> {
    const c = this.consents.get(id);
    if (c) c.consumed = true;
  }
  async countConsents(clientId: string | undefined, now: number): Promise<{ consents: number; active: number }> {
    let consents = 0;
    let active = 0;
    for (const c of this.consents.values()) {
      if (clientId !== undefined && c.clientId !== clientId) continue;
      consents += 1;
      if (!c.revoked && !c.consumed && c.expiresAt > now) active += 1;
    }
    return { consents, active };
  }

  private static inWindow(w: FeedWindow, e: FeedEvent): boolean {
    return e.timestamp > w.after && (w.archived || e.eventType !== 'SAMTYKKE_ARKIVERT');
  }
  /** Index of the first event with a sequence number of `from` or more (binary search: a client's list is in sequence order). */
  private static startOf(list: FeedEvent[], from: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.sequenceNr < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  async feedPage(w: FeedWindow, from: number, limit: number): Promise<FeedEvent[]> {
    const list = this.events.get(w.clientId) ?? [];
    const page: FeedEvent[] = [];
    for (let i = MemoryStore.startOf(list, from); i < list.length && page.length < limit; i++) {
      if (MemoryStore.inWindow(w, list[i]!)) page.push(list[i]!);
    }
    return structuredClone(page);
  }
  async sequenceBounds(w: FeedWindow): Promise<{ first: number; last: number }> {
    const list = this.events.get(w.clientId) ?? [];
    const first = list.find((e) => MemoryStore.inWindow(w, e));
    let last: FeedEvent | undefined;
    for (let i = list.length - 1; i >= 0 && !last; i--) if (MemoryStore.inWindow(w, list[i]!)) last = list[i];
    return { first: first?.sequenceNr ?? 0, last: last?.sequenceNr ?? 0 };
  }

  async sweep(now: number, eventsBefore: number): Promise<SweepResult> {
    const drop = <V extends { expiresAt: number }>(m: Map<string, V>): number => {
      let n = 0;
      for (const [k, v] of m) if (v.expiresAt <= now && m.delete(k)) n += 1;
      return n;
    };
    let events = 0;
    for (const [client, list] of this.events) {
      const kept = list.filter((e) => e.timestamp > eventsBefore);
      events += list.length - kept.length;
      this.events.set(client, kept);
    }
    return { tokens: drop(this.tokens), codes: drop(this.codes), sessions: drop(this.sessions), events };
  }

  async counts(now: number): Promise<StoreCounts> {
    const live = (m: Map<string, { expiresAt: number }>) => [...m.values()].filter((v) => v.expiresAt > now).length;
    const { consents, active } = await this.countConsents(undefined, now);
    let events = 0;
    for (const list of this.events.values()) events += list.length;
    return { tokens: live(this.tokens), codes: live(this.codes), sessions: this.sessions.size, consents, activeConsents: active, events, lastSequenceNr: this.sequence };
  }

  async clientCounts(now: number): Promise<ClientCounts[]> {
    const out = new Map<string, ClientCounts>();
    const of = (clientId: string) => out.get(clientId) ?? out.set(clientId, { clientId, consents: 0, activeConsents: 0, events: 0 }).get(clientId)!;
    for (const c of this.consents.values()) {
      const row = of(c.clientId);
      row.consents += 1;
      if (!c.revoked && !c.consumed && c.expiresAt > now) row.activeConsents += 1;
    }
    for (const [clientId, list] of this.events) if (list.length) of(clientId).events += list.length;
    return [...out.values()].sort((x, y) => x.clientId.localeCompare(y.clientId));
  }

  async reset(clientId?: string): Promise<void> {
    const mine = (v: { clientId: string }) => clientId === undefined || v.clientId === clientId;
    for (const m of [this.tokens, this.codes, this.sessions, this.consents] as Map<string, { clientId: string }>[]) {
      for (const [k, v] of m) if (mine(v)) m.delete(k);
    }
    for (const [k, id] of this.byClientConsentId) if (!this.consents.has(id)) this.byClientConsentId.delete(k);
    if (clientId === undefined) this.events.clear();
    else this.events.delete(clientId);
  }

  async close(): Promise<void> {}
}
