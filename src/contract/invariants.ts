/**
 * Invariants the provider's docs and RFC 6749 state about a response, beyond what a JSON Schema
 * can say: ordering, ranges against the request, headers, and pairings of status and body.
 * Pure functions over one exchange (the response, and the request where a rule needs it),
 * units of the check registry (src/contract/checks.ts: `feed_invariants`, `token_response_invariants`,
 * `problem_details_invariants`),
 * applied by validateResponse to every response of the operation they concern.
 *
 * Severity: `error` for what the docs (or the RFC, where our contract follows it) state firmly,
 * `warning` for what they only imply. Shape problems (a field of the wrong type) are the schema's
 * findings: an invariant skips a value of the wrong shape rather than report it twice.
 */
import type { ContractFinding, InvariantOptions, RequestToCheck, ResponseToCheck } from './findings.ts';

/**
 * The rules (as a finding's `rule` names them) that are RFC 6749 MUSTs the OAuth contract adopts:
 * errors in the strict profile, and in onboarding "provider findings" (never the client's fault).
 */
const rfcMustRules = ['RFC 6749 §5.1 Cache-Control', 'RFC 6749 §5.2 WWW-Authenticate', 'RFC 6749 §3.3 granted scope'] as const;

/** Whether a finding, or its formatted text (a 'contract warning' annotation), is one of `rfcMustRules`. */
export const isRfcMust = (finding: ContractFinding | string): boolean =>
  rfcMustRules.some((rule) => (typeof finding === 'string' ? finding : finding.rule).includes(rule));

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** A query or form value as an integer; undefined when absent or not an integer. */
function integerParam(source: Record<string, string> | undefined, name: string): number | undefined {
  const raw = source?.[name];
  return raw !== undefined && /^-?\d+$/.test(raw.trim()) ? Number(raw) : undefined;
}

/** The form of a token request: the parsed record the client sent, or its urlencoded text. */
function formOf(request: RequestToCheck | undefined): Record<string, string> | undefined {
  const body = request?.body;
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  if (isObject(body)) return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return undefined;
}

const header = (response: ResponseToCheck, name: string): string | undefined => {
  const headers = response.headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
};

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

// --- the Consents Feed API -----------------------------------------------------------------

const EVENT_BODY = {
  SAMTYKKE_OPPRETTET: 'samtykkeOpprettetEvent',
  SAMTYKKE_ARKIVERT: 'samtykkeArkivertEvent',
} as const;

/**
 * `GET /feed/v1/consent` (operationId `feed`), status 200. Sources:
 * - the operation's summary: "Returns the events from 'fromSequenceNr' (included), limited to
 *   'limit' nr of events";
 * - SamtykkeFeedResponseDTO: startSequenceNr "(included)", endSequenceNr "The last (included)
 *   sequence number for this response";
 * - explanation/consume-events-feed.md: "Sequence numbers increase and will never decrease";
 *   "poll until you have received the event that is indicated by the endSequenceNr property";
 * - the document's two feed examples: each event carries the body named after its eventType and
 *   null for the other;
 * - SamtykkeFeedEventDTO eventId "This events id": no two events of a page share one;
 * - SamtykkeFeedResponseDTO generatedAt "Timestamp for when this response was generated" and
 *   SamtykkeFeedEventDTO timestamp "When the event occurred": no event of a page is stamped after
 *   its generatedAt (an event cannot have occurred after the page that carries it was made).
 * Not checked here, as they need more than one response (specs/consent-feed.spec.ts checks them):
 * the event numbered fromSequenceNr is on the page ("from 'fromSequenceNr' (included)": is there
 * such an event?), eventIds unique across pages, firstSequenceNr the oldest event served, the nested
 * clientId the polling client's. Not checked at all: contiguity and time order (consent-feed.md:
 * neither is promised).
 */
export function feedInvariants(response: ResponseToCheck): ContractFinding[] {
  if (response.status !== 200 || !isObject(response.body) || !Array.isArray(response.body.result)) return [];
  const { startSequenceNr: start, endSequenceNr: end, generatedAt: generated, result } = response.body as { startSequenceNr?: unknown; endSequenceNr?: unknown; generatedAt?: unknown; result: unknown[] };
  const findings: ContractFinding[] = [];
  const found = (severity: ContractFinding['severity'], rule: string, pointer: string, expected: string, actual: string) =>
    findings.push({ check: 'feed_invariants', severity, rule: `feed 200 ${rule}`, pointer, expected, actual });

  const from = integerParam(response.request?.query, 'fromSequenceNr');
  const limit = integerParam(response.request?.query, 'limit');
  if (limit !== undefined && limit >= 0 && result.length > limit) {
    found('error', 'at most `limit` events (operation summary)', '/result', `at most ${limit} events (limit)`, `${result.length} events`);
  }

  const generatedAt = typeof generated === 'string' ? Date.parse(generated) : NaN;
  const eventIds = new Map<string, number>();
  let previous: number | undefined;
  result.forEach((event, i) => {
    if (!isObject(event)) return;
    const at = `/result/${i}`;
    if (typeof event.eventId === 'string') {
      const earlier = eventIds.get(event.eventId);
      if (earlier !== undefined) {
        found('error', 'each event\'s eventId is its own (SamtykkeFeedEventDTO eventId: "This events id")', `${at}/eventId`, `an id no other event has (/result/${earlier} has it)`, show(event.eventId));
      } else eventIds.set(event.eventId, i);
    }
    const stamped = typeof event.timestamp === 'string' ? Date.parse(event.timestamp) : NaN;
    if (!Number.isNaN(stamped) && !Number.isNaN(generatedAt) && stamped > generatedAt) {
      found('error', 'no event stamped after the page\'s generatedAt (SamtykkeFeedResponseDTO generatedAt: "when this response was generated")', `${at}/timestamp`,
        `at or before generatedAt ${String(generated)}`, show(event.timestamp));
    }
    const seq = event.sequenceNr;
    if (isInteger(seq)) {
      if (previous !== undefined && seq <= previous) {
        found('error', 'sequence numbers increase (consume-events-feed.md)', `${at}/sequenceNr`, `greater than ${previous}, the event before it`, String(seq));
      }
      previous = seq;
      if (from !== undefined && seq < from) {
        found('error', "events from 'fromSequenceNr' included (operation summary)", `${at}/sequenceNr`, `at least ${from} (fromSequenceNr)`, String(seq));
      }
      if (isInteger(start) && seq < start) {
        found('error', 'startSequenceNr is included (SamtykkeFeedResponseDTO)', `${at}/sequenceNr`, `at least ${start} (startSequenceNr)`, String(seq));
      }
      if (isInteger(end) && seq > end) {
        found('error', 'endSequenceNr is the last included (SamtykkeFeedResponseDTO)', `${at}/sequenceNr`, `at most ${end} (endSequenceNr)`, String(seq));
      }
    }
    const own = EVENT_BODY[event.eventType as keyof typeof EVENT_BODY] as string | undefined;
    if (!own) return; // an unknown eventType is the schema's finding
    const other = own === EVENT_BODY.SAMTYKKE_OPPRETTET ? EVENT_BODY.SAMTYKKE_ARKIVERT : EVENT_BODY.SAMTYKKE_OPPRETTET;
    if (!isObject(event[own])) {
      found('error', `a ${String(event.eventType)} event carries ${own} (the document's feed examples)`, `${at}/${own}`, `the ${own} body`, show(event[own]));
    }
    if (event[other] !== undefined && event[other] !== null) {
      found('warning', `a ${String(event.eventType)} event sends ${other} as null (the document's feed examples)`, `${at}/${other}`, 'null or absent', show(event[other]).slice(0, 80));
    }
  });

  // A page shorter than `limit` is the end of the feed: its last event must be endSequenceNr, or a
  // client that "polls until it has received endSequenceNr" polls for an event that never comes.
  const last = result.at(-1);
  if (limit !== undefined && result.length < limit && isObject(last) && isInteger(last.sequenceNr) && isInteger(end) && last.sequenceNr < end) {
    found('warning', 'a short page ends the feed at endSequenceNr (consume-events-feed.md)', '/endSequenceNr',
      `${last.sequenceNr}, the last event of a page shorter than limit ${limit}`, String(end));
  }
  return findings;
}

// --- the token endpoint (RFC 6749) ----------------------------------------------------------

/**
 * `POST /oauth2/token` (operationId `token`). token_type (case-insensitive "bearer") and
 * expires_in (a positive integer) are in the contract's TokenResponse schema, and `error` in
 * OAuthError's enum (RFC 6749 §5.2), so every response is already checked for them; this adds:
 * - 200: `Cache-Control: no-store` (RFC 6749 §5.1 "MUST");
 * - 200: `Pragma: no-cache` (RFC 6749 §5.1 too, but a warning in every profile: RFC 9111 §5.4
 *   deprecates Pragma, and OAuth 2.1 drops it);
 * - 200: the granted scope within the requested one (RFC 6749 §3.3 lets the server narrow the
 *   scope, "MAY fully or partially ignore", never widen it; token-endpoint.md's examples echo the request);
 * - 400 / 401: 401 is `invalid_client`, and `invalid_client` is 401 (our contract's two responses;
 *   RFC 6749 §5.2: a client that authenticated with the Authorization header, as token-endpoint.md
 *   requires, MUST get 401), with a WWW-Authenticate header (RFC 6749 §5.2 "MUST").
 * The three RFC MUSTs neither token-endpoint.md nor the contract's schemas declare (`rfcMustRules`)
 * are `options.rfcMusts`: warnings, errors in the strict profile.
 * Headers are checked only when the caller passed them.
 */
export function tokenResponseInvariants(response: ResponseToCheck, options: InvariantOptions = {}): ContractFinding[] {
  const must = options.rfcMusts ?? 'warning';
  const findings: ContractFinding[] = [];
  const found = (severity: ContractFinding['severity'], rule: string, pointer: string, expected: string, actual: string) =>
    findings.push({ check: 'token_response_invariants', severity, rule: `token ${response.status} ${rule}`, pointer, expected, actual });
  const headersGiven = response.headers !== undefined;
  const body = isObject(response.body) ? response.body : undefined;

  if (response.status === 200) {
    if (headersGiven) {
      const cacheControl = header(response, 'cache-control');
      if (!cacheControl?.toLowerCase().split(',').map((d) => d.trim()).includes('no-store')) {
        found(must, 'RFC 6749 §5.1 Cache-Control', 'header:Cache-Control', 'no-store', cacheControl ?? '(absent)');
      }
      const pragma = header(response, 'pragma');
      if (pragma?.toLowerCase().trim() !== 'no-cache') found('warning', 'RFC 6749 §5.1 Pragma', 'header:Pragma', 'no-cache', pragma ?? '(absent)');
    }
    const requested = formOf(response.request)?.scope;
    if (requested !== undefined && typeof body?.scope === 'string') {
      const asked = new Set(requested.split(' ').filter(Boolean));
      const extra = body.scope.split(' ').filter((s) => s && !asked.has(s));
      if (extra.length) found(must, 'RFC 6749 §3.3 granted scope', '/scope', `within the requested "${requested}"`, `"${body.scope}" (not requested: ${extra.join(' ')})`);
    }
  }

  if ((response.status === 400 || response.status === 401) && typeof body?.error === 'string') {
    if (response.status === 401 && body.error !== 'invalid_client') {
      found('error', 'RFC 6749 §5.2 401 is invalid_client', '/error', '"invalid_client" with status 401', show(body.error));
    }
    if (response.status === 400 && body.error === 'invalid_client') {
      found('error', 'RFC 6749 §5.2 invalid_client is 401 for Basic authentication', 'status', '401 for "invalid_client"', '400');
    }
  }
  if (response.status === 401 && headersGiven && header(response, 'www-authenticate') === undefined) {
    found(must, 'RFC 6749 §5.2 WWW-Authenticate', 'header:WWW-Authenticate', 'present (the Basic scheme)', '(absent)');
  }
  return findings;
}

// --- problem details (RFC 9457) -------------------------------------------------------------

/**
 * Any `application/problem+json` response (checks.ts gates on the media type), of any operation:
 * 3770c4e answers every error of the Agreement API with one (ProblemDetailWithErrorReference).
 * What the schema cannot say:
 * - a numeric `status` member equals the HTTP status. RFC 9457 §3.1.2: "The "status" member, if
 *   present, is only advisory; it conveys the HTTP status code used for the convenience of the
 *   consumer. Generators MUST use the same status code in the actual HTTP response, to assure
 *   that generic HTTP software that does not understand this format still behaves correctly."
 *   A consumer that reads `status` off the body (as a generated client's exception does) is
 *   told another status than the response has;
 * - a string `errorReference` holds more than whitespace: it is the provider's "Error reference
 *   used for support" (3770c4e, ProblemDetailWithErrorReference), and an empty one cannot be
 *   looked up. The schema has no minLength for it.
 * An absent member, or one of another type, is the schema's finding (errata S5 requires both;
 * RFC 9457 §3.1: a member of the wrong type "MUST be ignored"), never reported twice here.
 */
export function problemDetailsInvariants(response: ResponseToCheck, operationId: string): ContractFinding[] {
  if (!isObject(response.body)) return [];
  const { status, errorReference } = response.body;
  const findings: ContractFinding[] = [];
  const found = (rule: string, pointer: string, expected: string, actual: string) =>
    findings.push({ check: 'problem_details_invariants', severity: 'error', rule: `${operationId} ${response.status} ${rule}`, pointer, expected, actual });
  if (typeof status === 'number' && status !== response.status) {
    found('RFC 9457 §3.1.2 status', '/status', `${response.status}, the HTTP status of the response ("Generators MUST use the same status code in the actual HTTP response")`, show(status));
  }
  if (typeof errorReference === 'string' && errorReference.trim() === '') {
    found('errorReference "used for support"', '/errorReference', 'a non-empty string: the reference the provider\'s support looks the error up by', show(errorReference));
  }
  return findings;
}
