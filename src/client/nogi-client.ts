/**
 * The one NoGi client: specs, Pact provider states, the simulator's tests and the CLI all talk
 * HTTP to a target through it. Every request names an operation of the catalogue
 * (`call(operationId, { params, query, body })`), so method, path and host come from the contract
 * and cannot disagree; every response is checked against that operation's contract. The typed
 * methods below are one-line conveniences over `call`.
 */
import {
  classifyAuthorization, getContracts, mediaType, requestPassesContract, statefulFindings, withoutChecksOff,
  type CheckedExchange, type CheckName, type ContractFinding, type RequestToCheck,
} from '../contract/index.ts';
import { getCatalogue, type CatalogueOperation, type ContractName, type HostName } from '../contract/catalogue.ts';
import { readErrorBody } from '../contract/error-bodies.ts';
import type { ContractVersion } from '../contract/load.ts';
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
import { registerSecret } from '../reporting/redact.ts';
import { basicAuthorization, formBody, type ClientCredentials } from './credentials.ts';
import type { Transport, WireResponse } from './transport.ts';

export type { ClientCredentials } from './credentials.ts';
export type { ContractName } from '../contract/catalogue.ts';

/**
 * Accept names every media type the operation documents (3770c4e's Agreement API answers errors as
 * application/problem+json): a client that asks for application/json alone refuses those errors.
 */
function acceptOf(op: CatalogueOperation | undefined): string {
  const types = new Set(Object.values(op?.contentTypes ?? {}).flat().filter((t) => t !== '*/*'));
  return types.size ? [...types].join(', ') : 'application/json';
}

export interface Endpoints {
  accessBaseUrl: string;
  apiBaseUrl: string;
}

/** One request and its response, as the contract sees it. */
export interface Exchange {
  /** The operation answered; undefined for a request to a path the contract does not document. */
  operationId?: string;
  contract: ContractName;
  method: string;
  url: string;
  /** The contract's path template (`/v1/debt/{id}`), or the path itself when undocumented. */
  pathTemplate: string;
  status: number;
  contentType: string | null;
  headers: Record<string, string>;
  body: unknown;
  text: string;
  requestBody?: unknown;
  /** What the request carried in Authorization (for the ignored_auth check). */
  sentAuthorization: 'none' | 'bearer' | 'basic' | 'malformed';
  durationMs: number;
  findings: ContractFinding[];
  /** An error answer's support reference (3770c4e: `errorReference`), logged as a trace id would be. */
  errorReference?: { field: string; value: string };
}

export interface ApiResult<T> extends Exchange {
  /** The status is the operation's success status. */
  ok: boolean;
  /** The body, typed as the success response (check `ok` first). */
  data: T;
}

export interface CallOptions {
  /** Path parameters by name (`{ id }`), percent-encoded by the client. */
  params?: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  /** A JSON value, or a string sent as it is (malformed bodies). */
  body?: unknown;
  /** A form body (token endpoint), fields in the given order. */
  form?: Record<string, string>;
  /** A Bearer token. */
  token?: string;
  /** client_secret_basic. */
  client?: ClientCredentials;
  headers?: Record<string, string>;
  /** An absolute URL to use instead of the operation's path (a jwks_uri from discovery). */
  url?: string;
}

export interface ClientOptions {
  onExchange?: (exchange: Exchange) => void | Promise<void>;
  /** Unlisted properties are contract errors instead of warnings. */
  strict?: boolean;
  /** The severity of the RFC 6749 MUSTs the OAuth contract adopts: `error` in the gate's strict profile (src/contract/invariants.ts). */
  rfcMusts?: ContractFinding['severity'];
  /** The provider's contract version that judges (default: the process's, NOGI_CONTRACT or the default). */
  contract?: ContractVersion;
  /** Checks switched off by name (NOGI_CHECKS_OFF, src/contract/checks.ts): they produce no finding. */
  checksOff?: readonly CheckName[];
}

const parseJson = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export class NoGiClient {
  /** What this client sent and got, for the checks that judge an exchange by what came before it. */
  private readonly history: CheckedExchange[] = [];

  constructor(
    private readonly transport: Transport,
    readonly endpoints: Endpoints,
    private readonly options: ClientOptions = {},
  ) {}

  // --- access host (contracts/oauth.openapi.yaml) -----------------------------------------

  discovery(): Promise<ApiResult<OpenIdConfiguration>> {
    return this.call('getOpenIdConfiguration');
  }

  jwks(jwksUri?: string): Promise<ApiResult<JsonWebKeySet>> {
    return this.call('getJwks', { url: jwksUri });
  }

  /** Client credentials grant (reference/index.md: one audience and its scopes per service). */
  clientCredentialsToken(client: ClientCredentials, audience: string, scope: string): Promise<ApiResult<TokenResponse>> {
    return this.call('token', { client, form: { grant_type: 'client_credentials', audience, scope } });
  }

  /** Authorization code grant (token-endpoint.md), after the callback. */
  exchangeCode(client: ClientCredentials, code: string, redirectUri: string, extra: Record<string, string> = {}): Promise<ApiResult<TokenResponse>> {
    registerSecret(code);
    return this.call('token', {
      client,
      form: { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: client.clientId, ...extra },
    });
  }

  /** The URL a person's browser is sent to (auth-endpoint.md); parameters in the documented order. */
  async authorizationUrl(params: { clientId: string; scope: string; state: string; redirectUri: string; extra?: Record<string, string> }): Promise<string> {
    const url = new URL(this.baseUrl('access') + (await getCatalogue(this.options.contract)).operation('authorize').path);
    url.search = new URLSearchParams({
      client_id: params.clientId,
      response_type: 'code',
      scope: params.scope,
      state: params.state,
      redirect_uri: params.redirectUri,
      ...params.extra,
    }).toString();
    return url.toString();
  }

  // --- API host (contracts/versions/<version>/openapi.json + errata) --------------------------------

  registerAgreement(token: string, body: CreateConsentRequest | Record<string, unknown>): Promise<ApiResult<CreateConsentResponse>> {
    return this.call('createConsent', { token, body });
  }

  getDebtByConsentId(token: string, consentId: string): Promise<ApiResult<DebtInformation>> {
    return this.call('getDebtWithConsentID', { token, params: { id: consentId } });
  }

  /** With an authorization-code token: the token carries the consent. */
  getDebt(token: string): Promise<ApiResult<DebtInformation>> {
    return this.call('getDebtWithAuthCodeToken', { token });
  }

  getConsentStatus(token: string, consentId: string): Promise<ApiResult<ConsentStatus>> {
    return this.call('getConsentStatusWithID', { token, params: { id: consentId } });
  }

  revokeConsent(token: string, consentId: string): Promise<ApiResult<undefined>> {
    return this.call('revokeConsentByID', { token, params: { id: consentId } });
  }

  feed(token: string, fromSequenceNr: number, limit: number): Promise<ApiResult<FeedResponse>> {
    return this.call('feed', { token, query: { fromSequenceNr, limit } });
  }

  firstSequenceNr(token: string): Promise<ApiResult<FirstSequenceNr>> {
    return this.call('firstSequenceNr', { token });
  }

  lastSequenceNr(token: string): Promise<ApiResult<LastSequenceNr>> {
    return this.call('lastSequenceNr', { token });
  }

  // --- one way to send and check --------------------------------------------------------------

  /** A request to a documented operation; method, host and path come from the catalogue. */
  async call<T = unknown>(operationId: string, options: CallOptions = {}): Promise<ApiResult<T>> {
    const op = (await getCatalogue(this.options.contract)).operation(operationId);
    const path = (await getCatalogue(this.options.contract)).expandPath(operationId, options.params);
    return this.send<T>(op.host, op.method, options.url ?? path, options, op);
  }

  /**
   * Any request on a host, documented or not (wire-level tests: wrong methods, unknown paths,
   * raw bytes). A request that matches a documented operation is still checked against it.
   */
  async request<T = unknown>(host: HostName, method: string, path: string, options: CallOptions = {}): Promise<ApiResult<T>> {
    const op = (await getCatalogue(this.options.contract)).match(host, method, path.split('?')[0]!);
    return this.send<T>(host, method.toUpperCase(), path, options, op);
  }

  private baseUrl(host: HostName): string {
    return (host === 'api' ? this.endpoints.apiBaseUrl : this.endpoints.accessBaseUrl).replace(/\/+$/, '');
  }

  private async send<T>(host: HostName, method: string, path: string, options: CallOptions, op: CatalogueOperation | undefined): Promise<ApiResult<T>> {
    // A base URL may carry a path prefix (a proxy); an absolute URL (jwks_uri) is used as it is.
    const url = new URL(/^https?:\/\//.test(path) ? path : this.baseUrl(host) + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: acceptOf(op) };
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    if (options.client) headers.Authorization = basicAuthorization(options.client);
    let body: string | undefined;
    if (options.form) {
      body = formBody(options.form);
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    const authorization = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];

    const started = performance.now();
    const response = await this.transport.send({ method, url: url.toString(), headers, body });
    const durationMs = performance.now() - started;

    const sentHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const sent: RequestToCheck = {
      query: Object.fromEntries(url.searchParams),
      headers: sentHeaders,
      contentType: sentHeaders['content-type'],
      body: options.form ?? parseJson(body),
    };
    const exchange = await this.toExchange(op, host, method, url, response, durationMs, options.form ?? options.body, classifyAuthorization(authorization), sent);
    await this.options.onExchange?.(exchange);
    return { ...exchange, ok: op !== undefined && exchange.status === op.successStatus, data: exchange.body as T };
  }

  private async toExchange(
    op: CatalogueOperation | undefined,
    host: HostName,
    method: string,
    url: URL,
    response: WireResponse,
    durationMs: number,
    requestBody: unknown,
    sentAuthorization: Exchange['sentAuthorization'],
    sent: RequestToCheck,
  ): Promise<Exchange> {
    const { headers, text, status } = response;
    const catalogue = await getCatalogue(this.options.contract);
    const contentType = headers['content-type'] ?? null;
    const findings: ContractFinding[] = [];
    let body: unknown = text === '' ? undefined : text;
    if (text !== '' && mediaType(contentType).endsWith('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        if (op) {
          findings.push({
            check: 'response_schema_conformance', severity: 'error', rule: `${op.operationId} ${status} body`,
            pointer: '/', expected: 'a JSON document, as the content type says', actual: text.slice(0, 80),
          });
        }
      }
    }
    if (op) {
      const { strict, rfcMusts, contract: version, checksOff } = this.options;
      const validator = (await getContracts({ strict, rfcMusts, version, ...(checksOff?.length ? { checksOff } : {}) }))[op.contract];
      findings.push(...validator.validateResponse(op.operationId, { status, contentType, headers, body, request: sent }));
      const checked: CheckedExchange = {
        operationId: op.operationId, method, path: url.pathname, sentAuthorization, status,
        requestValid: requestPassesContract(validator, op.operationId, sent),
      };
      const stateful = statefulFindings(this.history, checked, { operation: (id) => (catalogue.has(id) ? catalogue.operation(id) : undefined), checksOff });
      // The provider's documented leniency (X-NoGi-Leniency: a numeric string for an integer) is not a defect.
      findings.push(...stateful.map((f) => (f.check === 'negative_data_rejection' && headers['x-nogi-leniency'] ? { ...f, severity: 'warning' as const } : f)));
      this.history.push(checked);
    }
    if (op?.operationId === 'token' && status === 200 && body && typeof body === 'object') {
      const token = body as TokenResponse;
      registerSecret(token.access_token);
      registerSecret(token.id_token);
    }
    const error = op && status >= 400 ? readErrorBody(op.errorFamily, body) : {};
    return {
      ...(error.reference ? { errorReference: { field: error.referenceField!, value: error.reference } } : {}),
      operationId: op?.operationId,
      contract: op?.contract ?? (host === 'api' ? 'api' : 'oauth'),
      method,
      url: url.toString(),
      pathTemplate: op?.path ?? url.pathname,
      status,
      contentType,
      headers,
      body,
      text,
      requestBody,
      sentAuthorization,
      durationMs,
      // A check switched off produces nothing, also where the client itself judged (a body that is not JSON).
      findings: withoutChecksOff(findings, this.options.checksOff),
    };
  }
}
