/**
 * A consumer test's callback, made to end only once the Pact mock server has recorded what it
 * answered.
 *
 * Why: pact-core 19 (the one @pact-foundation/pact 16.3–16.5 uses, the last on Node 20) records a
 * matched request on a task of its own, after the response is sent. Under load, executeTest reads
 * the mock server's state before that task has run and fails with "expected but not received" for
 * a request it answered (pact-core-mock-server#13, pact-js#1835; seen here in npm test, and the
 * likely cause of a CI failure of the pacts' determinism test). The
 * fix is in pact-core 20, which needs Node 22. Waiting is bounded: a request that really did not
 * match leaves the state unmatched, and Pact reports it as before, at most a second later.
 */
import { makeConsumerPact } from '@pact-foundation/pact-core';
// The V4 DSL's mock server, exported under its V3 name.
import type { V3MockServer as MockServer } from '@pact-foundation/pact';
import { setTimeout as sleep } from 'node:timers/promises';

// Any handle will do: the mock server's state is looked up by its port.
let probe: ReturnType<typeof makeConsumerPact> | undefined;

export function untilRecorded<T>(testFn: (mock: MockServer) => Promise<T>, withinMs = 1_000): (mock: MockServer) => Promise<T> {
  return async (mock) => {
    const result = await testFn(mock);
    probe ??= makeConsumerPact('nogi-settle-probe', 'nogi-settle-probe');
    for (const deadline = Date.now() + withinMs; !probe.mockServerMatchedSuccessfully(mock.port) && Date.now() < deadline; ) await sleep(10);
    return result;
  };
}
