/**
 * The one way to get a client-credentials token for a service (reference/index.md: one audience
 * and its scopes per service). Specs (the `tokens` fixture), compare, the bench, the Pact provider
 * states and the simulator's own tests all ask a TokenCache; none calls the token endpoint for
 * a service token by hand.
 *
 * A token is cached by client, service, scope and audience, until `expires_in` less a margin
 * (measured on this process's clock), and asked for once however many callers wait on it at once.
 * `fresh()` fetches a new one deliberately (and caches it); `clear()` forgets them all, for a
 * caller that knows the target's clock moved (expiry is judged on the target's clock, which a
 * cache cannot see).
 */
import { getCatalogue, type ServiceName } from '../contract/catalogue.ts';
import type { ContractVersion } from '../contract/load.ts';
import type { TokenResponse } from '../contract/schemas.ts';
import type { ClientCredentials } from './credentials.ts';
import type { ApiResult, NoGiClient } from './nogi-client.ts';

/** What a token is for; the cache's key. */
export interface TokenRequest {
  client: ClientCredentials;
  service: ServiceName;
  /** Space-separated scopes of the service. */
  scope: string;
  audience: string;
}

export class TokenError extends Error {
  constructor(readonly request: TokenRequest, readonly result: ApiResult<TokenResponse>) {
    super(`a ${request.service} token (audience ${request.audience}, scope ${request.scope}) was refused: ${result.status} ${result.text.slice(0, 200)}`);
    this.name = 'TokenError';
  }
}

export interface TokenCacheOptions {
  /** The client the cache asks with (its exchanges are that client's: checked, recorded). */
  nogi: NoGiClient;
  /** The client a token is for unless the caller names another. */
  client: ClientCredentials;
  /** The audience of each service on this target. */
  audiences: Record<ServiceName, string>;
  /** The scope of each service unless the caller names one (default: the service's first scope in the catalogue). */
  scopes?: Partial<Record<ServiceName, string>>;
  /** A token is used until this many seconds before it expires (default 30). */
  marginSeconds?: number;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
  /** Judges every token response before it is cached; throws to refuse it (default: a TokenError unless 200 with an access_token). */
  check?: (result: ApiResult<TokenResponse>, request: TokenRequest) => void;
  /** Told of every token issued (the Pact request filter leaves those alone). */
  onIssued?: (token: string, request: TokenRequest) => void;
  /** The contract version whose catalogue names the services' scopes. */
  contract?: ContractVersion;
}

interface Entry {
  token: Promise<string>;
  /** Until the token arrives: Infinity (everyone waits on the one request). */
  expiresAt: number;
}

const defaultCheck = (result: ApiResult<TokenResponse>, request: TokenRequest): void => {
  if (result.status !== 200 || typeof result.data?.access_token !== 'string') throw new TokenError(request, result);
};

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly margin: number;
  private readonly now: () => number;

  constructor(private readonly options: TokenCacheOptions) {
    this.margin = (options.marginSeconds ?? 30) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** The service's default scope, or the one named; the token for the target's client, or `client`'s. */
  for(service: ServiceName, scope?: string, client?: ClientCredentials, audience?: string): Promise<string> {
    return this.token(service, { scope, client, audience }, false);
  }

  /** A new token, whatever is cached (and cached in its place). */
  fresh(service: ServiceName, scope?: string, client?: ClientCredentials, audience?: string): Promise<string> {
    return this.token(service, { scope, client, audience }, true);
  }

  get agreement(): Promise<string> {
    return this.for('agreement');
  }

  get debt(): Promise<string> {
    return this.for('debt');
  }

  get feed(): Promise<string> {
    return this.for('feed');
  }

  /** Forgets every token (the target's clock moved, its clients were reset). */
  clear(): void {
    this.entries.clear();
  }

  private async request(service: ServiceName, named: { scope?: string; client?: ClientCredentials; audience?: string }): Promise<TokenRequest> {
    const scope = named.scope ?? this.options.scopes?.[service] ?? (await getCatalogue(this.options.contract)).service(service).scopes[0]!;
    return { service, scope, client: named.client ?? this.options.client, audience: named.audience ?? this.options.audiences[service] };
  }

  private async token(service: ServiceName, named: { scope?: string; client?: ClientCredentials; audience?: string }, fresh: boolean): Promise<string> {
    const request = await this.request(service, named);
    const key = JSON.stringify([request.client.clientId, request.service, request.scope, request.audience]);
    const cached = this.entries.get(key);
    if (!fresh && cached && cached.expiresAt - this.margin > this.now()) return cached.token;
    const entry: Entry = { expiresAt: Infinity, token: Promise.resolve('') };
    entry.token = (async () => {
      const result = await this.options.nogi.clientCredentialsToken(request.client, request.audience, request.scope);
      (this.options.check ?? defaultCheck)(result, request);
      const token = result.data.access_token;
      // Without expires_in (RFC 6749 §5.1 RECOMMENDED): used for a minute, beyond the margin.
      entry.expiresAt = this.now() + (typeof result.data.expires_in === 'number' ? result.data.expires_in : 60 + this.margin / 1000) * 1000;
      this.options.onIssued?.(token, request);
      return token;
    })();
    this.entries.set(key, entry);
    // A refused token is not kept: the next caller asks again (and sees the refusal itself).
    entry.token.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.token;
  }
}
