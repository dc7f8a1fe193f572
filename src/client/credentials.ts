/**
 * Client authentication at the token endpoint, in one place: `client_secret_basic`
 * (RFC 6749 §2.3.1: client id and secret each form-urlencoded, then Base64 of `id:secret`),
 * which reference/consent/token-endpoint.md requires. Form bodies are encoded here too.
 */
import { registerSecret } from '../reporting/redact.ts';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** A callback URI registered for this client (regular consent). */
  redirectUri?: string;
}

/** application/x-www-form-urlencoded as RFC 6749 Appendix B (space as +). */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

export function basicAuthorization(client: ClientCredentials): string {
  registerSecret(client.clientSecret);
  return `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`).toString('base64')}`;
}

/** A form body in the order the fields are given (Pact compares bodies byte for byte). */
export const formBody = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
