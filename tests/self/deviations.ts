/**
 * The self test: the suite must fail, naming the broken rule, against a provider that deviates
 * from the contract, and pass against a conformant one reached on other ports. Each case runs the
 * conformance specs that should catch it against a simulator started in-process, with its one
 * deviation switched on for just those tests, in the same run (playwright.config.ts).
 *
 * `names`: what the failure must say (regular expressions over the test's error messages).
 */
import { currentContractVersion, readVersionIndex, type ContractVersion } from '../../src/contract/load.ts';
import type { DeviationName } from '../../src/simulator/index.ts';

export interface SelfTestCase {
  /** A deviation switched on in the simulator... */
  deviation?: DeviationName;
  /** ...or the simulator serving another contract version than the suite judges by. */
  contract?: ContractVersion;
  /** The conformance test(s) that must catch it (a title grep). */
  grep: RegExp;
  names: string[];
  /**
   * `fails` (default): each test must fail, its errors naming `names`. `warns`: behaviour the
   * provider's docs leave open; each test must pass with an "undocumented behaviour" warning naming them.
   */
  outcome?: 'fails' | 'warns';
}

export const selfTestCases: SelfTestCase[] = [
  { deviation: 'debt-missing-ssn', grep: /integrated consent lifecycle/, names: ['response_schema_conformance', 'numberOfCreditorsAnswered', '4\\. Look up debt using the consent'] },
  { deviation: 'status-wrong-content-type', grep: /integrated consent lifecycle/, names: ['content_type_conformance', 'getConsentStatusWithID'] },
  { deviation: 'agreement-wrong-status', grep: /integrated consent lifecycle/, names: ['status_code_conformance', 'createConsent', 'got 201|actual: 201|201'] },
  { deviation: 'revoke-ignored', grep: /integrated consent lifecycle/, names: ['a revoked consent must not be active'] },
  { deviation: 'feed-drops-archived', grep: /integrated consent lifecycle/, names: ['SAMTYKKE_OPPRETTET and SAMTYKKE_ARKIVERT for this consent'] },
  { deviation: 'single-use-reusable', grep: /single-use consent/, names: ['a default consent allows collecting the debt info one time'] },
  { deviation: 'id-token-bad-signature', grep: /extended duration with openid/, names: ['signature verification failed'] },
  { deviation: 'wrong-audience-accepted', grep: /a token for another audience/, names: ['a consent\\.create token \\(agreement audience\\) must not read debt'] },
  { deviation: 'debt-invalid-token-401', grep: /no token is refused/, names: ['status_code_conformance', 'getDebtWithConsentID', 'one of 200, 400, 403, 500'] },
  { deviation: 'redirect-unregistered', grep: /unregistered redirect_uri/, names: ['an error page, never a redirect'] },
  // The RFC 6749 MUSTs: errors in the strict profile, which self-test projects run (playwright.config.ts).
  { deviation: 'token-no-cache-control', grep: /integrated consent lifecycle/, names: ['token_response_invariants', 'RFC 6749 §5\\.1 Cache-Control', 'expected no-store'] },
  { deviation: 'token-401-without-www-authenticate', grep: /a wrong client secret/, names: ['token_response_invariants', 'RFC 6749 §5\\.2 WWW-Authenticate'] },
  { deviation: 'token-scope-widened', grep: /integrated consent lifecycle/, names: ['token_response_invariants', 'RFC 6749 §3\\.3 granted scope', '3\\. Get a token for the debt API'] },
  // The feed's own statements.
  { deviation: 'feed-from-exclusive', grep: /fromSequenceNr is included/, names: ["Returns the events from 'fromSequenceNr' \\(included\\)"] },
  { deviation: 'feed-event-ids-reused', grep: /paging until endSequenceNr/, names: ['eventId is its own, across pages'] },
  { deviation: 'feed-first-sequence-wrong', grep: /paging until endSequenceNr/, names: ['firstSequenceNr is the number of the oldest event the feed serves'] },
  { deviation: 'feed-foreign-client-id', grep: /non-contiguous sequence numbers/, names: ["clientId is the polling client's own"] },
  { deviation: 'feed-event-after-generated', grep: /integrated consent lifecycle/, names: ['feed_invariants', "no event stamped after the page's generatedAt"] },
  // The rest of the integrated lifecycle's data.
  { deviation: 'debt-cached-after-expiry', grep: /past its consent_duration_days/, names: ['even one looked up before it expired'] },
  { deviation: 'revoke-revokes-all', grep: /integrated consent lifecycle/, names: ["revoking one consent leaves the client's other consents active"] },
  ...contractCases(currentContractVersion()),
];

/**
 * The contract version is an axis too: a provider on another version than the one the suite
 * judges by fails on the Agreement API's errors (b68fec2: Spring's body as application/json;
 * 3770c4e: problem details as application/problem+json), naming the content type and the schema.
 * Under 3770c4e, problem details without their errorReference are caught as well, and so are those
 * whose `status` member is not the HTTP status or whose errorReference is empty.
 */
function contractCases(judging: ContractVersion): SelfTestCase[] {
  const expected = judging === '3770c4e' ? 'application/problem\\+json \\(ProblemDetailWithErrorReference\\)' : 'application/json \\(SpringErrorSchema\\)';
  const others = readVersionIndex().versions.filter((v) => v !== judging && (v === 'b68fec2' || v === '3770c4e'));
  return [
    ...others.map((contract) => ({ contract, grep: /malformed registrations .* an invalid NIN/, names: ['content_type_conformance', 'createConsent 400', expected] })),
    ...(judging === '3770c4e'
      ? [
          { deviation: 'problem-without-error-reference' as const, grep: /malformed registrations .* an invalid NIN/, names: ['response_schema_conformance', 'required property "errorReference"'] },
          { deviation: 'problem-status-mismatch' as const, grep: /malformed registrations .* an invalid NIN/, names: ['problem_details_invariants', 'createConsent 400 RFC 9457 §3\\.1\\.2 status', 'Generators MUST use the same status code in the actual HTTP response', 'got 500'] },
          { deviation: 'problem-empty-error-reference' as const, grep: /malformed registrations .* an invalid NIN/, names: ['problem_details_invariants', 'errorReference "used for support"', 'at /errorReference expected a non-empty string', 'got ""'] },
          { deviation: 'monitoring-debt-refused' as const, grep: /monitoring consent/, names: ['debt\\.unsecured\\.monitoring consent answered 403'], outcome: 'warns' as const },
        ]
      : []),
  ];
}

/**
 * The self-test projects: cases that catch their deviation in different tests share a project, so
 * they share a worker and its simulator (a worker's start-up costs more CPU than most of these
 * tests), the deviation switched on only around the tests of its own case (fixtures/nogi.ts). Cases
 * with the same grep need runs of their own; so does a simulator on another contract version.
 * A test that two cases of one project would select fails the run, naming both (fixtures/nogi.ts).
 */
export interface SelfTestGroup {
  /** The project's name after "self ": its deviations (or contract), in order. */
  name: string;
  contract?: ContractVersion;
  cases: SelfTestCase[];
}

export function selfTestGroups(cases: readonly SelfTestCase[] = selfTestCases): SelfTestGroup[] {
  const groups: SelfTestGroup[] = [];
  // The cases of the most shared grep first: they set how many projects there are; the others then
  // join the smallest project they fit in, so the projects come out about even.
  const shared = (c: SelfTestCase) => cases.filter((other) => other.grep.source === c.grep.source).length;
  for (const c of [...cases].sort((x, y) => shared(y) - shared(x))) {
    const fits = c.contract ? [] : groups.filter((g) => !g.contract && g.cases.every((other) => other.grep.source !== c.grep.source));
    const group = fits.sort((x, y) => x.cases.length - y.cases.length)[0];
    if (group) group.cases.push(c);
    else groups.push({ name: '', contract: c.contract, cases: [c] });
  }
  for (const g of groups) g.name = g.cases.map((c) => c.deviation ?? `contract ${c.contract}`).join(' + ');
  return groups;
}
