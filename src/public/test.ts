/**
 * `nogi-conformance/test`: the Playwright fixtures the conformance specs use, for a partner's own
 * specs. `test` gives `nogi` (the typed client, every response checked against the contract: a
 * violation fails the test naming the rule), `target`, `tokens`, `requires`, `authorize`, `faults`
 * and `clock` (on the simulator); `step` is a named lifecycle step; the lifecycle descriptions
 * are the flows the gate runs, ready to call.
 *
 *   import { test, expect, step, integratedConsentLifecycle } from 'nogi-conformance/test';
 *   test('our integration', async ({ nogi, target, tokens }) => { ... });
 *
 * A playwright.config for these: `defineNoGiConfig` from `nogi-conformance/config`.
 */
export { test, expect, step, tags, debtScope, warnUndocumented, UNDOCUMENTED } from '../../fixtures/nogi.ts';
export type { AuthorizeOptions, CapabilityName, StepOptions, Tokens } from '../../fixtures/nogi.ts';
export { assertLifecycle, integratedConsentLifecycle, type LifecycleFixtures } from '../../fixtures/lifecycle.ts';
export { integratedConsent } from '../lifecycles/integrated-consent.ts';
export type { Check, Lifecycle, LifecycleContext, LifecycleStep } from '../lifecycles/lifecycle.ts';
