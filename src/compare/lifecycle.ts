/**
 * The lifecycle subset `compare` runs on each side, through the one client: the integrated
 * consent flow (client credentials only, no browser), with the refusals a partner meets on the way
 * (a wrong secret, no token, a revoked consent). The same steps in the same order on both sides,
 * so that the exchanges pair step by step. Values that depend on earlier answers (the consent id,
 * sequence numbers) come from that side's own answers.
 */
import { randomUUID } from 'node:crypto';
import { NoGiClient, type ClientCredentials, type Endpoints, type Exchange } from '../client/nogi-client.ts';
import type { Transport } from '../client/transport.ts';
import type { Audiences } from '../config/target.ts';
import { getCatalogue } from '../contract/catalogue.ts';

export interface CompareSide {
  /** How the report names the side: "simulator", "preprod", "custom". */
  label: string;
  endpoints: Endpoints;
  client: ClientCredentials;
  audiences: Audiences;
  /** A TestID person with debt on this side. */
  nin: string;
  transport: Transport;
  /** Sees every exchange of this side (persona recording). */
  onExchange?: (exchange: Exchange) => void;
}

export interface StepRecord {
  step: string;
  exchanges: Exchange[];
  /** The step could not run (a network failure). */
  error?: string;
}

const bodyField = (e: Exchange | undefined, key: string): unknown =>
  e?.body && typeof e.body === 'object' && !Array.isArray(e.body) ? (e.body as Record<string, unknown>)[key] : undefined;

/** Runs the subset against one side; never throws on an answer, only records it. */
export async function runCompareLifecycle(side: CompareSide, debtScope?: string): Promise<StepRecord[]> {
  const catalogue = await getCatalogue();
  const steps: StepRecord[] = [];
  let current: StepRecord | undefined;
  const nogi = new NoGiClient(side.transport, side.endpoints, {
    onExchange: (exchange) => {
      current?.exchanges.push(exchange);
      side.onExchange?.(exchange);
    },
  });
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    current = { step: name, exchanges: [] };
    steps.push(current);
    try {
      return await run();
    } catch (error) {
      current.error = (error as Error).message;
      return undefined;
    } finally {
      current = undefined;
    }
  };
  const scopeOf = (service: 'agreement' | 'feed' | 'debt'): string => (service === 'debt' && debtScope) || catalogue.service(service).scopes[0]!;
  const token = async (service: 'agreement' | 'feed' | 'debt'): Promise<string> => {
    const r = await nogi.clientCredentialsToken(side.client, side.audiences[service], scopeOf(service));
    return typeof r.data?.access_token === 'string' ? r.data.access_token : 'no-token';
  };

  const discovery = await step('Discovery document', () => nogi.discovery());
  await step('JWKS', () => nogi.jwks(typeof bodyField(discovery, 'jwks_uri') === 'string' ? (bodyField(discovery, 'jwks_uri') as string) : undefined));
  await step('Token with a wrong client secret', () =>
    nogi.clientCredentialsToken({ clientId: side.client.clientId, clientSecret: `wrong-${randomUUID()}` }, side.audiences.agreement, scopeOf('agreement')));
  const consentToken = await step('Token for the consent API', () => token('agreement'));
  const registration = { nin: side.nin, scope_of_consent: scopeOf('debt'), consent_duration_days: 30, client_consent_id: `nogi-compare-${randomUUID()}` };
  const registered = await step('Register a consent', () => nogi.registerAgreement(consentToken ?? 'no-token', registration));
  const consent = bodyField(registered, 'consent');
  const consentId = consent && typeof consent === 'object' && typeof (consent as { id?: unknown }).id === 'string' ? (consent as { id: string }).id : randomUUID();
  await step('Register a consent without a token', () => nogi.call('createConsent', { body: registration }));
  const debtToken = (await step('Token for the debt API', () => token('debt'))) ?? 'no-token';
  await step('Look up debt with the consent', () => nogi.getDebtByConsentId(debtToken, consentId));
  await step('Look up debt without a token', () => nogi.call('getDebtWithConsentID', { params: { id: consentId } }));
  await step('Consent status: active', () => nogi.getConsentStatus(debtToken, consentId));
  await step('Revoke the consent', () => nogi.revokeConsent(debtToken, consentId));
  await step('Consent status after revoke', () => nogi.getConsentStatus(debtToken, consentId));
  await step('Look up debt after revoke', () => nogi.getDebtByConsentId(debtToken, consentId));
  const feedToken = (await step('Token for the feed', () => token('feed'))) ?? 'no-token';
  const last = await step('Feed: last sequence number', () => nogi.lastSequenceNr(feedToken));
  await step('Feed: first sequence number', () => nogi.firstSequenceNr(feedToken));
  const lastNr = Number(bodyField(last, 'lastSequenceNr') ?? 0);
  await step('Feed: the latest events', () => nogi.feed(feedToken, Math.max(0, (Number.isFinite(lastNr) ? lastNr : 0) - 4), 5));
  return steps;
}
