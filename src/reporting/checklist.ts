/**
 * The partner onboarding checklist: its ordered items, the plain-words hint for each observed
 * failure, and the Markdown and HTML renderings (reports/onboarding.md, reports/onboarding.html).
 * The items' outcomes come from the run's results: each spec records the steps it reaches as
 * `checklist` annotations (checklistAnnotation, a ChecklistRecord as JSON), read back here.
 */
import { redact } from './redact.ts';
import type { RunResults, RunTest } from './results.ts';

export const checklistItems = [
  { id: 'token-agreement', title: 'Token for the agreement API (scope consent.create)', needs: [] },
  { id: 'token-debt', title: 'Token for the debt API (debt scope)', needs: [] },
  { id: 'token-feed', title: 'Token for the consents feed (scope client.access.consent.events)', needs: [] },
  { id: 'agreement', title: 'Integrated-consent agreement granted: register a consent (PUT /v1/consent/agreement)', needs: ['token-agreement'] },
  { id: 'debt', title: 'Debt lookup with the consent (GET /v1/debt/{id})', needs: ['token-debt', 'agreement'] },
  { id: 'status', title: 'Consent status (GET /v1/debt/{id}/status)', needs: ['token-debt', 'agreement'] },
  { id: 'revoke', title: 'Revoke the consent (DELETE /v1/debt/{id})', needs: ['token-debt', 'agreement'] },
  { id: 'feed', title: 'Consents feed access (lastSequenceNr, then a page of events)', needs: ['token-feed'] },
  { id: 'auth-page', title: 'Regular flow: auth page reachable (GET /oauth2/auth)', needs: [] },
  { id: 'callback', title: 'Regular flow: callback URI registered', needs: ['auth-page'] },
  { id: 'code-exchange', title: 'Regular flow: code exchange (authorization_code grant)', needs: ['callback'] },
  { id: 'id-token', title: 'Regular flow: ID token (openid)', needs: ['code-exchange'] },
] as const;
export type ChecklistId = (typeof checklistItems)[number]['id'];

export interface Observed {
  operation?: string;
  method?: string;
  path?: string;
  status: number;
  error?: string;
  description?: string;
  location?: string;
  errorPage?: boolean;
}

export interface ChecklistEntry {
  id: ChecklistId | string;
  title: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** What was seen: the failing call, or the skip reason. */
  detail?: string;
  cause?: string;
  fix?: string;
}

interface Hint {
  cause: string;
  fix: string;
}

const tokenItems = new Set(['token-agreement', 'token-debt', 'token-feed', 'code-exchange']);

/** The likely cause and the fix, in plain words, for a failed item and what was observed. */
export function hintFor(id: string, o: Observed | undefined): Hint {
  const error = o?.error?.toLowerCase();
  const text = `${o?.description ?? ''}`.toLowerCase();
  if (!o) {
    return { cause: 'The check failed before any answer was recorded (network error or timeout).', fix: 'Run `nogi-conformance doctor` to check the target is reachable, then retry.' };
  }
  if (o.status >= 500 && !o.errorPage) {
    return { cause: `The provider answered ${o.status}: a fault on its side (for debt, possibly a creditor that did not answer).`, fix: 'Retry later; if it persists, contact NoGi (support@norskgjeld.no) with the time of the run.' };
  }
  if (id === 'callback' && error === 'invalid_client') {
    return { cause: 'The auth endpoint does not know this client id: it belongs to the other environment, or is mistyped.', fix: 'Check NOGI_CLIENT_ID against what NoGi sent you for this environment.' };
  }
  if (error === 'invalid_client') {
    return {
      cause: 'invalid_client: the client id or secret is wrong, or they belong to the other environment (preprod credentials do not work in production, nor the reverse).',
      fix: 'Check NOGI_CLIENT_ID and NOGI_CLIENT_SECRET in .env against what NoGi sent you for this environment; secrets are case-sensitive and must not include quotes or spaces.',
    };
  }
  if (tokenItems.has(id) && (error === 'invalid_scope' || error === 'unauthorized_client')) {
    if (id === 'token-agreement') {
      return { cause: 'invalid_scope on consent.create: integrated consent is not in your agreement with NoGi.', fix: 'Ask NoGi (support@norskgjeld.no) to add integrated consent to your agreement, or use regular consent only.' };
    }
    if (id === 'token-feed') {
      return { cause: 'The consents feed (client.access.consent.events) is not in your agreement.', fix: 'Ask NoGi to grant access to the consents feed for your client.' };
    }
    if (id === 'token-debt') {
      return { cause: 'Your client may not request this debt scope: your agreement is for the other purpose (presentation or processing).', fix: 'Set NOGI_DEBT_SCOPE to the scope in your agreement (debt.unsecured.presentation or debt.unsecured.processing), or ask NoGi.' };
    }
  }
  if (tokenItems.has(id) && error === 'invalid_request' && text.includes('audience')) {
    return { cause: 'The audience is wrong for this environment.', fix: 'Remove NOGI_AUDIENCE_* overrides, or set them to the API host of this environment + /v1/consent/agreement, /v1/debt, /feed/v1/consent (reference/index.md).' };
  }
  if (error === 'no_browser') {
    return { cause: 'No Chromium could be started for the login page.', fix: 'Run `nogi-conformance doctor`: install Chromium (Debian/Ubuntu: apt-get install chromium) or set NOGI_CHROMIUM_PATH.' };
  }
  if (error === 'login_failed') {
    return {
      cause: 'The login or consent page did not behave as expected (for preprod: ID-porten TestID, then the NoGi consent page).',
      fix: 'Check NOGI_TEST_NIN is a TestID person (14842249091 or 29868099311); the report shows the step where the page stopped (screenshots only against the simulator).',
    };
  }
  if (id === 'code-exchange' && (error === 'consent_denied' || error === 'login_cancelled')) {
    return { cause: `The callback came back with ${error}: the person declined or cancelled.`, fix: 'Run again and accept on the consent page; if it repeats, the consent page is answering for the person (report it to NoGi).' };
  }
  if (id === 'code-exchange' && error === 'state_mismatch') {
    return { cause: 'The callback did not mirror the state of the auth request.', fix: 'Report it to NoGi: state must come back unchanged (auth-endpoint.md).' };
  }
  if (id === 'id-token' && error === 'no_id_token') {
    return { cause: 'No ID token came back although openid was requested last in the scope.', fix: 'Ask NoGi whether OpenID (pid and consent_id claims) is enabled for your client (scopes.md).' };
  }
  if (id === 'id-token' && error === 'invalid_id_token') {
    return { cause: 'The ID token does not verify: signature against the JWKS, issuer, audience (your client id), pid or consent_id.', fix: 'Report it to NoGi with the run time; never accept an ID token whose signature you did not check.' };
  }
  if (id === 'code-exchange' && error === 'invalid_grant') {
    return { cause: 'invalid_grant: the code was already used, expired (codes are short-lived), or redirect_uri differs from the one in the auth request.', fix: 'Exchange the code once, at once, with exactly the redirect_uri of the auth request.' };
  }
  if (id === 'agreement' && (o.status === 403 || o.status === 401)) {
    return {
      cause: `${o.status} on consent registration: integrated consent is not in your agreement with NoGi (or the token was issued for another audience or scope).`,
      fix: 'Ask NoGi (support@norskgjeld.no) to add integrated consent to your agreement; check the token uses audience …/v1/consent/agreement and scope consent.create.',
    };
  }
  if (id === 'agreement' && o.status === 400) {
    return { cause: 'The consent registration was refused as invalid.', fix: 'Check NOGI_TEST_NIN (11 digits, a TestID person in preprod), the debt scope and consent_duration_days (1-365 presentation, 1-28 processing).' };
  }
  if (id === 'agreement' && o.status === 409) {
    return { cause: 'A consent with this client_consent_id exists with other data.', fix: 'Use a new client_consent_id for each new consent.' };
  }
  if (['debt', 'status', 'revoke'].includes(id) && (o.status === 403 || o.status === 401)) {
    return {
      cause: `${o.status} on the debt API: the token has the wrong audience or scope for the debt API (or the consent is not yours, revoked or expired).`,
      fix: 'Request the debt token with audience …/v1/debt and the debt scope of the consent (token-endpoint.md); use the consent id returned by the registration.',
    };
  }
  if (id === 'feed' && (o.status === 403 || o.status === 401)) {
    return { cause: `${o.status} on the feed: the token lacks audience …/feed/v1/consent or scope client.access.consent.events.`, fix: 'Request the feed token with that audience and scope; ask NoGi for feed access if the token request itself is refused.' };
  }
  if (id === 'callback' && o.errorPage) {
    return {
      cause: 'An error page instead of a redirect: your callback URI is not registered with NoGi for this client (or the client id belongs to the other environment).',
      fix: 'Send NoGi the exact callback URI (scheme, host, port and path must match), or set NOGI_REDIRECT_URI to one that is registered.',
    };
  }
  if (id === 'callback' && o.error === 'invalid_scopes') {
    return { cause: 'invalid_scopes: the auth request asked for a scope your client may not use, or for two debt scopes.', fix: 'Ask for exactly one debt scope from your agreement, optionally followed by openid.' };
  }
  if (id === 'auth-page') {
    return { cause: `The auth endpoint answered ${o.status} instead of showing the login page.`, fix: 'Check NOGI_ACCESS_BASE_URL and NOGI_CLIENT_ID; run `nogi-conformance doctor`.' };
  }
  if (id === 'id-token') {
    return { cause: 'No valid ID token came back although openid was requested last in the scope.', fix: 'Ask for `<debt scope> openid` (openid last); ask NoGi whether OpenID is enabled for your client.' };
  }
  return { cause: `HTTP ${o.status}${o.error ? ` ${o.error}` : ''}${o.description ? `: ${o.description}` : ''}.`, fix: 'See the request and response attached to this step in the Allure or Playwright report.' };
}

function describeObserved(o: Observed | undefined): string | undefined {
  if (!o) return undefined;
  const parts = [`${o.method ?? ''} ${o.path ?? ''} → ${o.status}`.trim()];
  if (o.error) parts.push(o.error);
  if (o.description) parts.push(o.description);
  if (o.errorPage) parts.push("the provider's error page, not your callback");
  return redact(parts.join(' · '));
}

const mark = { passed: '✅ passed', failed: '❌ failed', skipped: '⏭️ skipped' } as const;

/** Who the checklist is for, and what the run behind it did (how many tests ran and were skipped, and why). */
export interface ChecklistMeta {
  target: string;
  date: string;
  /** e.g. "2 tests ran (2 passed, 0 failed), 1 skipped: 1 no second client" (results.ts tallyLine). */
  tally?: string;
  /** Set when no check ran: the checklist is then no verdict at all. */
  nothingRan?: string;
  /**
   * The RFC 6749 MUSTs the provider broke in this run (the 'contract warning' annotations that
   * invariants.ts isRfcMust names), each once: the provider's to fix, never a failed item of yours.
   */
  providerFindings?: string[];
  /** Whether the run rendered its Allure HTML: the checklist points only at reports that exist. */
  allureReport?: boolean;
}

const providerHeading = "Provider findings (not your client's fault)";
const providerIntro = 'The provider broke these RFC 6749 rules that its OAuth contract adopts. They fail NoGi\'s own release gate, not your checklist; your client needs no change for them.';

export function checklistMarkdown(entries: ChecklistEntry[], meta: ChecklistMeta): string {
  const failed = entries.filter((e) => e.outcome === 'failed').length;
  const passed = entries.filter((e) => e.outcome === 'passed').length;
  const skipped = entries.filter((e) => e.outcome === 'skipped').length;
  const lines = [
    `# NoGi onboarding checklist (${meta.target})`,
    '',
    meta.nothingRan ? `${meta.date}: **NOTHING RAN**: ${meta.nothingRan}` : `${meta.date}: **${passed} passed, ${failed} failed, ${skipped} skipped**`,
    '',
    ...(meta.tally ? [`Tests: ${meta.tally}.`, ''] : []),
  ];
  entries.forEach((e, i) => {
    lines.push(`${i + 1}. ${mark[e.outcome]}: ${e.title}`);
    if (e.detail) lines.push(`   - ${e.outcome === 'skipped' ? 'why' : 'seen'}: ${e.detail}`);
    if (e.cause) lines.push(`   - likely cause: ${e.cause}`);
    if (e.fix) lines.push(`   - fix: ${e.fix}`);
  });
  if (meta.providerFindings?.length) lines.push('', `## ${providerHeading}`, '', providerIntro, '', ...meta.providerFindings.map((f) => `- ${f}`));
  lines.push('', `Details (each request and response, masked): ${meta.allureReport ? 'allure-report/index.html or ' : ''}playwright-html/index.html.`);
  return redact(lines.join('\n')) + '\n';
}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function checklistHtml(entries: ChecklistEntry[], meta: ChecklistMeta): string {
  const colour = { passed: '#1a7f37', failed: '#cf222e', skipped: '#9a6700' } as const;
  const rows = entries
    .map((e, i) => {
      const notes = [
        e.detail ? `<div><b>${e.outcome === 'skipped' ? 'Why' : 'Seen'}:</b> ${escape(e.detail)}</div>` : '',
        e.cause ? `<div><b>Likely cause:</b> ${escape(e.cause)}</div>` : '',
        e.fix ? `<div><b>Fix:</b> ${escape(e.fix)}</div>` : '',
      ].join('');
      return `<tr><td>${i + 1}</td><td style="color:${colour[e.outcome]};font-weight:bold">${e.outcome}</td><td>${escape(e.title)}${notes ? `<div class="notes">${notes}</div>` : ''}</td></tr>`;
    })
    .join('\n');
  return redact(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NoGi onboarding checklist (${escape(meta.target)})</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.5rem;vertical-align:top}.notes{margin-top:.3rem;font-size:.9rem;color:#333}</style>
</head><body>
<h1>NoGi onboarding checklist (${escape(meta.target)})</h1>
<p>${escape(meta.date)}${meta.nothingRan ? `: <strong>NOTHING RAN</strong>: ${escape(meta.nothingRan)}` : ''}</p>
${meta.tally ? `<p>Tests: ${escape(meta.tally)}.</p>\n` : ''}<table>
${rows}
</table>
${meta.providerFindings?.length ? `<h2>${escape(providerHeading)}</h2>\n<p>${escape(providerIntro)}</p>\n<ul>\n${meta.providerFindings.map((f) => `<li>${escape(f)}</li>`).join('\n')}\n</ul>\n` : ''}<p>Each request and response (masked) is in ${meta.allureReport ? 'the Allure report (allure-report/index.html) and ' : ''}the Playwright report (playwright-html/index.html).</p>
</body></html>
`);
}

/** The exchange that failed a step, as the checklist shows it: no query string, no body. */
export function observedFrom(e: { operationId?: string; method: string; url: string; status: number; body: unknown; headers: Record<string, string> }): Observed {
  const body = (e.body && typeof e.body === 'object' ? e.body : {}) as Record<string, unknown>;
  const error = typeof body.error === 'string' ? body.error : undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : typeof body.message === 'string' ? body.message : undefined;
  const location = e.headers.location;
  return {
    operation: e.operationId,
    method: e.method,
    path: new URL(e.url).pathname,
    status: e.status,
    ...(error ? { error } : {}),
    ...(description ? { description: redact(description) } : {}),
    ...(location ? { location: redact(location.replace(/([?&](code|login_challenge|consent_challenge|state)=)[^&]+/g, '$1[redacted]')) } : {}),
  };
}

/** A step failure that says what was observed, when that is not a single HTTP exchange (a page, a browser, an ID token). */
export class ChecklistFailure extends Error {
  override name = 'ChecklistFailure';
  constructor(message: string, readonly observed: Observed) {
    super(message);
  }
}

/** The test annotation a spec records each checklist step it reaches under (its description: a ChecklistRecord as JSON). */
export const checklistAnnotation = 'checklist';

/** What a checklist step of a spec records (a `checklist` test annotation, JSON). */
export interface ChecklistRecord {
  id: ChecklistId;
  outcome: 'passed' | 'failed' | 'skipped';
  observed?: Observed;
  reason?: string;
}

interface Recorded extends ChecklistRecord {
  /** The test that recorded it, and where in that test's sequence. */
  test: RunTest;
}

const outcomes = new Set(['passed', 'failed', 'skipped']);

function parseRecord(description: string | undefined): ChecklistRecord | undefined {
  if (!description) return undefined;
  try {
    const value = JSON.parse(description) as Partial<ChecklistRecord>;
    return typeof value.id === 'string' && outcomes.has(value.outcome ?? '') ? (value as ChecklistRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Every checklist record of the run, by item id. A failure anywhere (a repeat, a second spec) wins. */
function recordsOf(results: RunResults): Map<string, Recorded> {
  const byId = new Map<string, Recorded>();
  for (const test of results.tests) {
    for (const a of test.annotations) {
      if (a.type !== checklistAnnotation) continue;
      const record = parseRecord(a.description);
      if (!record) continue;
      const known = byId.get(record.id);
      if (!known || (known.outcome !== 'failed' && record.outcome !== 'skipped')) byId.set(record.id, { ...record, test });
    }
  }
  return byId;
}

const titleOf = new Map<string, string>(checklistItems.map((i) => [i.id, i.title]));

/**
 * Why an item has no record. The annotations do not say which test an unreached item belongs
 * to: it is taken to be the test that recorded the nearest item before it in the checklist's
 * order. When that test failed at a checklist item, the item needed that one; else it did not run.
 */
function notReachedReason(index: number, records: Map<string, Recorded>): string {
  for (let i = index - 1; i >= 0; i--) {
    const previous = records.get(checklistItems[i]!.id);
    if (!previous) continue;
    if (previous.test.outcome !== 'failed') return 'not run';
    const failedInSameTest = [...records.values()].filter((r) => r.test === previous.test && r.outcome === 'failed');
    const lastFailed = failedInSameTest[failedInSameTest.length - 1];
    return lastFailed ? `needs: ${titleOf.get(lastFailed.id) ?? lastFailed.id}` : 'not run';
  }
  return 'not run';
}

/** The checklist, in the order of `checklistItems`, from the run's "checklist" annotations. */
export function checklistFromResults(results: RunResults): ChecklistEntry[] {
  const records = recordsOf(results);
  return checklistItems.map(({ id, title }, index): ChecklistEntry => {
    const r = records.get(id);
    if (!r) return { id, title, outcome: 'skipped', detail: notReachedReason(index, records) };
    if (r.outcome === 'failed') {
      const hint = hintFor(id, r.observed);
      return { id, title, outcome: 'failed', detail: describeObserved(r.observed) ?? (r.reason ? redact(r.reason) : undefined), cause: hint.cause, fix: hint.fix };
    }
    return { id, title, outcome: r.outcome, detail: r.outcome === 'skipped' && r.reason ? redact(r.reason) : undefined };
  });
}
