/**
 * What `compare` runs on each side, through the one client: the integrated consent lifecycle
 * (src/lifecycles/integrated-consent.ts, the description the gate asserts) without its feed poll
 * (a poll compares the sides' timing, not their answers), with the refusals a partner meets on the
 * way (a wrong secret, no token) and the discovery and feed reads around it. The same steps in the
 * same order on both sides, so that the exchanges pair step by step. Values that depend on earlier
 * answers (the consent id, sequence numbers) come from that side's own answers.
 */
import { randomUUID } from 'node:crypto';
import { NoGiClient, type ClientCredentials, type Endpoints, type Exchange } from '../client/nogi-client.ts';
import { TokenCache } from '../client/token-cache.ts';
import type { Transport } from '../client/transport.ts';
import type { Audiences } from '../config/target.ts';
import { getCatalogue } from '../contract/catalogue.ts';
import type { DebtScope } from '../contract/schemas.ts';
import { integratedConsent, type IntegratedConsentState } from '../lifecycles/integrated-consent.ts';
import { need, withoutPolling, type LifecycleContext } from '../lifecycles/lifecycle.ts';

/** The lifecycle compare runs, as its reports name it. */
export const compareLifecycle = withoutPolling(integratedConsent);

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

/** Runs the lifecycle (and compare's probes) against one side; never throws on an answer, only records it. */
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
  const scope = (debtScope ?? catalogue.service('debt').scopes[0]!) as DebtScope;
  const ctx: LifecycleContext = {
    nogi, nin: side.nin, debtScope: scope, feedLagMs: 0,
    tokens: new TokenCache({ nogi, client: side.client, audiences: side.audiences, scopes: { debt: scope } }),
    newClientConsentId: () => `nogi-compare-${randomUUID()}`,
  };
  const state: IntegratedConsentState = compareLifecycle.start(ctx);

  // Refusals a partner meets on the way, each after the lifecycle step whose request it repeats without credentials.
  const probes: Record<string, { name: string; run: () => Promise<unknown> }> = {
    '2. Register a consent': { name: 'Register a consent without a token', run: () => nogi.call('createConsent', { body: state.registration }) },
    '4. Look up debt using the consent': { name: 'Look up debt without a token', run: () => nogi.call('getDebtWithConsentID', { params: { id: need(state.consent, 'consent').id } }) },
  };

  const discovery = await step('Discovery document', () => nogi.discovery());
  await step('JWKS', () => nogi.jwks(typeof bodyField(discovery, 'jwks_uri') === 'string' ? (bodyField(discovery, 'jwks_uri') as string) : undefined));
  // Not a token to use: the refusal is what is compared (the token endpoint itself, not the cache).
  await step('Token with a wrong client secret', () =>
    nogi.clientCredentialsToken({ clientId: side.client.clientId, clientSecret: `wrong-${randomUUID()}` }, side.audiences.agreement, catalogue.service('agreement').scopes[0]!));
  for (const s of compareLifecycle.steps) {
    await step(s.title, async () => {
      const result = await s.call(ctx, state);
      s.keep?.(result, state);
      return result;
    });
    const probe = probes[s.title];
    if (probe) await step(probe.name, probe.run);
  }
  const feedToken = () => need(state.feedToken, 'feed token');
  const last = await step('Feed: last sequence number', () => nogi.lastSequenceNr(feedToken()));
  await step('Feed: first sequence number', () => nogi.firstSequenceNr(feedToken()));
  const lastNr = Number(bodyField(last, 'lastSequenceNr') ?? 0);
  await step('Feed: the latest events', () => nogi.feed(feedToken(), Math.max(0, (Number.isFinite(lastNr) ? lastNr : 0) - 4), 5));
  return steps;
}
