/**
 * The checks, as named units in one registry (Schemathesis' model, docs/reference/checks.md): each
 * has its name (Schemathesis' where it has the check), the rule it cites from the provider's docs,
 * the contract or an RFC, whether it is stateful, and its function.
 *
 *   - response checks judge one response against the catalogue's row of its operation (and the
 *     validator's compiled schemas): `validateResponse` runs them on every response;
 *   - the request check judges what the suite sends (the Pact cross-check reads it, and
 *     `negative_data_rejection` relies on its verdict);
 *   - stateful checks judge an exchange by what was sent or what came before it, over the history
 *     of one client's exchanges (src/client/nogi-client.ts runs them after each exchange).
 *
 * `npx nogi-conformance checks` lists them. Any can be switched off by name (NOGI_CHECKS_OFF,
 * `--checks-off`), e.g. to stand for a documented provider defect: it then produces no finding,
 * and every report of the run lists it as switched off, never as passed.
 */
import type { ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import { useAfterRevoke, type CatalogueOperation } from './catalogue.ts';
import { checkNames, type CheckName, type ContractFinding, type RequestToCheck, type ResponseToCheck } from './findings.ts';
import { feedInvariants, problemDetailsInvariants, tokenResponseInvariants } from './invariants.ts';

export { checkNames, type CheckName } from './findings.ts';

/** What the response checks need of a validator: its compiled schemas (src/contract/validator.ts). */
export interface SchemaSource {
  responseSchema(operationId: string, status: number, contentType: string): ValidateFunction | undefined;
  schemaFindings(validate: ValidateFunction, data: unknown, check: CheckName, rule: string): ContractFinding[];
  validateRequest(operationId: string, request: RequestToCheck): ContractFinding[];
}

export interface ResponseCheckContext {
  operation: CatalogueOperation;
  response: ResponseToCheck;
  schemas: SchemaSource;
  /** The severity of the RFC 6749 MUSTs the OAuth contract adopts (src/contract/invariants.ts). */
  rfcMusts?: ContractFinding['severity'];
}

export interface RequestCheckContext {
  operation: CatalogueOperation;
  request: RequestToCheck;
  schemas: SchemaSource;
}

export type SentAuthorization = 'none' | 'bearer' | 'basic' | 'malformed';

/** One exchange as the stateful checks see it. */
export interface CheckedExchange {
  operationId: string;
  method: string;
  /** The actual path, e.g. `/v1/debt/0dcec3d5-...`, with any base path of the target. */
  path: string;
  sentAuthorization: SentAuthorization;
  /** The request passed the contract's request validation (see `requestPassesContract`). */
  requestValid: boolean;
  status: number;
}

export interface StatefulCheckContext {
  /** The catalogue's row of an operation (undefined: not a documented one). */
  operation(operationId: string): CatalogueOperation | undefined;
}

interface CheckBase {
  name: CheckName;
  /** The rule it enforces, in the words of the doc, RFC or contract it cites. */
  rule: string;
  /** Where the rule is written. */
  source: string;
  /** What a failure usually means, for the reader of a failed test. */
  hint?: string;
}

export interface ResponseCheck extends CheckBase {
  kind: 'response';
  stateful: false;
  run(context: ResponseCheckContext): ContractFinding[];
}

export interface RequestCheck extends CheckBase {
  kind: 'request';
  stateful: false;
  run(context: RequestCheckContext): ContractFinding[];
}

export interface StatefulCheck extends CheckBase {
  kind: 'stateful';
  stateful: true;
  /** `history`: the exchanges before `current`, oldest first. */
  run(history: readonly CheckedExchange[], current: CheckedExchange, context: StatefulCheckContext): ContractFinding[];
}

export type Check = ResponseCheck | RequestCheck | StatefulCheck;

/** RFC 9457 §3: the media type of a problem details JSON object. */
const PROBLEM_JSON = 'application/problem+json';

const is2xx = (status: number): boolean => status >= 200 && status < 300;
const documented = (op: CatalogueOperation, status: number): boolean => op.statuses.includes(status);

export const mediaType = (contentType: string | null | undefined): string =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

export function matchesMediaRange(range: string, actual: string): boolean {
  if (range === '*/*') return true;
  const [type, sub] = range.split('/');
  const [aType, aSub] = actual.split('/');
  return type === aType && (sub === '*' || sub === aSub);
}

/** The documented content type a response's Content-Type falls under, if any. */
const documentedRange = (op: CatalogueOperation, response: ResponseToCheck): string | undefined =>
  (op.contentTypes[response.status] ?? []).find((r) => matchesMediaRange(r, mediaType(response.contentType)));

/** The registry: every check, by name. */
export const checks: Readonly<Record<CheckName, Check>> = {
  not_a_server_error: {
    name: 'not_a_server_error', kind: 'response', stateful: false,
    rule: 'The provider answers no 5xx that the contract does not document for the operation.',
    source: 'Schemathesis docs/reference/checks.md (not_a_server_error)',
    hint: 'the provider failed; see its logs for this request',
    run({ operation: op, response }) {
      if (response.status < 500 || documented(op, response.status)) return [];
      return [{ check: 'not_a_server_error', severity: 'error', rule: `${op.operationId} ${response.status}`, pointer: 'status', expected: 'no undocumented 5xx', actual: String(response.status) }];
    },
  },
  status_code_conformance: {
    name: 'status_code_conformance', kind: 'response', stateful: false,
    rule: 'The status is one of those the contract documents for the operation (its Responses Object).',
    source: 'OpenAPI 3 Responses Object; Schemathesis (status_code_conformance)',
    hint: 'the contract does not document this status for the operation (contracts/ and the errata overlay)',
    run({ operation: op, response }) {
      // An undocumented 5xx is not_a_server_error's finding.
      if (documented(op, response.status) || response.status >= 500) return [];
      return [{
        check: 'status_code_conformance', severity: 'error', rule: `${op.operationId} responses`, pointer: 'status',
        expected: `one of ${op.statuses.join(', ')}`, actual: String(response.status),
      }];
    },
  },
  response_headers_conformance: {
    name: 'response_headers_conformance', kind: 'response', stateful: false,
    rule: 'Every header the contract marks required for the status is present.',
    source: 'OpenAPI 3 Header Object (required); Schemathesis (response_headers_conformance)',
    hint: 'a documented response header is missing or malformed',
    run({ operation: op, response }) {
      if (!documented(op, response.status)) return [];
      return (op.requiredHeaders[response.status] ?? [])
        .filter((name) => response.headers?.[name.toLowerCase()] === undefined)
        .map((name) => ({ check: 'response_headers_conformance' as const, severity: 'error' as const, rule: `${op.operationId} ${response.status} headers`, pointer: `header:${name}`, expected: 'present', actual: '(absent)' }));
    },
  },
  content_type_conformance: {
    name: 'content_type_conformance', kind: 'response', stateful: false,
    rule: 'The Content-Type is one the contract documents for the status; a 204 carries no body (RFC 9110 §15.3.5: "A 204 response is terminated by the end of the header section; it cannot contain content").',
    source: 'OpenAPI 3 Media Type Object; RFC 9110 §15.3.5; Schemathesis (content_type_conformance)',
    hint: 'the Content-Type is not the one the contract documents for this status',
    run({ operation: op, response }) {
      if (!documented(op, response.status)) return [];
      const status = response.status;
      const ranges = op.contentTypes[status] ?? [];
      const actualType = mediaType(response.contentType);
      if (ranges.length === 0) {
        const hasBody = response.body !== undefined && response.body !== '';
        return hasBody && status === 204
          ? [{ check: 'content_type_conformance', severity: 'error', rule: `${op.operationId} ${status}`, pointer: 'body', expected: 'no body', actual: actualType || 'a body' }]
          : [];
      }
      if (documentedRange(op, response)) return [];
      // Name the schema each documented type carries: a body in another version's format reads as such.
      const expected = ranges.map((r) => {
        const schema = op.schemaNames[status]?.[r];
        return schema ? `${r} (${schema})` : r;
      }).join(' or ');
      return [{ check: 'content_type_conformance', severity: 'error', rule: `${op.operationId} ${status} content`, pointer: 'content-type', expected, actual: actualType || '(none)' }];
    },
  },
  response_schema_conformance: {
    name: 'response_schema_conformance', kind: 'response', stateful: false,
    rule: 'The body validates against the schema the contract documents for the status and content type; properties it does not list are warnings (errors when strict).',
    source: 'OpenAPI 3 Schema Object (JSON Schema); Schemathesis (response_schema_conformance)',
    hint: 'the body does not match the schema the contract documents for this status; the pointer names the field',
    run({ operation: op, response, schemas }) {
      if (!documented(op, response.status)) return [];
      const range = documentedRange(op, response);
      const validate = range && schemas.responseSchema(op.operationId, response.status, range);
      return validate ? schemas.schemaFindings(validate, response.body, 'response_schema_conformance', `${op.operationId} ${response.status} ${range}`) : [];
    },
  },
  feed_invariants: {
    name: 'feed_invariants', kind: 'response', stateful: false,
    rule: 'A feed page keeps the feed\'s own statements: sequence numbers increase ("Sequence numbers increase and will never decrease"), events "from \'fromSequenceNr\' (included), limited to \'limit\' nr of events", every event within [startSequenceNr, endSequenceNr], each event\'s own eventId and body, none stamped after the page\'s generatedAt.',
    source: 'explanation/consume-events-feed.md; the feed operation\'s summary; SamtykkeFeedResponseDTO, SamtykkeFeedEventDTO; the document\'s feed examples',
    hint: 'the feed page breaks a statement of the feed\'s docs (contracts/README.md, "Invariants beyond the schema")',
    run: ({ operation: op, response }) => (op.operationId === 'feed' ? feedInvariants(response) : []),
  },
  token_response_invariants: {
    name: 'token_response_invariants', kind: 'response', stateful: false,
    rule: 'A token answer keeps RFC 6749: Cache-Control: no-store on 200 (§5.1 "MUST"), a granted scope within the requested one (§3.3), 401 exactly for invalid_client with a WWW-Authenticate header (§5.2 "MUST"); the MUSTs the docs do not restate are warnings, errors in the strict profile.',
    source: 'RFC 6749 §3.3, §5.1, §5.2; reference/token-endpoint.md',
    hint: 'the token endpoint breaks an RFC 6749 rule the OAuth contract adopts',
    run: ({ operation: op, response, rfcMusts }) => (op.operationId === 'token' ? tokenResponseInvariants(response, { rfcMusts }) : []),
  },
  problem_details_invariants: {
    name: 'problem_details_invariants', kind: 'response', stateful: false,
    rule: 'A problem details body (application/problem+json, of any operation) keeps RFC 9457 §3.1.2: its "status" member is the HTTP status ("The "status" member, if present, is only advisory; it conveys the HTTP status code used for the convenience of the consumer. Generators MUST use the same status code in the actual HTTP response"); its errorReference, the provider\'s "Error reference used for support", is a non-empty string.',
    source: 'RFC 9457 §3.1.2; ProblemDetailWithErrorReference.errorReference in the provider\'s contract (3770c4e; errata S5 requires it)',
    hint: 'the problem details body contradicts its own response (status) or gives support nothing to look up (errorReference)',
    run: ({ operation: op, response }) => (mediaType(response.contentType) === PROBLEM_JSON ? problemDetailsInvariants(response, op.operationId) : []),
  },
  request_schema_conformance: {
    name: 'request_schema_conformance', kind: 'request', stateful: false,
    rule: 'A request validates against the operation\'s parameters and request body as the contract documents them.',
    source: 'OpenAPI 3 Parameter and Request Body Objects; Schemathesis (the request side of its schema checks)',
    hint: 'the request does not match the contract (a consumer pact or a request the suite sent)',
    run: ({ operation: op, request, schemas }) => schemas.validateRequest(op.operationId, request),
  },
  negative_data_rejection: {
    name: 'negative_data_rejection', kind: 'stateful', stateful: true,
    rule: 'A request the contract\'s validation rejects is refused with a 4xx, never answered 2xx.',
    source: 'Schemathesis docs/reference/checks.md (negative_data_rejection)',
    hint: 'the provider accepted a request its own contract rejects',
    run(_history, current) {
      if (current.requestValid || !is2xx(current.status)) return [];
      return [{
        check: 'negative_data_rejection', severity: 'error', rule: `${current.operationId} request`, pointer: 'status',
        expected: 'a 4xx refusal of a request the contract rejects', actual: `${current.status} (${current.method} ${current.path})`,
      }];
    },
  },
  ignored_auth: {
    name: 'ignored_auth', kind: 'stateful', stateful: true,
    rule: 'An operation the contract secures refuses a request without credentials or with malformed ones (RFC 6750 §3.1: "invalid_request … 400", "invalid_token … 401").',
    source: 'the contract\'s security requirements (the catalogue\'s `secured`); RFC 6750 §3.1; Schemathesis (ignored_auth)',
    hint: 'the provider answered a secured operation without checking credentials',
    run(_history, current, { operation }) {
      if (!is2xx(current.status) || !operation(current.operationId)?.secured) return [];
      if (current.sentAuthorization !== 'none' && current.sentAuthorization !== 'malformed') return [];
      return [{
        check: 'ignored_auth', severity: 'error', rule: `${current.operationId} security`, pointer: 'header:Authorization',
        expected: 'a 4xx refusal: the contract requires credentials for this operation',
        actual: `${current.status} to a request ${current.sentAuthorization === 'none' ? 'without an Authorization header' : 'with a malformed Authorization header'}`,
      }];
    },
  },
  use_after_free: {
    name: 'use_after_free', kind: 'stateful', stateful: true,
    rule: 'After a consent is revoked (get-started step 5: "a 204 No Content response means the consent was successfully revoked"), no debt lookup for it is answered 2xx. Its status may still answer 200 with active: false.',
    source: 'get-started step 5; the Debt API\'s 403 "invalid consent"; Schemathesis (use_after_free)',
    hint: 'the provider served debt for a consent it had revoked',
    run(history, current, { operation }) {
      if (!is2xx(current.status)) return [];
      const id = useAfterRevoke.lookedUp(operation(current.operationId), current.path);
      if (id === undefined) return [];
      const revoked = history.find((e) => useAfterRevoke.revoked(operation(e.operationId), e.path, e.status) === id);
      if (!revoked) return [];
      return [{
        check: 'use_after_free', severity: 'error', rule: `${current.operationId} after ${revoked.operationId} ${revoked.status}`, pointer: 'status',
        expected: `a refusal (403 invalid consent): consent ${id} was revoked by ${revoked.method} ${revoked.path}`,
        actual: `${current.status}`,
      }];
    },
  },
};

const off = (name: CheckName, checksOff: readonly CheckName[] | undefined): boolean => checksOff?.includes(name) ?? false;

/** The response checks that are on, run over one response of an operation. */
export function responseFindings(
  operation: CatalogueOperation,
  response: ResponseToCheck,
  options: { schemas: SchemaSource; rfcMusts?: ContractFinding['severity']; checksOff?: readonly CheckName[] },
): ContractFinding[] {
  const findings: ContractFinding[] = [];
  for (const check of Object.values(checks)) {
    if (check.kind !== 'response' || off(check.name, options.checksOff)) continue;
    findings.push(...check.run({ operation, response, schemas: options.schemas, rfcMusts: options.rfcMusts }));
  }
  return findings;
}

/** The stateful checks that are on, for the exchange just made; `history` holds the exchanges before it, oldest first. */
export function statefulFindings(
  history: readonly CheckedExchange[],
  current: CheckedExchange,
  options: StatefulCheckContext & { checksOff?: readonly CheckName[] },
): ContractFinding[] {
  const findings: ContractFinding[] = [];
  for (const check of Object.values(checks)) {
    if (check.kind !== 'stateful' || off(check.name, options.checksOff)) continue;
    findings.push(...check.run(history, current, options));
  }
  return findings;
}

/** Drops the findings of checks switched off (for findings made outside the registry's runners, e.g. a body that is not JSON). */
export const withoutChecksOff = (findings: ContractFinding[], checksOff: readonly CheckName[] | undefined): ContractFinding[] =>
  checksOff?.length ? findings.filter((f) => !checksOff.includes(f.check)) : findings;

/** What an Authorization header holds, as the checks need it: nothing, a credential of a scheme, or junk. */
export function classifyAuthorization(header: string | null | undefined): SentAuthorization {
  if (header === undefined || header === null || header.trim() === '') return 'none';
  if (/^Bearer [A-Za-z0-9\-._~+/]+=*$/i.test(header.trim())) return 'bearer'; // RFC 6750 §2.1 b64token
  const basic = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (basic && Buffer.from(basic[1]!, 'base64').toString('utf8').includes(':')) return 'basic'; // RFC 7617 user-id ":" password
  return 'malformed';
}

/** The contract's request validation as a verdict: no error finding (warnings, such as unlisted properties, pass). */
export function requestPassesContract(schemas: Pick<SchemaSource, 'validateRequest'>, operationId: string, request: RequestToCheck): boolean {
  return schemas.validateRequest(operationId, request).every((f) => f.severity !== 'error');
}

// --- switching checks off by name -------------------------------------------------------------

/** A check name the registry does not know, with the closest one. */
export class UnknownCheckName extends Error {
  constructor(readonly unknown: string, source: string) {
    const near = closest(unknown, [...checkNames]);
    const close = near !== undefined && distance(unknown, near) <= Math.max(3, Math.floor(unknown.length / 3));
    super(`${source}: unknown check "${unknown}"${close ? `; did you mean ${near}?` : ''} (\`nogi-conformance checks\` lists them)`);
    this.name = 'UnknownCheckName';
  }
}

const isCheckName = (name: string): name is CheckName => (checkNames as readonly string[]).includes(name);

/** `content_type_conformance,feed_invariants` (commas or spaces) as check names; UnknownCheckName for a name the registry lacks. */
export function parseChecksOff(text: string | undefined, source = 'NOGI_CHECKS_OFF'): CheckName[] {
  const names = (text ?? '').split(/[\s,]+/).map((n) => n.trim()).filter(Boolean);
  for (const name of names) if (!isCheckName(name)) throw new UnknownCheckName(name, source);
  return [...new Set(names as CheckName[])];
}

/** The checks this process runs with switched off: NOGI_CHECKS_OFF (the CLI's --checks-off sets it). */
export const checksOffFromEnvironment = (env: NodeJS.ProcessEnv = process.env): CheckName[] => parseChecksOff(env.NOGI_CHECKS_OFF);

/**
 * The annotation every test of a run carries for each check switched off (fixtures/nogi.ts): the
 * reports (gate.md, onboarding.md, the health summary, certificates) read it from the run's results.
 */
export const CHECK_OFF_ANNOTATION = 'check switched off';

/** How a switched-off check reads in a report: its name and its rule. */
export const describeCheckOff = (name: CheckName): string => `${name}: ${checks[name].rule}`;

/** The checks a run's annotations say were switched off, in registry order. */
export function checksOffIn(annotations: ReadonlyArray<{ type: string; description?: string }>): CheckName[] {
  const named = new Set(annotations.filter((a) => a.type === CHECK_OFF_ANNOTATION).map((a) => /^[a-z_]+/.exec(a.description ?? '')?.[0] ?? ''));
  return checkNames.filter((n) => named.has(n));
}
