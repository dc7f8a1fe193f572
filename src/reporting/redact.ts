/**
 * The one place that masks secrets, tokens and national identity numbers (NINs). Every log line,
 * attachment and report goes through `redact`, so a leak is fixed here once, for everything.
 */
import { idnr } from '@navikt/fnrvalidator';

const known = new Set<string>();
/** The shortest value registered as a secret. */
const SHORTEST = 6;
/**
 * `known` by its first SHORTEST characters, longest first under each: one pass over a text finds
 * every secret in it, however many a run has registered (thousands of tokens, in a worker that
 * runs simulators; redact runs for every log line and recorded exchange). Rebuilt on registration.
 */
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

/** Every registered secret in the text masked: the spans where any of them occurs, overlapping ones as one. */
function maskKnown(text: string): string {
  if (!byPrefix) {
    byPrefix = new Map();
    for (const secret of [...known].sort((a, b) => b.length - a.length)) {
      const prefix = secret.slice(0, SHORTEST);
      byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), secret]);
    }
  }
  let out = '';
  let copied = 0;
  let spanStart = -1;
  let spanEnd = -1;
  for (let i = 0; i + SHORTEST <= text.length; i++) {
    // Longest first: a secret's encoded form is masked whole, not left half-masked by the plain one.
    const secret = byPrefix.get(text.slice(i, i + SHORTEST))?.find((s) => text.startsWith(s, i));
    if (!secret) continue;
    if (i > spanEnd) {
      if (spanEnd >= 0) {
        out += `${text.slice(copied, spanStart)}[redacted]`;
        copied = spanEnd;
      }
      spanStart = i;
    }
    spanEnd = Math.max(spanEnd, i + secret.length);
  }
  if (spanEnd < 0) return text;
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
