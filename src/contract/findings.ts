/**
 * What a check reads and what it reports: the shapes every module of the contract layer shares
 * (the validator, the checks, the invariants), in a module that imports nothing, so that none of
 * them imports another for its types.
 */

/**
 * Every check, by the name its findings carry (Schemathesis' names where it has the check,
 * docs/reference/checks.md). The registry (src/contract/checks.ts) holds one unit per name.
 */
export const checkNames = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'request_schema_conformance',
  'negative_data_rejection',
  'ignored_auth',
  'use_after_free',
  'feed_invariants',
  'token_response_invariants',
  'problem_details_invariants',
] as const;

export type CheckName = (typeof checkNames)[number];

export interface ContractFinding {
  check: CheckName;
  severity: 'error' | 'warning';
  /** The operation and the contract rule, e.g. `getDebtWithConsentID 200 application/json #/required`. */
  rule: string;
  /** JSON pointer into the body (or `status`, `content-type`, `header:Location`). */
  pointer: string;
  expected: string;
  actual: string;
  /** The schema's own description of the failing element, when it has one. */
  description?: string;
}

export interface ResponseToCheck {
  status: number;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the raw text; undefined when empty. */
  body?: unknown;
  /** The request it answers, for invariants that relate the two (feed `limit`, token `scope`); rules needing it are skipped without it. */
  request?: RequestToCheck;
}

export interface RequestToCheck {
  query?: Record<string, string>;
  headers?: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

export interface InvariantOptions {
  /**
   * The severity of the RFC 6749 MUSTs the OAuth contract adopts (`rfcMustRules`): `warning` by
   * default (a partner's onboarding: not the partner's fault), `error` in the release gate's strict
   * profile (NOGI_STRICT, `gate --strict`), where a provider that breaks them must not ship.
   */
  rfcMusts?: ContractFinding['severity'];
}
