/**
 * The judge: a client's recording (recorder.ts) against named rules. Each rule says where it
 * comes from, its verdict (pass, fail, or not exercised when the recording gives it nothing to
 * judge), the exchanges that are its evidence, and the fix. One cause gives one finding: a debt
 * lookup after the client's own revoke fails "no use after revoke", not also "no retry".
 */
import { consentIdIn, useAfterRevoke, type Catalogue, type CatalogueOperation, type ServiceName } from '../contract/catalogue.ts';
import { scoreOf, type Score, type Verdict } from '../certificate/document.ts';
import type { RecordedExchange } from './recorder.ts';

export interface Evidence {
  seq: number;
  line: string;
}

export interface RuleResult {
  id: string;
  name: string;
  /** The provider documentation or standard the rule comes from. */
  docs: string;
  verdict: Verdict;
  /** Why, in one line (what was judged, or why nothing could be). */
  summary: string;
  evidence: Evidence[];
  fix: string;
}

export interface JudgeInput {
  clientId: string;
  exchanges: readonly RecordedExchange[];
  catalogue: Catalogue;
  /** Accepted token audiences and the service each names (the simulator's audience table). */
  audiences: ReadonlyMap<string, ServiceName>;
  /** errorReferences the partner's logs kept (client-report --error-reference), to show they are kept for support. */
  errorReferences?: readonly string[];
}

export interface Judgement {
  clientId: string;
  exchanges: number;
  rules: RuleResult[];
  score: Score;
}

/** The sandbox's documented call-rate budget: requests per client in any window of this many ms. */
export const CALL_BUDGET = { requests: 50, windowMs: 10_000 } as const;
/** The least wait before retrying a 500 or 503 that counts as backing off. */
const MIN_BACKOFF_MS = 200;
/** A new token for the same audience and scope while the last has this long left is waste. */
const TOKEN_REUSE_MARGIN_MS = 60_000;

const describeExchange = (e: RecordedExchange): string => {
  const query = Object.keys(e.query).length ? `?${new URLSearchParams(e.query).toString()}` : '';
  return e.note ? `#${e.seq} sandbox: ${e.note}` : `#${e.seq} ${e.method} ${e.path}${query} → ${e.response.status}`;
};
const evidence = (e: RecordedExchange, why?: string): Evidence => ({ seq: e.seq, line: why ? `${describeExchange(e)}: ${why}` : describeExchange(e) });

interface RuleSpec {
  id: string;
  name: string;
  docs: string;
  fix: string;
  /** Undefined: not exercised (with the reason); else the evidence of failure (empty: pass) and what was judged. */
  judge(x: Context): { judged: string; failures: Evidence[] } | { notExercised: string };
}

interface Context extends JudgeInput {
  api: RecordedExchange[];
  op(e: RecordedExchange): CatalogueOperation | undefined;
  /** The consent id in an operation's path (`/v1/debt/{id}`), if it has one. */
  consentId(e: RecordedExchange): string | undefined;
}

const lenientFields = (e: RecordedExchange): string[] => (e.response.leniency ?? '').split(';').map((n) => n.split(':')[0]!.trim()).filter(Boolean);
const onLenientField = (pointer: string, fields: string[]): boolean => fields.some((f) => pointer.split('/').includes(f) || pointer.endsWith(`:${f}`));
const errorBody = (e: RecordedExchange): { error?: string; error_description?: string } => (e.response.body ?? {}) as { error?: string; error_description?: string };
const ok = (e: RecordedExchange) => e.response.status >= 200 && e.response.status < 300;
/** Whether two requests sent the same body: by their digests when either was recorded in part (recorder.ts bound). */
const sameRequestBody = (a: RecordedExchange, b: RecordedExchange): boolean => (a.request.bodyTruncated || b.request.bodyTruncated
  ? a.request.bodyTruncated?.sha256 !== undefined && a.request.bodyTruncated.sha256 === b.request.bodyTruncated?.sha256
  : JSON.stringify(a.request.body) === JSON.stringify(b.request.body));
const form = (e: RecordedExchange): Record<string, unknown> => (e.request.body && typeof e.request.body === 'object' ? (e.request.body as Record<string, unknown>) : {});

/** The consents a client knows to be dead, with the exchange it learnt it from: its own revoke, or the feed's SAMTYKKE_ARKIVERT. */
function deadConsents(x: Context): Map<string, RecordedExchange> {
  const dead = new Map<string, RecordedExchange>();
  for (const e of x.api) {
    // The revoke, as the check use_after_free reads it (the catalogue's revokesConsent).
    const id = useAfterRevoke.revoked(x.op(e), e.path, e.response.status);
    if (id && !dead.has(id)) dead.set(id, e);
    if (x.op(e)?.operationId === 'feed' && ok(e)) {
      for (const ev of ((e.response.body as { result?: Array<{ eventType?: string; consentId?: string }> } | undefined)?.result ?? [])) {
        if (ev.eventType === 'SAMTYKKE_ARKIVERT' && ev.consentId && !dead.has(ev.consentId)) dead.set(ev.consentId, e);
      }
    }
  }
  return dead;
}

/** Each registered consent's expires_at (sandbox clock), from the agreement answers. */
function consentExpiries(x: Context): Map<string, { at: number; seq: number }> {
  const out = new Map<string, { at: number; seq: number }>();
  for (const e of x.api) {
    if (x.op(e)?.operationId !== 'createConsent' || !ok(e)) continue;
    const consent = (e.response.body as { consent?: { id?: string; expires_at?: string } } | undefined)?.consent;
    const at = Date.parse(consent?.expires_at ?? '');
    if (consent?.id && Number.isFinite(at)) out.set(consent.id, { at, seq: e.seq });
  }
  return out;
}

const rules: RuleSpec[] = [
  {
    id: 'request-contract',
    name: 'Requests follow the contract',
    docs: 'contracts/versions/<version>/openapi.json + its errata.overlay.yaml (request schemas and parameters)',
    fix: 'Build each request from the contract: required fields and parameters present, each of its documented type and format.',
    judge(x) {
      if (!x.api.length) return { notExercised: 'no request on the API host' };
      const failures = x.api.flatMap((e) => {
        const fields = lenientFields(e);
        const errors = (e.request.findings ?? []).filter((f) => f.severity === 'error' && !onLenientField(f.pointer, fields));
        return errors.length ? [evidence(e, errors.map((f) => `${f.pointer}: expected ${f.expected}, got ${f.actual}`).join('; '))] : [];
      });
      return { judged: `${x.api.length} API requests`, failures };
    },
  },
  {
    id: 'no-leniency',
    name: 'No reliance on the provider\'s leniency (numeric strings, unknown fields)',
    docs: 'README "The simulator": X-NoGi-Leniency; the contract lists every body field and its type',
    fix: 'Send integers as JSON numbers (e.g. "consent_duration_days": 30, not "30") and only the fields the contract lists; a stricter provider release will refuse the rest.',
    judge(x) {
      if (!x.api.length) return { notExercised: 'no request on the API host' };
      const failures = x.api.flatMap((e) => {
        const unknown = (e.request.findings ?? []).filter((f) => f.severity === 'warning');
        const notes = [e.response.leniency, ...unknown.map((f) => `${f.pointer}: not in the contract`)].filter(Boolean);
        return notes.length ? [evidence(e, notes.join('; '))] : [];
      });
      return { judged: `${x.api.length} API requests`, failures };
    },
  },
  {
    id: 'token-client-auth',
    name: 'Token requests: client_secret_basic with a form body',
    docs: 'reference/consent/openid-configuration.md (token_endpoint_auth_methods_supported: client_secret_basic); RFC 6749 §2.3.1, §4.4.2',
    fix: 'POST /oauth2/token with Content-Type application/x-www-form-urlencoded, the client id and secret in an HTTP Basic Authorization header (each form-encoded first), never in the body.',
    judge(x) {
      const tokens = x.exchanges.filter((e) => e.operationId === 'token');
      if (!tokens.length) return { notExercised: 'no token request' };
      const failures = tokens.flatMap((e) => {
        const why = [
          e.request.auth !== 'basic' ? `authenticated with ${e.request.auth === 'none' ? 'no Authorization header' : `an ${e.request.auth} header`}` : '',
          !/^application\/x-www-form-urlencoded\b/i.test(e.request.contentType ?? '') ? `body sent as ${e.request.contentType ?? '(no content type)'}` : '',
          e.request.secretInBody ? 'client_secret in the body' : '',
        ].filter(Boolean);
        return why.length ? [evidence(e, why.join('; '))] : [];
      });
      return { judged: `${tokens.length} token requests`, failures };
    },
  },
  {
    id: 'audience-and-scope',
    name: 'The right audience and scope for each operation',
    docs: 'reference/index.md (audiences per API); the contract\'s security requirements (scopes per operation)',
    fix: 'Ask for a token per API: audience = the API base URL + the service path (agreement, debt, feed), with the scope the operation documents.',
    judge(x) {
      const judged = x.api.filter((e) => e.request.token?.grant === 'client_credentials' && x.op(e)?.service);
      if (!judged.length) return { notExercised: 'no API call with a client-credentials token' };
      const failures = judged.flatMap((e) => {
        const op = x.op(e)!;
        const t = e.request.token!;
        const service = x.audiences.get(t.audience);
        const why = [
          service !== op.service ? `token audience ${t.audience} (${service ?? 'no NoGi API'}), needs the ${op.service} API's` : '',
          op.scopes.length && !t.scopes.some((s) => op.scopes.includes(s)) ? `token scope ${t.scopes.join(' ') || '(none)'}, needs one of ${op.scopes.join(', ')}` : '',
        ].filter(Boolean);
        return why.length ? [evidence(e, why.join('; '))] : [];
      });
      return { judged: `${judged.length} API calls`, failures };
    },
  },
  {
    id: 'token-reuse',
    name: 'Tokens reused until they expire, and not after',
    docs: 'RFC 6749 §4.4.3, §5.1 (expires_in); reference/index.md',
    fix: 'Cache the access token per audience and scope, and ask for a new one only shortly before expires_in runs out (or after a 401/403 for an expired token).',
    judge(x) {
      const issued = x.exchanges.filter((e) => e.operationId === 'token' && ok(e) && form(e).grant_type === 'client_credentials' && e.response.issued);
      if (!issued.length) return { notExercised: 'no client-credentials token issued' };
      const held = new Map<string, number>();
      const failures: Evidence[] = [];
      for (const e of issued) {
        const key = `${String(form(e).audience ?? '')} ${String(form(e).scope ?? '').split(/\s+/).sort().join(' ')}`;
        const expiresAt = held.get(key);
        if (expiresAt !== undefined && e.simAt < expiresAt - TOKEN_REUSE_MARGIN_MS) {
          failures.push(evidence(e, `a new token while the last one for ${key.trim()} was valid for ${Math.round((expiresAt - e.simAt) / 1000)} s more`));
        }
        held.set(key, e.simAt + e.response.issued!.expiresIn * 1000);
      }
      // The other half: a token kept past its expires_in (the scenario tokens-expire-in-seconds shows it).
      for (const e of x.api) {
        const t = e.request.token;
        if (t && t.expiresAt <= e.simAt) failures.push(evidence(e, `token used ${Math.ceil((e.simAt - t.expiresAt) / 1000)} s after it expired: expires_in was ignored`));
      }
      return { judged: `${issued.length} tokens issued`, failures };
    },
  },
  {
    id: 'no-use-after-revoke',
    name: 'No debt lookups for a consent after its revoke or expiry',
    docs: 'reference/consent/consent-feed.md (SAMTYKKE_ARKIVERT); explanation/consume-events-feed.md; the agreement answer\'s consent.expires_at',
    fix: 'Mark a consent dead when you revoke it, when the feed delivers SAMTYKKE_ARKIVERT for it, or when its expires_at has passed, and stop asking for its debt.',
    judge(x) {
      const dead = deadConsents(x);
      const expiry = consentExpiries(x);
      if (!dead.size && !expiry.size) return { notExercised: 'no consent registered, revoked by the client, or archived on a feed page it read' };
      const failures = x.api.flatMap((e) => {
        const id = useAfterRevoke.lookedUp(x.op(e), e.path);
        if (id === undefined) return [];
        const since = dead.get(id);
        if (since && e.seq > since.seq) return [evidence(e, `consent ${id} was known dead since #${since.seq}`)];
        const expired = expiry.get(id);
        return expired !== undefined && e.simAt >= expired.at ? [evidence(e, `consent ${id} expired at ${new Date(expired.at).toISOString()} (expires_at in #${expired.seq})`)] : [];
      });
      // A feed page too large to keep even its archived events whole: those it lost are not judged.
      const partial = x.api.filter((e) => x.op(e)?.operationId === 'feed' && e.response.bodyTruncated?.partial).length;
      return { judged: `${dead.size} revoked or archived consents, ${expiry.size} with a known expiry${partial ? ` (${partial} feed pages recorded in part: consents archived on them beyond what was kept are not judged)` : ''}`, failures };
    },
  },
  {
    id: 'no-retry-invalid-consent',
    name: 'A 403 "invalid consent" is not retried',
    docs: 'contracts: the Debt API\'s 403 error (error "invalid consent")',
    fix: 'Treat 403 "invalid consent" as final for that consent: ask the person for a new consent instead of repeating the call.',
    judge(x) {
      const dead = deadConsents(x);
      const expiry = consentExpiries(x);
      // A consent the client knew to be dead is "no-use-after-revoke"'s finding, not this rule's.
      const knownDead = (e: RecordedExchange, id: string) => (dead.get(id)?.seq ?? Infinity) < e.seq || e.simAt >= (expiry.get(id)?.at ?? Infinity);
      const refusals = x.api.filter((e) => e.response.status === 403 && errorBody(e).error === 'invalid consent' && x.consentId(e) !== undefined && !knownDead(e, x.consentId(e)!));
      if (!refusals.length) return { notExercised: 'no 403 "invalid consent" answered' };
      const failures: Evidence[] = [];
      for (const r of refusals) {
        const again = x.api.find((e) => e.seq > r.seq && x.op(e)?.operationId === x.op(r)?.operationId && x.consentId(e) === x.consentId(r));
        if (again && !failures.some((f) => f.seq === again.seq)) failures.push(evidence(again, `repeats #${r.seq}, refused with 403 invalid consent (${errorBody(r).error_description ?? ''})`));
      }
      return { judged: `${refusals.length} refusals`, failures };
    },
  },
  {
    id: 'single-use-once',
    name: 'A single-use consent is fetched once',
    docs: 'explanation of consent durations: a consent without a duration is single-use',
    fix: 'Fetch the debt of a single-use consent once and keep the answer for the case at hand; a second lookup is refused.',
    judge(x) {
      const lookups = x.api.filter((e) => e.request.token?.singleUse && e.request.token.consentId);
      if (!lookups.length) return { notExercised: 'no debt lookup with a single-use consent' };
      const byConsent = new Map<string, RecordedExchange[]>();
      for (const e of lookups) byConsent.set(e.request.token!.consentId!, [...(byConsent.get(e.request.token!.consentId!) ?? []), e]);
      const failures: Evidence[] = [];
      for (const list of byConsent.values()) {
        const first = list.find(ok);
        if (first) for (const e of list.filter((l) => l.seq > first.seq)) failures.push(evidence(e, `fetched again after #${first.seq}`));
      }
      return { judged: `${byConsent.size} single-use consents`, failures };
    },
  },
  {
    id: 'feed-from-last-seen',
    name: 'The feed is polled from the last sequence number seen, gaps accepted',
    docs: 'reference/consent/consent-feed.md; explanation/consume-events-feed.md (sequence numbers increase, with gaps)',
    fix: 'Keep the highest sequenceNr you have processed and ask for fromSequenceNr = that + 1; never compute the next number from a count of events (numbers have gaps).',
    judge(x) {
      const polls = x.api.filter((e) => x.op(e)?.operationId === 'feed' && ok(e));
      let lastSeen: number | undefined;
      let judged = 0;
      const failures: Evidence[] = [];
      for (const e of polls) {
        const from = Number(e.query.fromSequenceNr);
        if (lastSeen !== undefined) {
          judged++;
          if (from !== lastSeen + 1) failures.push(evidence(e, `fromSequenceNr ${from} after sequence number ${lastSeen} was seen: ${from <= lastSeen ? 're-reads events already seen (next numbers counted, not read?)' : 'skips events'}; expected ${lastSeen + 1}`));
        }
        const seqs = ((e.response.body as { result?: Array<{ sequenceNr?: number }> } | undefined)?.result ?? []).map((r) => Number(r.sequenceNr)).filter(Number.isFinite);
        if (seqs.length) lastSeen = Math.max(lastSeen ?? 0, ...seqs);
      }
      if (!judged) return { notExercised: 'no feed poll after a page with events' };
      return { judged: `${judged} follow-up polls`, failures };
    },
  },
  {
    id: 'retry-5xx-with-backoff',
    name: '500 and 503 are retried with backoff',
    docs: 'the contract\'s 500/503 answers; the sandbox faults (POST /faults)',
    fix: `Retry a 500 or 503 after a wait (at least ${MIN_BACKOFF_MS} ms, growing with each attempt, with jitter), a bounded number of times.`,
    judge(x) {
      const errors = x.api.filter((e) => e.response.status === 500 || e.response.status === 503);
      if (!errors.length) return { notExercised: 'no 500 or 503 answered (play the scenario server-error-once)' };
      const failures: Evidence[] = [];
      let previousWait = 0;
      for (const e of errors) {
        const retry = x.api.find((r) => r.seq > e.seq && r.method === e.method && r.path === e.path);
        if (!retry) {
          failures.push(evidence(e, 'never retried'));
          continue;
        }
        const wait = retry.at - (e.doneAt ?? e.at);
        if (wait < MIN_BACKOFF_MS) failures.push(evidence(retry, `retried ${wait} ms after #${e.seq}: no backoff`));
        else if (previousWait && wait < previousWait && retry.response.status >= 500) failures.push(evidence(retry, `waited ${wait} ms, less than the ${previousWait} ms before`));
        previousWait = retry.response.status >= 500 ? wait : 0;
      }
      return { judged: `${errors.length} server errors`, failures };
    },
  },
  {
    id: 'call-rate-budget',
    name: `Call rate within the budget (${CALL_BUDGET.requests} requests in any ${CALL_BUDGET.windowMs / 1000} seconds)`,
    docs: 'the sandbox\'s documented call budget (src/grading/judge.ts CALL_BUDGET)',
    fix: 'Poll the feed on a timer, cache tokens and answers, and pace batch lookups.',
    judge(x) {
      const calls = x.exchanges.filter((e) => e.host !== 'sandbox');
      if (!calls.length) return { notExercised: 'no request' };
      const failures: Evidence[] = [];
      let start = 0;
      for (let i = 0; i < calls.length; i++) {
        while (calls[i]!.at - calls[start]!.at >= CALL_BUDGET.windowMs) start++;
        if (i - start + 1 > CALL_BUDGET.requests && !failures.length) failures.push(evidence(calls[i]!, `${i - start + 1} requests within ${CALL_BUDGET.windowMs / 1000} s (from #${calls[start]!.seq})`));
      }
      return { judged: `${calls.length} requests`, failures };
    },
  },
];

/** Whether an Accept header admits application/problem+json (no header admits anything; q=0 refuses). */
function acceptsProblemDetails(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [range, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) return false;
    return range === '*/*' || range === 'application/*' || range === 'application/problem+json';
  });
}

const isProblem = (e: RecordedExchange): boolean => e.response.status >= 400 && (e.response.contentType ?? '').toLowerCase().startsWith('application/problem+json');
const errorReferenceOf = (e: RecordedExchange): string | undefined => {
  const ref = (e.response.body as { errorReference?: unknown } | undefined)?.errorReference;
  return typeof ref === 'string' ? ref : undefined;
};

/**
 * The provider's current error format (3770c4e): the Agreement API answers errors as problem
 * details (application/problem+json) with an errorReference "used for support", not Spring's body.
 */
rules.push(
  {
    id: 'problem-details-accepted',
    name: 'Agreement errors as problem details are accepted (Accept admits application/problem+json)',
    docs: 'contracts/versions/3770c4e: every error of PUT /v1/consent/agreement is application/problem+json (RFC 9457)',
    fix: 'Send no Accept header, or one that admits application/problem+json (e.g. "application/json, application/problem+json"), and parse that content type as JSON.',
    judge(x) {
      const registrations = x.api.filter((e) => x.op(e)?.service === 'agreement');
      if (!registrations.length) return { notExercised: 'no request to the Agreement API' };
      const failures = registrations.filter((e) => !acceptsProblemDetails(e.request.accept)).map((e) => evidence(e, `Accept: ${e.request.accept} refuses application/problem+json`));
      return { judged: `${registrations.length} Agreement API requests`, failures };
    },
  },
  {
    id: 'no-spring-message',
    name: 'A problem-details error is read, not resent unchanged (no dependence on Spring\'s `message`)',
    docs: 'RFC 9457: `detail` and `title` carry what Spring\'s `message` and `error` did; a 4xx stays a 4xx until the request changes',
    fix: 'Read status, title and detail (and errorReference) from application/problem+json; do not look for Spring\'s message, and do not resend a refused registration unchanged.',
    judge(x) {
      const refused = x.api.filter((e) => x.op(e)?.service === 'agreement' && isProblem(e) && e.response.status < 500);
      if (!refused.length) return { notExercised: 'no problem-details 4xx from the Agreement API (scenario error-format-migration plays some)' };
      const failures: Evidence[] = [];
      for (const e of refused) {
        const next = x.api.find((n) => n.seq > e.seq && x.op(n)?.operationId === e.operationId);
        if (next && sameRequestBody(next, e)) failures.push(evidence(next, `the registration refused in #${e.seq} (${e.response.status}) sent again unchanged`));
      }
      return { judged: `${refused.length} problem-details refusals`, failures };
    },
  },
  {
    id: 'error-reference-kept',
    name: 'errorReference kept for support',
    docs: 'ProblemDetailWithErrorReference.errorReference: "Error reference used for support" (3770c4e)',
    fix: 'Log the errorReference of every problem-details error with the request it answered, and quote it to NoGi\'s support.',
    judge(x) {
      const issued = new Map<string, RecordedExchange>();
      for (const e of x.api) {
        const ref = errorReferenceOf(e);
        if (ref) issued.set(ref, e);
      }
      if (!issued.size) return { notExercised: 'the sandbox gave this client no errorReference (scenario error-format-migration plays some errors)' };
      const given = x.errorReferences ?? [];
      if (!given.length) return { notExercised: `${issued.size} errorReference(s) given to this client: show one your logs kept with client-report --error-reference <value>` };
      const failures = given.filter((ref) => !issued.has(ref)).map((ref) => ({ seq: 0, line: `${ref} is not an errorReference the sandbox gave this client` }));
      return { judged: `${given.length} errorReference(s) quoted, ${issued.size} issued`, failures };
    },
  },
);

export function judge(input: JudgeInput): Judgement {
  const exchanges = [...input.exchanges].sort((a, b) => a.seq - b.seq);
  const op = (e: RecordedExchange) => (e.operationId && input.catalogue.has(e.operationId) ? input.catalogue.operation(e.operationId) : undefined);
  const x: Context = {
    ...input,
    exchanges,
    api: exchanges.filter((e) => e.host === 'api'),
    op,
    consentId(e) {
      const o = op(e);
      return o ? consentIdIn(o, e.path) : undefined;
    },
  };
  const results: RuleResult[] = rules.map((rule) => {
    const outcome = rule.judge(x);
    const base = { id: rule.id, name: rule.name, docs: rule.docs, fix: rule.fix };
    if ('notExercised' in outcome) return { ...base, verdict: 'not exercised', summary: outcome.notExercised, evidence: [] };
    return { ...base, verdict: outcome.failures.length ? 'fail' : 'pass', summary: outcome.judged, evidence: outcome.failures };
  });
  return { clientId: input.clientId, exchanges: exchanges.filter((e) => e.host !== 'sandbox').length, rules: results, score: scoreOf(results.map((r) => ({ id: r.id, title: r.name, verdict: r.verdict }))) };
}
