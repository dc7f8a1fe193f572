/**
 * `nogi-conformance/test`: the Playwright fixtures the conformance specs use, for a partner's own
 * specs. `test` gives `nogi` (the typed client, every response checked against the contract: a
 * violation fails the test naming the rule), `target`, `tokens`, `requires`, `authorize`, `faults`
 * and `clock` (on the simulator); `step` is a named lifecycle step; the lifecycle descriptions
 * are the flows the gate runs, ready to call: the integrated consent (`integratedConsent`, run by
 * `assertLifecycle`, or `integratedConsentLifecycle`), and the regular consents in which the
 * person logs in through the browser (`singleUseConsent`, `extendedConsent`, run by
 * `assertLoginLifecycle` with the `authorize` fixture).
 *
 *   import { test, expect, step, integratedConsentLifecycle } from 'nogi-conformance/test';
 *   test('our integration', async ({ nogi, target, tokens }) => { ... });
 *   test('single use', async ({ nogi, target, tokens, authorize }) => assertLoginLifecycle(singleUseConsent, { nogi, target, tokens, authorize }));
 *
 * A playwright.config for these: `defineNoGiConfig` from `nogi-conformance/config`.
 */
export { test, expect, step, tags, debtScope, warnUndocumented, UNDOCUMENTED } from '../../fixtures/nogi.ts';
export type { AuthorizeOptions, CapabilityName, StepOptions, Tokens } from '../../fixtures/nogi.ts';
export { assertLifecycle, assertLoginLifecycle, integratedConsentLifecycle, type LifecycleFixtures, type LoginLifecycleFixtures } from '../../fixtures/lifecycle.ts';
export { integratedConsent } from '../lifecycles/integrated-consent.ts';
export { extendedConsent, singleUseConsent } from '../lifecycles/regular-consent.ts';
export type { Check, Lifecycle, LifecycleContext, LifecycleStep, LoginContext } from '../lifecycles/lifecycle.ts';
