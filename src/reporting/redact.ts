/**
 * The one place that masks secrets, tokens and national identity numbers (NINs). Every log line,
 * attachment and report goes through `redact`, so a leak is fixed here once, for everything.
 */
const known = new Set<string>();

/** Registers a value that must never appear in output (client secrets, tokens obtained at run time). */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 6) return;
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
const mask = (value: string): string => (value.length <= 8 ? '***' : `${value.slice(0, 4)}…[redacted]`);

const patterns: Array<[RegExp, (...m: string[]) => string]> = [
  // Authorization headers and bearer tokens in any text.
  [/\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{6,})/gi, (_, scheme, v) => `${scheme} ${mask(v!)}`],
  // JSON or form fields that hold credentials (a bare number is left alone: it is no credential,
  // and masking it would corrupt a JSON file).
  [/("?(?:access_token|id_token|refresh_token|client_secret|password|code|authorization)"?\s*[:=]\s*"?)(?![\d.]+(?:[,}\s]|$))([^"&\s,}]{6,})/gi, (_, k, v) => `${k}${mask(v!)}`],
  // Compact JWS anywhere (ID tokens).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, (v) => mask(v)],
  // Opaque two-part tokens as NoGi's access host issues them (`<43 chars>.<43 chars>`).
  [/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\b/g, (v) => mask(v)],
  // Eleven-digit NINs, not inside a longer number nor the fraction of a decimal (durations in
  // Playwright's JSON report): masking those would corrupt the numbers and the file.
  [/(?<![\d.])(\d{11})(?!\d)/g, (v) => maskNin(v)],
];

export function redact(text: string): string {
  registerEnvironmentSecrets();
  let out = text;
  // Longest first, so a secret's encoded form is not left half-replaced by the plain one.
  for (const secret of [...known].sort((a, b) => b.length - a.length)) out = out.split(secret).join('[redacted]');
  for (const [re, fn] of patterns) out = out.replace(re, fn as (substring: string, ...args: string[]) => string);
  return out;
}

/** Redacts any JSON-able value (headers, bodies) by redacting its text form. */
export function redactValue<T>(value: T): T {
  if (value === undefined) return value;
  return JSON.parse(redact(JSON.stringify(value))) as T;
}
