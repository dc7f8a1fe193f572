/**
 * The provider's rules, each with the page it comes from. Pure functions, unit-tested in
 * tests/simulator/rules.spec.ts.
 */
import { idnr } from '@navikt/fnrvalidator';
import { preprod } from '../contract/hosts.ts';
import type { Catalogue, ServiceName } from '../contract/catalogue.ts';
import type { ConsentScope, DebtScope } from '../contract/schemas.ts';

/**
 * reference/consent/scopes.md: max duration per scope, in days (higher values are clamped).
 * Keyed by the contract's DebtScope, so a scope the contract adds or drops fails to compile here.
 */
export const MAX_DAYS: Record<DebtScope, number> = {
  'debt.unsecured.presentation': 365,
  'debt.unsecured.processing': 28,
};
export const isDebtScope = (s: string): s is DebtScope => Object.hasOwn(MAX_DAYS, s);
/**
 * An integrated consent's maximum duration per scope. 3770c4e's `debt.unsecured.monitoring` has
 * none in the docs: the simulator's choice is presentation's 365 days (contracts/versions/3770c4e
 * errata header; the suite only warns on a different answer).
 */
export const MAX_CONSENT_DAYS: Record<ConsentScope, number> = { ...MAX_DAYS, 'debt.unsecured.monitoring': 365 };
/** scopes.md: "A default consent allows you to collect the debt info one time within 10 minutes." */
export const SINGLE_USE_SECONDS = 10 * 60;
/** token-endpoint.md examples. */
export const ACCESS_TOKEN_SECONDS = 3599;
/** Authorization codes are short-lived and single-use (RFC 6749 section 4.1.2). */
export const AUTH_CODE_SECONDS = 60;
/** consent-feed.md: "This log will show the last 7 days of events". */
export const FEED_RETENTION_SECONDS = 7 * 24 * 3600;

/** The audiences accepted: the preprod identifiers and the same paths on our own API base URL. */
export function audienceTable(catalogue: Catalogue, apiPublicUrl: string, extraBases: string[] = []): Map<string, ServiceName> {
  const table = new Map<string, ServiceName>();
  for (const base of [preprod.apiBaseUrl, apiPublicUrl.replace(/\/+$/, ''), ...extraBases]) {
    for (const service of catalogue.services.keys()) table.set(catalogue.audience(service, base), service);
  }
  return table;
}

export interface RequestedScope {
  scope: DebtScope;
  /** Days after clamping; undefined = single-use consent. */
  days?: number;
  /** The requested number before clamping. */
  requestedDays?: number;
  clamped: boolean;
  openid: boolean;
}

/**
 * auth-endpoint.md + scopes.md: one and only one debt scope, an optional `.N` day suffix, an
 * optional trailing `openid`. A number above the maximum is clamped, not refused. Returns an
 * error string for `invalid_scopes`.
 */
export function parseAuthScope(raw: string | undefined): RequestedScope | { error: string } {
  const parts = (raw ?? '').split(' ').filter((p) => p.length > 0);
  if (parts.length === 0) return { error: 'scope is required' };
  let openid = false;
  if (parts.includes('openid')) {
    if (parts.indexOf('openid') !== parts.length - 1 || parts.filter((p) => p === 'openid').length > 1) {
      return { error: 'openid must be the last scope' };
    }
    openid = true;
    parts.pop();
  }
  if (parts.length !== 1) return { error: 'exactly one debt scope is required' };
  const requested = parts[0]!;
  if (isDebtScope(requested)) return { scope: requested, clamped: false, openid };
  // A scope with a duration: `<debt scope>.<days>`.
  const m = /^(.+)\.(\d{1,9})$/.exec(requested);
  const scope = m?.[1];
  if (!m || scope === undefined || !isDebtScope(scope)) return { error: `unknown scope ${requested}` };
  const requestedDays = Number(m[2]);
  if (requestedDays < 1) return { error: 'the duration must be at least 1 day' };
  const days = Math.min(requestedDays, MAX_DAYS[scope]);
  return { scope, days, requestedDays, clamped: days !== requestedDays, openid };
}

/** NINs (fødselsnummer, D-nummer, TestID synthetic numbers) by @navikt/fnrvalidator. */
export const isValidNin = (nin: unknown): nin is string =>
  typeof nin === 'string' && /^\d{11}$/.test(nin) && idnr(nin).status === 'valid';
