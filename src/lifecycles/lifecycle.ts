/**
 * A lifecycle as data: an ordered list of named steps, each a call through the one client
 * (`NoGiClient`) and what its answer must show: a status and small named predicates that return a
 * failure message or undefined. No test runner in here, so any process reads it:
 *
 * - the specs assert it (fixtures/lifecycle.ts: each step a Playwright step, each failure an
 *   `expect` error naming the step);
 * - compare records it on two targets (src/compare/lifecycle.ts);
 * - the bench times it (scripts/bench/simulator.ts), through `runLifecycle` below.
 *
 * A lifecycle in which the person logs in (regular consent) runs in a LoginContext: the runner
 * gives the person's part, in a browser (fixtures/lifecycle.ts) or over HTTP to the simulator's
 * pages (src/drivers/simulator-http.ts); the steps stay calls through the client.
 *
 * A step that proves an onboarding checklist item says so (`checklist`); its title is the one the
 * checklist, health and the self tests read.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClientCredentials } from '../client/credentials.ts';
import type { NoGiClient } from '../client/nogi-client.ts';
import type { ServiceName } from '../contract/catalogue.ts';
import type { DebtScope } from '../contract/schemas.ts';
import type { ChecklistId } from '../reporting/checklist.ts';

/** A failure message, or undefined when the predicate holds. */
export type Failure = string | undefined;

/** A named predicate over a step's answer (and what earlier steps kept). */
export interface Check<R, S> {
  /** What must hold, in the words a failure is reported under. */
  name: string;
  test(result: R, state: S): Failure;
}

/** Where a lifecycle runs: the client, tokens, and the target's data and timing. */
export interface LifecycleContext {
  nogi: NoGiClient;
  /** Client-credentials tokens per service (a TokenCache, src/client/token-cache.ts). */
  tokens: { for(service: ServiceName, scope?: string): Promise<string> };
  /** A person with debt on the target. */
  nin: string;
  /** The debt scope of the partner's agreement. */
  debtScope: DebtScope;
  /** How long the target's feed may take to show an event. */
  feedLagMs: number;
  /** A new client_consent_id (each runner its own prefix, so a provider's logs tell the runs apart). */
  newClientConsentId(): string;
}

/** The redirect to the partner's callback URI: its query, and the state the auth request sent. */
export interface AuthorizedCallback {
  params: Record<string, string>;
  state: string;
}

/** Where a lifecycle in which the person logs in runs (regular consent). */
export interface LoginContext extends LifecycleContext {
  /** The partner's client, with the callback URI registered for it. */
  client: ClientCredentials & { redirectUri: string };
  /** Sends the person (`nin`) to the auth endpoint for `scope`; they log in with TestID and accept. */
  logInAndAccept(scope: string): Promise<AuthorizedCallback>;
}

export interface LifecycleStep<S, R = unknown, C extends LifecycleContext = LifecycleContext> {
  /** As the provider's docs name the step ('4. Look up debt using the consent'). */
  title: string;
  /** The onboarding checklist item this step proves (src/reporting/checklist.ts). */
  checklist?: ChecklistId;
  /** The call(s) through the client; the answer the checks judge. */
  call(ctx: C, state: S): Promise<R>;
  /** The status the answer must have (the answer is then an ApiResult), and why when it is not obvious. */
  status?: { is: number; because?: string };
  /** An eventually consistent read (the feed): called again until `until` holds, within `withinMs`. */
  poll?: { until: Check<R, S>; withinMs(ctx: C): number };
  /** Judged in order after the status; the first failure fails the step. */
  checks?: Check<R, S>[];
  /** What later steps need from this answer. */
  keep?(result: R, state: S): void;
}

export interface Lifecycle<S, C extends LifecycleContext = LifecycleContext> {
  /** How runners and reports name it ('integrated consent'). */
  name: string;
  /** Where the provider's docs walk it. */
  source: string;
  /** What a run carries from step to step, fresh for each run. */
  start(ctx: C): S;
  steps: LifecycleStep<S, unknown, C>[];
}

/** A step whose answer is typed (`R`), in a lifecycle's list of steps. */
export const defineStep = <S, R, C extends LifecycleContext = LifecycleContext>(step: LifecycleStep<S, R, C>): LifecycleStep<S, unknown, C> =>
  step as LifecycleStep<S, unknown, C>;

/** The steps a runner that cannot wait (compare: one answer per request; the bench: throughput) runs: those without a poll. */
export function withoutPolling<S, C extends LifecycleContext>(lifecycle: Lifecycle<S, C>): Lifecycle<S, C> {
  const steps = lifecycle.steps.filter((s) => !s.poll);
  const left = lifecycle.steps.filter((s) => s.poll).map((s) => `"${s.title}"`);
  return { ...lifecycle, name: left.length ? `${lifecycle.name}, without its polled ${left.join(', ')}` : lifecycle.name, steps };
}

/** A value kept by an earlier step; a step that needs it fails saying which. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}: the step that provides it did not succeed`);
  return value;
}

const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));

// --- predicates ---------------------------------------------------------------------------------

export const equals = <R, S>(name: string, actual: (r: R, s: S) => unknown, expected: (r: R, s: S) => unknown): Check<R, S> => ({
  name,
  test(r, s) {
    const [a, e] = [actual(r, s), expected(r, s)];
    return isDeepStrictEqual(a, e) ? undefined : `expected ${show(e)}, received ${show(a)}`;
  },
});

export const differs = <R, S>(name: string, actual: (r: R, s: S) => unknown, other: (r: R, s: S) => unknown): Check<R, S> => ({
  name,
  test(r, s) {
    const [a, o] = [actual(r, s), other(r, s)];
    return isDeepStrictEqual(a, o) ? `expected anything but ${show(o)}, received it` : undefined;
  },
});

export const contains = <R, S>(name: string, list: (r: R, s: S) => readonly unknown[] | undefined, item: (r: R, s: S) => unknown): Check<R, S> => ({
  name,
  test(r, s) {
    const [l, i] = [list(r, s), item(r, s)];
    return l?.some((x) => isDeepStrictEqual(x, i)) ? undefined : `expected ${show(l)} to contain ${show(i)}`;
  },
});

export const between = <R, S>(name: string, actual: (r: R, s: S) => number, low: number, high: number): Check<R, S> => ({
  name,
  test(r, s) {
    const a = actual(r, s);
    return a > low && a < high ? undefined : `expected more than ${low} and less than ${high}, received ${a}`;
  },
});

// --- running outside a test runner ---------------------------------------------------------------

const statusOf = (result: unknown): number | undefined =>
  result && typeof result === 'object' && typeof (result as { status?: unknown }).status === 'number' ? (result as { status: number }).status : undefined;

/** The first thing a step's answer fails (status, then the checks in order); undefined when it holds. */
function judge<S, C extends LifecycleContext>(step: LifecycleStep<S, unknown, C>, result: unknown, state: S): { check: string; failure: string } | undefined {
  if (step.status && statusOf(result) !== step.status.is) {
    return { check: step.status.because ?? 'status', failure: `expected status ${step.status.is}, received ${statusOf(result) ?? 'no answer'}` };
  }
  for (const check of step.checks ?? []) {
    const failure = check.test(result, state);
    if (failure !== undefined) return { check: check.name, failure };
  }
  return undefined;
}

/** The step's call; a polled step is called again until its `until` holds or its time is up (then its last answer). */
async function callStep<S, C extends LifecycleContext>(step: LifecycleStep<S, unknown, C>, ctx: C, state: S): Promise<unknown> {
  if (!step.poll) return step.call(ctx, state);
  const deadline = Date.now() + step.poll.withinMs(ctx);
  let pause = 100;
  for (;;) {
    let result: unknown;
    let failure: Failure;
    try {
      result = await step.call(ctx, state);
      failure = step.poll.until.test(result, state);
    } catch (error) {
      if (Date.now() + pause > deadline) throw error;
      failure = (error as Error).message;
    }
    if (failure === undefined) return result;
    if (Date.now() + pause > deadline) throw new LifecycleFailure(step.title, step.poll.until.name, failure);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 1000);
  }
}

export class LifecycleFailure extends Error {
  constructor(readonly step: string, readonly check: string, readonly failure: string) {
    super(`${step}: ${check}: ${failure}`);
    this.name = 'LifecycleFailure';
  }
}

type Findings = { findings?: { severity: string; check: string; rule: string }[] };

/** The answers in a step's result: the result itself, or the answers a step of several calls returns (its items or fields). */
const answersIn = (result: unknown): Findings[] =>
  !result || typeof result !== 'object' ? [] : 'findings' in result ? [result as Findings] : (Object.values(result).filter((a) => a && typeof a === 'object') as Findings[]);

/** Contract errors the client found on the step's answers (the bench has no fixture to throw them). */
function contractErrors(result: unknown): string[] {
  return answersIn(result).flatMap((a) => (a.findings ?? []).filter((f) => f.severity === 'error').map((f) => `${f.check} ${f.rule}`));
}

/**
 * Runs every step in order and throws a LifecycleFailure naming the step at the first answer that
 * fails its status, a check or the contract, or at a call that throws (a refused token, an ID token
 * whose signature does not verify). For runners without a test runner (the bench).
 */
export async function runLifecycle<S, C extends LifecycleContext>(lifecycle: Lifecycle<S, C>, ctx: C): Promise<S> {
  const state = lifecycle.start(ctx);
  for (const step of lifecycle.steps) {
    const result = await callStep(step, ctx, state).catch((error: unknown) => {
      throw error instanceof LifecycleFailure ? error : new LifecycleFailure(step.title, 'the call', error instanceof Error ? error.message : String(error));
    });
    const errors = contractErrors(result);
    if (errors.length) throw new LifecycleFailure(step.title, 'the contract', [statusOf(result), errors.join('; ')].filter((x) => x !== undefined).join(' '));
    const failed = judge(step, result, state);
    if (failed) throw new LifecycleFailure(step.title, failed.check, failed.failure);
    step.keep?.(result, state);
  }
  return state;
}
