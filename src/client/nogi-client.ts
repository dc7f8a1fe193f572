/**
 * The typed NoGi client: the only way specs, the Pact consumer tests and the runs talk HTTP to a
 * target. Built on Playwright's APIRequestContext so every call shows in the report, and every
 * response is validated against the contract of the operation it answers.
 */
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { getContracts, mediaType, type ContractFinding } from '../contract/index.ts';
import type {
  ConsentStatus,
  CreateConsentRequest,
  CreateConsentResponse,
  DebtInformation,
  FeedResponse,
  FirstSequenceNr,
  JsonWebKeySet,
  LastSequenceNr,
  OpenIdConfiguration,
  TokenResponse,
} from '../contract/schemas.ts';
import type { ClientCredentials } from '../config/target.ts';
import { registerSecret } from '../reporting/redact.ts';

export interface Endpoints {
  accessBaseUrl: string;
  apiBaseUrl: string;
}

export type ContractName = 'api' | 'oauth';

/** One request and its response, as the contract sees it. */
export interface Exchange {
  operationId: string;
  contract: ContractName;
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  headers: Record<string, string>;
  body: unknown;
  requestBody?: unknown;
  durationMs: number;
  findings: ContractFinding[];
}

export interface ApiResult<T> extends Exchange {
  /** The status is the operation's success status. */
  ok: boolean;
  /** The body, typed as the success response (check `ok` first). */
  data: T;
}

export interface RawRequest {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** A JSON value, or a string sent as it is (for malformed bodies). */
  body?: unknown;
  form?: Record<string, string>;
  query?: Record<string, string | number>;
}

export interface ClientOptions {
  onExchange?: (exchange: Exchange) => void | Promise<void>;
  /** Unlisted properties are contract errors instead of warnings. */
  strict?: boolean;
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const basic = (client: ClientCredentials) => ({
  Authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
});

export class NoGiClient {
  constructor(
    private readonly request: APIRequestContext,
    readonly endpoints: Endpoints,
    private readonly options: ClientOptions = {},
  ) {}

  // --- access host (contracts/oauth.openapi.yaml) -----------------------------------------

  discovery(): Promise<ApiResult<OpenIdConfiguration>> {
    return this.call('oauth', 'getOpenIdConfiguration', { path: '/.well-known/openid-configuration' });
  }

  jwks(jwksUri?: string): Promise<ApiResult<JsonWebKeySet>> {
    return this.call('oauth', 'getJwks', { path: jwksUri ?? '/.well-known/jwks.json' });
  }

  /** Client credentials grant (reference/index.md: one audience and its scopes per service). */
  clientCredentialsToken(client: ClientCredentials, audience: string, scope: string): Promise<ApiResult<TokenResponse>> {
    registerSecret(client.clientSecret);
    return this.call('oauth', 'token', {
      path: '/oauth2/token',
      method: 'POST',
      headers: basic(client),
      form: { grant_type: 'client_credentials', audience, scope },
    });
  }

  /** Authorization code grant (token-endpoint.md), after the callback. */
  exchangeCode(client: ClientCredentials, code: string, redirectUri: string): Promise<ApiResult<TokenResponse>> {
    registerSecret(client.clientSecret);
    registerSecret(code);
    return this.call('oauth', 'token', {
      path: '/oauth2/token',
      method: 'POST',
      headers: basic(client),
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: client.clientId },
    });
  }

  /** The URL a person's browser is sent to (auth-endpoint.md); parameters in the documented order. */
  authorizationUrl(params: { clientId: string; scope: string; state: string; redirectUri: string }): string {
    const url = new URL('/oauth2/auth', this.endpoints.accessBaseUrl);
    url.search = new URLSearchParams({
      client_id: params.clientId,
      response_type: 'code',
      scope: params.scope,
      state: params.state,
      redirect_uri: params.redirectUri,
    }).toString();
    return url.toString();
  }

  // --- API host (contracts/upstream/openapi.json + errata) --------------------------------

  registerAgreement(token: string, body: CreateConsentRequest | Record<string, unknown>): Promise<ApiResult<CreateConsentResponse>> {
    return this.call('api', 'createConsent', { path: '/v1/consent/agreement', method: 'PUT', headers: bearer(token), body });
  }

  getDebtByConsentId(token: string, consentId: string): Promise<ApiResult<DebtInformation>> {
    return this.call('api', 'getDebtWithConsentID', { path: `/v1/debt/${encodeURIComponent(consentId)}`, headers: bearer(token) });
  }

  /** With an authorization-code token: the token carries the consent. */
  getDebt(token: string): Promise<ApiResult<DebtInformation>> {
    return this.call('api', 'getDebtWithAuthCodeToken', { path: '/v1/debt', headers: bearer(token) });
  }

  getConsentStatus(token: string, consentId: string): Promise<ApiResult<ConsentStatus>> {
    return this.call('api', 'getConsentStatusWithID', { path: `/v1/debt/${encodeURIComponent(consentId)}/status`, headers: bearer(token) });
  }

  revokeConsent(token: string, consentId: string): Promise<ApiResult<undefined>> {
    return this.call('api', 'revokeConsentByID', { path: `/v1/debt/${encodeURIComponent(consentId)}`, method: 'DELETE', headers: bearer(token) });
  }

  feed(token: string, fromSequenceNr: number, limit: number): Promise<ApiResult<FeedResponse>> {
    return this.call('api', 'feed', { path: '/feed/v1/consent', headers: bearer(token), query: { fromSequenceNr, limit } });
  }

  firstSequenceNr(token: string): Promise<ApiResult<FirstSequenceNr>> {
    return this.call('api', 'firstSequenceNr', { path: '/feed/v1/consent/firstSequenceNr', headers: bearer(token) });
  }

  lastSequenceNr(token: string): Promise<ApiResult<LastSequenceNr>> {
    return this.call('api', 'lastSequenceNr', { path: '/feed/v1/consent/lastSequenceNr', headers: bearer(token) });
  }

  /** Any request to a documented operation (negative tests: malformed bodies, missing tokens); still validated. */
  raw<T = unknown>(contract: ContractName, operationId: string, request: RawRequest): Promise<ApiResult<T>> {
    return this.call(contract, operationId, request);
  }

  // --- one way to send and check --------------------------------------------------------------

  private async call<T>(contract: ContractName, operationId: string, req: RawRequest): Promise<ApiResult<T>> {
    const base = contract === 'api' ? this.endpoints.apiBaseUrl : this.endpoints.accessBaseUrl;
    // A base URL may carry a path prefix (a proxy); an absolute path (jwks_uri) is used as it is.
    const url = /^https?:\/\//.test(req.path) ? new URL(req.path) : new URL(base.replace(/\/$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, String(v));
    const method = req.method ?? 'GET';
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    // A Buffer: Playwright JSON-encodes a string `data` again when the content type is JSON, which
    // would turn a deliberately malformed body into a well-formed JSON string.
    let data: Buffer | undefined;
    if (req.body !== undefined) {
      data = Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body), 'utf8');
      headers['Content-Type'] ??= 'application/json';
    }
    const started = performance.now();
    const response = await this.request.fetch(url.toString(), {
      method,
      headers,
      data,
      form: req.form,
      failOnStatusCode: false,
      maxRedirects: 0,
    });
    const durationMs = performance.now() - started;
    const exchange = await this.toExchange(contract, operationId, method, url.toString(), response, durationMs, req.form ?? req.body);
    await this.options.onExchange?.(exchange);
    const ok = exchange.status === (await getContracts({ strict: this.options.strict }))[contract].successStatus(operationId);
    return { ...exchange, ok, data: exchange.body as T };
  }

  private async toExchange(
    contract: ContractName,
    operationId: string,
    method: string,
    url: string,
    response: APIResponse,
    durationMs: number,
    requestBody: unknown,
  ): Promise<Exchange> {
    const headers = response.headers();
    const contentType = headers['content-type'] ?? null;
    const text = await response.text();
    const findings: ContractFinding[] = [];
    let body: unknown = text === '' ? undefined : text;
    if (text !== '' && mediaType(contentType).endsWith('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        findings.push({
          check: 'response_schema_conformance', severity: 'error', rule: `${operationId} ${response.status()} body`,
          pointer: '/', expected: 'a JSON document, as the content type says', actual: text.slice(0, 80),
        });
      }
    }
    const validator = (await getContracts({ strict: this.options.strict }))[contract];
    findings.push(...validator.validateResponse(operationId, { status: response.status(), contentType, headers, body }));
    if (operationId === 'token' && response.status() === 200 && body && typeof body === 'object') {
      const token = body as TokenResponse;
      registerSecret(token.access_token);
      registerSecret(token.id_token);
    }
    return { operationId, contract, method, url, status: response.status(), contentType, headers, body, requestBody, durationMs, findings };
  }
}
