/**
 * Explicit example values for every matcher, so generating the pacts twice gives byte-identical
 * files (uuid(), datetime() and friends would otherwise invent a new example each run). The NINs
 * are the synthetic TestID people of get-started/index.md.
 */
import { audiencesFor, preprod } from '../config/target.ts';
import { getCatalogue } from '../contract/catalogue.ts';

export const EX = {
  nin: '14842249091',
  otherNin: '29868099311',
  /** Fails the NIN checksum: the 400 case. */
  invalidNin: '14842249092',
  consentId: '0dcec3d5-6844-4d2c-b972-83086064b111',
  clientConsentId: 'pact-client-consent-0001',
  clientId: 'a1e533a5-6311-40c6-9db0-93fe37baab14',
  eventId: 'a132b02b-f543-4e35-9f46-60ba598da886',
  expiresAt: '2025-08-26T00:00:00Z',
  timestamp: '2024-05-16T14:50:44.27Z',
  // After timestamp: no event is stamped after the page that carries it (feed_invariants).
  generatedAt: '2024-05-16T14:51:02.123Z',
  expEpoch: 1785312537,
  /** Stand-ins for tokens; the verifier never replays them (it gets fresh ones). */
  bearer: 'pact-example-access-token',
  authCodeBearer: 'pact-example-authorization-code-token',
  basic: 'Basic cGFjdC1jbGllbnQtaWQ6cGFjdC1jbGllbnQtc2VjcmV0',
  code: 'pact-example-authorization-code',
  redirectUri: 'http://127.0.0.1:65010/callback',
  clientIdForForm: 'pact-client-id',
  accessToken: 'pact-example-issued-access-token',
} as const;

/** reference/index.md: the preprod audiences, which the simulator also accepts. */
export const AUDIENCE = audiencesFor(await getCatalogue(), preprod.apiBaseUrl);

export const ISO_DATETIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$";
export const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
