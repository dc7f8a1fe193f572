/**
 * The operation catalogue: one table keyed by operationId, derived when the contracts load.
 * For each operation: its contract and host, method and path template, documented statuses and
 * content types, error family, and the service (audience) and scopes its token must carry.
 *
 * The client, the simulator (routing, error bodies, fault switches), the Pact verifier and its
 * states, the coverage matrix, the validators (which compile the schemas of these operations) and
 * the checks (src/contract/checks.ts: documented statuses, content types, headers, security) all
 * read this table; none of them lists operations, paths or
 * scopes by hand. Where the provider's document states a fact only in prose (the service of an
 * API and its audience path), the errata overlay writes it into the contract (C1-C3).
 */
import type { OpenAPIV3 } from 'openapi-types';
import { currentContractVersion, loadApiContract, loadOAuthContract, type ContractVersion } from './load.ts';

export type ContractName = 'api' | 'oauth';
/** The two hosts of NoGi: the access host (OAuth) and the API host. */
export type HostName = 'access' | 'api';
/**
 * The body an error answer carries: Spring's default error body (b68fec2's Agreement API, the Feed
 * API), an RFC 9457 problem with an `errorReference` (3770c4e's Agreement API), the Debt API's
 * `error` schema, or an RFC 6749 error (token endpoint).
 */
export type ErrorFamily = 'spring' | 'problem' | 'debt' | 'oauth' | 'none';
/**
 * The services the contract names (C1-C3 in the errata). A type, so code that keys by service is
 * checked; the catalogue refuses to load when the contract's services differ.
 */
export type ServiceName = 'agreement' | 'debt' | 'feed';
const knownServices: Record<ServiceName, true> = { agreement: true, debt: true, feed: true };

export type Grant = 'client_credentials' | 'authorization_code' | 'client_secret_basic';

export interface CatalogueOperation {
  operationId: string;
  contract: ContractName;
  host: HostName;
  method: string;
  /** The path template, as the contract writes it: `/v1/debt/{id}`. */
  path: string;
  pathPattern: RegExp;
  /** Path parameter names, in order. */
  pathParams: string[];
  statuses: number[];
  successStatus: number;
  /** Documented content types by status (empty: no body). */
  contentTypes: Record<number, string[]>;
  /** The schema each documented content type carries, by status, by its component name (`SpringErrorSchema`), when it is a reference. */
  schemaNames: Record<number, Record<string, string | undefined>>;
  /** Response headers the contract requires, by status (as the contract writes them). */
  requiredHeaders: Record<number, string[]>;
  errorFamily: ErrorFamily;
  /** The contract documents a body on 401 (3770c4e's Agreement API); without one a 401 is bare. */
  unauthorizedBody: boolean;
  /** The service whose audience the token must carry (`agreement`, `debt`, `feed`), when secured by one. */
  service?: ServiceName;
  /** The grant the operation's token comes from, when it is secured. */
  grant?: Grant;
  /** Scopes any one of which the operation accepts (empty: none stated). */
  scopes: string[];
  /** Credentials required: a non-empty security requirement, and none of them the empty (optional) one `{}`. */
  secured: boolean;
  /** Its success answer is a person's debt (the contract's `debt_information` schema): a debt lookup. */
  debtLookup: boolean;
  /** A DELETE of a consent by its id (get-started step 5: "a 204 No Content response means the consent was successfully revoked"). */
  revokesConsent: boolean;
  /** The operation as the contract writes it (its schemas, for the validator that compiles them). */
  spec: OpenAPIV3.OperationObject;
}

/** The schema of a debt lookup's answer (the API contract's components). */
const DEBT_INFORMATION = '#/components/schemas/debt_information';

export interface CatalogueService {
  name: ServiceName;
  /** The audience is the API host (or the audience base) + this path (reference/index.md). */
  audiencePath: string;
  /** Client-credentials scopes the service's operations accept, the first being the usual one. */
  scopes: string[];
}

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

export class Catalogue {
  readonly operations: readonly CatalogueOperation[];
  /** The effective documents the table was read from. */
  readonly documents: Readonly<Record<ContractName, OpenAPIV3.Document>>;
  readonly services: ReadonlyMap<ServiceName, CatalogueService>;
  private readonly byId: ReadonlyMap<string, CatalogueOperation>;
  /** Operations by `host METHOD`, in catalogue order (match() runs on every request the simulator answers). */
  private readonly byHostMethod = new Map<string, CatalogueOperation[]>();

  constructor(api: OpenAPIV3.Document, oauth: OpenAPIV3.Document) {
    const services = servicesOf(api);
    const operations = [...operationsOf(api, 'api', services), ...operationsOf(oauth, 'oauth', new Map())];
    for (const op of operations) {
      const service = op.service ? services.get(op.service) : undefined;
      if (service && op.grant === 'client_credentials') {
        for (const scope of op.scopes) if (!service.scopes.includes(scope)) service.scopes.push(scope);
      }
    }
    this.operations = operations;
    this.documents = { api, oauth };
    this.services = services;
    this.byId = new Map(operations.map((o) => [o.operationId, o]));
    for (const o of operations) {
      const key = `${o.host} ${o.method}`;
      this.byHostMethod.set(key, [...(this.byHostMethod.get(key) ?? []), o]);
    }
  }

  operation(operationId: string): CatalogueOperation {
    const op = this.byId.get(operationId);
    if (!op) throw new Error(`Unknown operationId "${operationId}": the contracts know ${[...this.byId.keys()].join(', ')}`);
    return op;
  }

  has(operationId: string): boolean {
    return this.byId.has(operationId);
  }

  /** The operation a request on a host answers, if the contract documents one. */
  match(host: HostName, method: string, pathname: string): CatalogueOperation | undefined {
    return this.byHostMethod.get(`${host} ${method.toUpperCase()}`)?.find((o) => o.pathPattern.test(pathname));
  }

  service(name: ServiceName): CatalogueService {
    const service = this.services.get(name);
    if (!service) throw new Error(`Unknown service "${name}": the contract names ${[...this.services.keys()].join(', ')}`);
    return service;
  }

  /** reference/index.md: the audience of a service is the API host + the service's path. */
  audience(service: ServiceName, audienceBase: string): string {
    return audienceBase.replace(/\/+$/, '') + this.service(service).audiencePath;
  }

  /** The service a token audience names, given the audience base it was built on. */
  serviceOfAudience(audience: string, audienceBase: string): ServiceName | undefined {
    return [...this.services.values()].find((s) => this.audience(s.name, audienceBase) === audience)?.name;
  }

  /** The operation's path with its parameters filled in (each percent-encoded). */
  expandPath(operationId: string, params: Record<string, string | number> = {}): string {
    const op = this.operation(operationId);
    return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = params[name];
      if (value === undefined) throw new Error(`${operationId}: path parameter "${name}" is missing`);
      return encodeURIComponent(String(value));
    });
  }
}

function servicesOf(doc: OpenAPIV3.Document): Map<ServiceName, CatalogueService> {
  const services = new Map<ServiceName, CatalogueService>();
  for (const tag of doc.tags ?? []) {
    const service = (tag as { 'x-nogi-service'?: { name: ServiceName; audiencePath: string } })['x-nogi-service'];
    if (service) services.set(service.name, { name: service.name, audiencePath: service.audiencePath, scopes: [] });
  }
  const names = [...services.keys()].sort().join(', ');
  if (names !== Object.keys(knownServices).sort().join(', ')) {
    throw new Error(`The contract names the services ${names}; the code knows ${Object.keys(knownServices).join(', ')}`);
  }
  return services;
}

function schemeGrant(doc: OpenAPIV3.Document, scheme: string): Grant | undefined {
  const s = doc.components?.securitySchemes?.[scheme] as OpenAPIV3.SecuritySchemeObject | undefined;
  if (!s) return undefined;
  if (s.type === 'oauth2') return s.flows.authorizationCode ? 'authorization_code' : 'client_credentials';
  if (s.type === 'http' && s.scheme === 'basic') return 'client_secret_basic';
  // `OAuth2` upstream is a bare bearer scheme; its operation (createConsent) takes a client-credentials token.
  if (s.type === 'http' && s.scheme === 'bearer') return 'client_credentials';
  return undefined;
}

/** The error family from the schema the operation's 4xx/5xx answers carry. */
function errorFamilyOf(op: OpenAPIV3.OperationObject): ErrorFamily {
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    if (Number(status) < 400) continue;
    for (const [type, media] of Object.entries((response as OpenAPIV3.ResponseObject).content ?? {})) {
      const ref = (media.schema as OpenAPIV3.ReferenceObject | undefined)?.$ref ?? '';
      if (type === 'application/problem+json') return 'problem';
      if (ref.endsWith('/SpringErrorSchema')) return 'spring';
      if (ref.endsWith('/error')) return 'debt';
      if (ref.endsWith('/OAuthError')) return 'oauth';
    }
  }
  return 'none';
}

function operationsOf(doc: OpenAPIV3.Document, contract: ContractName, services: Map<ServiceName, CatalogueService>): CatalogueOperation[] {
  const serviceOfTag = new Map<string, ServiceName>();
  for (const tag of doc.tags ?? []) {
    const service = (tag as { 'x-nogi-service'?: { name: ServiceName } })['x-nogi-service'];
    if (service) serviceOfTag.set(tag.name, service.name);
  }
  const out: CatalogueOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of methods) {
      const spec = item?.[method];
      if (!spec?.operationId) continue;
      const statuses = Object.keys(spec.responses ?? {}).map(Number).sort((a, b) => a - b);
      const success = statuses.filter((s) => s >= 200 && s < 400);
      if (!success.length) throw new Error(`${contract}: ${spec.operationId} documents no success status`);
      const contentTypes: Record<number, string[]> = {};
      const schemaNames: Record<number, Record<string, string | undefined>> = {};
      const requiredHeaders: Record<number, string[]> = {};
      for (const status of statuses) {
        const response = spec.responses[String(status)] as OpenAPIV3.ResponseObject;
        contentTypes[status] = Object.keys(response.content ?? {});
        schemaNames[status] = Object.fromEntries(Object.entries(response.content ?? {})
          .map(([type, media]) => [type, (media.schema as OpenAPIV3.ReferenceObject | undefined)?.$ref?.split('/').at(-1)]));
        requiredHeaders[status] = Object.entries(response.headers ?? {}).filter(([, h]) => (h as OpenAPIV3.HeaderObject).required).map(([name]) => name);
      }
      const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      const requirements = spec.security ?? doc.security ?? [];
      const requirement = requirements[0];
      const [scheme, scopes] = requirement ? Object.entries(requirement)[0] ?? [] : [];
      const service = spec.tags?.map((t) => serviceOfTag.get(t)).find(Boolean);
      if (service && !services.has(service)) throw new Error(`${spec.operationId}: unknown service ${service}`);
      out.push({
        operationId: spec.operationId,
        contract,
        host: contract === 'api' ? 'api' : 'access',
        method: method.toUpperCase(),
        path,
        pathPattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        pathParams,
        statuses,
        successStatus: Math.min(...success),
        contentTypes,
        schemaNames,
        requiredHeaders,
        errorFamily: errorFamilyOf(spec),
        unauthorizedBody: Object.keys((spec.responses['401'] as OpenAPIV3.ResponseObject | undefined)?.content ?? {}).length > 0,
        service,
        grant: scheme ? schemeGrant(doc, scheme) : undefined,
        scopes: scopes ?? [],
        secured: requirements.length > 0 && requirements.every((r) => Object.keys(r).length > 0),
        debtLookup: success.some((status) => Object.values((spec.responses[String(status)] as OpenAPIV3.ResponseObject).content ?? {})
          .some((media) => (media.schema as OpenAPIV3.ReferenceObject | undefined)?.$ref === DEBT_INFORMATION)),
        revokesConsent: method === 'delete' && pathParams.includes('id'),
        spec,
      });
    }
  }
  return out;
}

const catalogues = new Map<ContractVersion, Promise<Catalogue>>();
/** The catalogue of the effective contracts of a version (default: the process's), built once per version. */
export function getCatalogue(version: ContractVersion = currentContractVersion()): Promise<Catalogue> {
  let catalogue = catalogues.get(version);
  if (!catalogue) {
    catalogue = loadApiContract(version).then((api) => new Catalogue(api, loadOAuthContract()));
    catalogues.set(version, catalogue);
  }
  return catalogue;
}

/**
 * The consent id an operation's path names (`/v1/debt/{id}`), read from a request's actual path:
 * the template and the path are aligned at their ends, so a target's base path (a proxy's
 * `/gateway`) does not matter. Undefined when the operation names no consent.
 */
export function consentIdIn(op: CatalogueOperation, path: string): string | undefined {
  const template = op.path.split('/');
  const index = template.indexOf('{id}');
  if (index < 0) return undefined;
  const actual = path.split('?')[0]!.split('/');
  const segment = actual[actual.length - (template.length - index)];
  if (segment === undefined || segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Use after revoke, the one definition the stateful check `use_after_free` and the grading rule
 * `no-use-after-revoke` share: the consent a successful revoke ended, and the consent a debt
 * lookup asked about (the catalogue's `revokesConsent` and `debtLookup`, never an operation named
 * by hand).
 */
export const useAfterRevoke = {
  /** The consent a revoke answered with a success status ended; undefined for any other exchange. */
  revoked(op: CatalogueOperation | undefined, path: string, status: number): string | undefined {
    return op?.revokesConsent && status >= 200 && status < 300 ? consentIdIn(op, path) : undefined;
  },
  /** The consent whose debt a lookup asked for; undefined for any other exchange (or a lookup by an authorization-code token, which names none). */
  lookedUp(op: CatalogueOperation | undefined, path: string): string | undefined {
    return op?.debtLookup ? consentIdIn(op, path) : undefined;
  },
};
