/**
 * Form-encoded request bodies with matchers, in Pact V4.
 *
 * Pact JS's V4 request builder offers jsonBody, xmlBody and body(contentType, Buffer); the last
 * stores the bytes with no matching rules and no generators (pact-js#767: no matchers on form
 * bodies). The core library underneath (pact_ffi `with_body`) does support form bodies with
 * matchers: given a JSON object of fields with matchers and the content type
 * application/x-www-form-urlencoded, it writes the example as a form string and keeps the
 * matching rules and provider-state generators for each field. The builder hides that call, so
 * we make it on the builder's interaction handle. A test (tests/pact/consumer) proves the pact
 * file then holds a form body and the content type the client sends (pact-js#1233).
 */
import type { V4RequestBuilder } from '@pact-foundation/pact/src/v4/http/types.js';

export const FORM = 'application/x-www-form-urlencoded';

interface InteractionHandle {
  withRequestBody(body: string, contentType: string): boolean;
}

export function formBody(builder: V4RequestBuilder, fields: Record<string, unknown>): V4RequestBuilder {
  const handle = (builder as unknown as { interaction?: Partial<InteractionHandle> }).interaction;
  if (!handle || typeof handle.withRequestBody !== 'function') {
    throw new Error('formBody: the Pact JS request builder no longer exposes its interaction handle; check src/pact/form.ts against the installed @pact-foundation/pact');
  }
  if (!handle.withRequestBody(JSON.stringify(fields), FORM)) {
    throw new Error('formBody: pact_ffi refused the form body');
  }
  return builder;
}
