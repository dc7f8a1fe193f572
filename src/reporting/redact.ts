/**
 * The one place that masks secrets, tokens and national identity numbers (NINs). Every log line,
 * attachment and report goes through `redact`, so a leak is fixed here once, for everything.
 */
import { idnr } from '@navikt/fnrvalidator';

const known = new Set<string>();
/** The shortest value registered as a secret. */
const SHORTEST = 6;
/**
 * Where registered secrets are looked for by `indexOf`, one each, up to this many; past it, by
 * `known` indexed on its first SHORTEST characters, in one pass over the text (a worker that runs
 * simulators registers thousands of tokens, and redacts every exchange they record).
 */
const SEARCHED_ONE_BY_ONE = 200;
let byPrefix: Map<string, string[]> | undefined;

/** Registers a value that must never appear in output (client secrets, tokens obtained at run time). */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < SHORTEST) return;
  byPrefix = undefined;
  known.add(value);
  // As it appears in a form body or a query string.
  const encoded = encodeURIComponent(value);
  if (encoded !== value) known.add(encoded);
  const formEncoded = encoded.replace(/%20/g, '+');
  if (formEncoded !== encoded) known.add(formEncoded);
}

/** Credentials named in the environment (.env included) are secrets wherever they turn up. */
const secretVariable = /^(NOGI|PACT)_.*(SECRET|PASSWORD|TOKEN)$/;
let environmentRegistered = false;
function registerEnvironmentSecrets(): void {
  if (environmentRegistered) return;
  environmentRegistered = true;
  for (const [key, value] of Object.entries(process.env)) if (secretVariable.test(key)) registerSecret(value);
}

/** A NIN shows its first digit and its last, enough to tell two test people apart. */
export const maskNin = (nin: string): string => `${nin.slice(0, 1)}*********${nin.slice(-1)}`;

/** A fødselsnummer, d-nummer or synthetic (TestID, Tenor) number: its date and both check digits hold. */
export const isNin = (digits: string): boolean => /^\d{11}$/.test(digits) && idnr(digits).status === 'valid';

/**
 * Eleven digits, optionally written `DDMMYY NNNNN` or `DDMMYY-NNNNN`, standing alone: not part of
 * a longer word, digit or hex run, nor a UUID group (`…-9e6-70476103765d`), nor either side of a
 * decimal point (durations, fractional seconds). A dot after a word (`person.14842249091`) is fine.
 */
const ninCandidate = /(?<![0-9A-Za-z_]|[0-9A-Fa-f]-|\d\.)(\d{6})([ -]?)(\d{5})(?![0-9A-Za-z_]|-[0-9A-Fa-f]|\.\d)/g;

function maskNins(text: string): string {
  // Only a valid checksum makes a NIN: sequence numbers, ids and counters keep their digits.
  return text.replace(ninCandidate, (match: string, birth: string, _separator: string, rest: string) =>
    isNin(birth + rest) ? maskNin(birth + rest) : match,
  );
}

const mask = (value: string): string => (value.length <= 8 ? '***' : `${value.slice(0, 4)}…[redacted]`);

const patterns: Array<[RegExp, (...m: string[]) => string]> = [
  // Authorization headers and bearer tokens in any text.
  [/\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{6,})/gi, (_, scheme, v) => `${scheme} ${mask(v!)}`],
  // JSON or form fields that hold credentials (a bare number is left alone: it is no credential,
  // and masking it would corrupt a JSON file). Two unquoted `key: word` are no credential: "code"
  // is also an English word ("exchange the code: access token and ID token" is a step's title), and
  // an Authorization header's first word is its scheme (the Bearer/Basic pattern above masks what
  // follows). Every other value is masked whatever it looks like.
  [
    /((?<![A-Za-z0-9_])("?)(access_token|id_token|refresh_token|client_secret|password|code|authorization)"?\s*([:=])\s*("?))(?![\d.]+(?:[,}\s]|$))([^"&\s,}]{6,})/gi,
    (field, k, keyQuote, key, separator, valueQuote, v) => {
      const unquotedWord = separator === ':' && !keyQuote && !valueQuote;
      const prose = key!.toLowerCase() === 'code' ? /^\p{L}+\p{P}?$/u.test(v!) : key!.toLowerCase() === 'authorization' && /^(Bearer|Basic)$/i.test(v!);
      return unquotedWord && prose ? field : `${k}${mask(v!)}`;
    },
  ],
  // Compact JWS anywhere (ID tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, (v) => mask(v)],
  // Opaque two-part tokens as NoGi's access host issues them (`<43 chars>.<43 chars>`).
  [/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\b/g, (v) => mask(v)],
];

/** Where registered secrets occur in the text: [start, end) of each occurrence, in no order. */
function secretSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  if (known.size <= SEARCHED_ONE_BY_ONE) {
    for (const secret of known) {
      for (let at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) spans.push([at, at + secret.length]);
    }
    return spans;
  }
  if (!byPrefix) {
    byPrefix = new Map();
    // Longest first under a prefix: a secret's encoded form is found whole where the plain one starts it.
    for (const secret of [...known].sort((a, b) => b.length - a.length)) {
      const prefix = secret.slice(0, SHORTEST);
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), secret]);
    }
  }
  for (let i = 0; i + SHORTEST <= text.length; i++) {
    const secret = byPrefix.get(text.slice(i, i + SHORTEST))?.find((s) => text.startsWith(s, i));
    if (secret) spans.push([i, i + secret.length]);
  }
  return spans;
}

/** Every registered secret in the text masked: spans that overlap or touch are masked as one, so nothing of either is left. */
function maskKnown(text: string): string {
  const spans = secretSpans(text).sort((a, b) => a[0] - b[0]);
  if (spans.length === 0) return text;
  let out = '';
  let copied = 0;
  let [spanStart, spanEnd] = spans[0]!;
  for (const [start, end] of spans.slice(1)) {
    if (start > spanEnd) {
      out += `${text.slice(copied, spanStart)}[redacted]`;
      copied = spanEnd;
      spanStart = start;
    }
    spanEnd = Math.max(spanEnd, end);
  }
  return `${out}${text.slice(copied, spanStart)}[redacted]${text.slice(spanEnd)}`;
}

export function redact(text: string): string {
  registerEnvironmentSecrets();
  let out = maskKnown(text);
  for (const [re, fn] of patterns) out = out.replace(re, fn as (substring: string, ...args: string[]) => string);
  return maskNins(out);
}

/**
 * Redacts any JSON-able value (headers, bodies) by redacting its text form, so credential fields
 * are recognised by their keys. A NIN sent as a bare number becomes a string first: masked in
 * place it would leave invalid JSON.
 */
export function redactValue<T>(value: T): T {
  if (value === undefined) return value;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && Number.isInteger(v) && isNin(String(v)) ? String(v) : v));
  return JSON.parse(redact(text)) as T;
}
