/**
 * `nogi-conformance`: the typed NoGi client a partner builds on. Every call is checked against the
 * provider's contract when an `onExchange` hook asks (the Playwright fixtures of
 * `nogi-conformance/test` do it for every response); `httpTransport` uses fetch, and
 * `playwrightTransport` a Playwright APIRequestContext.
 *
 *   import { NoGiClient, httpTransport } from 'nogi-conformance';
 *   const nogi = new NoGiClient(httpTransport, { accessBaseUrl, apiBaseUrl });
 *
 * The Playwright side (fixtures, `test`/`expect`/`step`, the lifecycle descriptions) is
 * `nogi-conformance/test`; a playwright.config for it is `nogi-conformance/config`.
 */
export { NoGiClient } from '../client/nogi-client.ts';
export type { ApiResult, CallOptions, ClientCredentials, ClientOptions, ContractName, Endpoints, Exchange } from '../client/nogi-client.ts';
export { httpTransport, playwrightTransport } from '../client/transport.ts';
export type { Transport, WireRequest, WireResponse } from '../client/transport.ts';
export { readFeed, type FeedRead } from '../client/feed.ts';
export { SimulatorAdmin } from '../client/admin-client.ts';
export type { Capabilities, Target, TargetName } from '../config/target.ts';
export { ConfigError } from '../config/target.ts';
export { suiteTarget as resolveNoGiTarget } from '../config/suite-target.ts';
export { getContracts, formatFinding } from '../contract/index.ts';
export type { CheckName, ContractFinding, Contracts } from '../contract/index.ts';
