/**
 * Provider verification of the committed pacts against a target: the simulator, or any target
 * the environment names (a release candidate). `nogi-conformance pact verify` (npm run pact:verify)
 * and the gate run it through command.ts; tests call verifyPacts() directly.
 *
 * Guards against the Pact JS weak spots the brief names:
 *  - pact-js#631 (silent state failures): an unknown state, a failing state handler or a failing
 *    hook is recorded; the interaction that needed it gets a 500 naming the state and the error
 *    (so its diff says why), and the whole verification fails. Unknown states are also found
 *    before anything runs, by scanning the pact files.
 *  - pact-js#1434 (state handlers ignored beside a requestFilter): the filter lets the state set-up
 *    path through untouched and always calls next(); the report lists every state that ran, and
 *    a test asserts that they did.
 *  - pact-js#1233 (form bodies sent as JSON): the verifier's proxy parses form bodies and would
 *    forward them as JSON; the filter puts the form encoding back (same fields, same order).
 *  - recorded tokens are never replayed: the filter rewrites the Authorization header only, with
 *    a fresh token for the operation's service, and lists each rewrite.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Request, RequestHandler, Response } from 'express';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { Target } from '../config/target.ts';
import { redact } from '../reporting/redact.ts';
import { ACCESS_PROVIDER, API_PROVIDER, pactDir, pactFile, type ProviderName } from './names.ts';
import { pactTarget, ProviderSetup } from './provider-setup.ts';
import { DEFAULT_PARAMS, parseState, stateKinds, type DebtScope } from './states.ts';

type JsonMap = Record<string, unknown>;

export interface StateRun { state: string; ok: boolean; error?: string }
export interface HeaderRewrite { request: string; header: 'Authorization'; action: string }
export interface InteractionFailure { interaction: string; details: string[] }
export interface ProviderResult { provider: ProviderName; baseUrl: string; ok: boolean; interactions: number; failures: InteractionFailure[]; error?: string }

export interface VerifyReport {
  ok: boolean;
  target: string;
  providers: ProviderResult[];
  unknownStates: string[];
  states: StateRun[];
  stateFailures: StateRun[];
  hookFailures: string[];
  rewrites: HeaderRewrite[];
}

export interface VerifyOptions {
  target?: Target;
  dir?: string;
  providers?: ProviderName[];
  /** Put form bodies back into form encoding before the provider sees them (pact-js#1233). Default true. */
  formBodyWorkaround?: boolean;
  /** Extra state handlers (tests use this to prove a failing handler fails verification). */
  extraStates?: Record<string, (params: JsonMap) => Promise<JsonMap | undefined>>;
  /** A hook run before each interaction's states (tests use it to prove a failing hook fails). */
  beforeEach?: () => Promise<void>;
  /** Publish verification results to a Pact Broker (only with pacts fetched from it). */
  broker?: Pick<VerifierOptions, 'pactBrokerUrl' | 'pactBrokerToken' | 'pactBrokerUsername' | 'pactBrokerPassword' | 'providerVersion' | 'providerVersionBranch' | 'publishVerificationResult' | 'consumerVersionSelectors'>;
  log?: (line: string) => void;
}

interface PactFileShape { interactions?: Array<{ description?: string; providerStates?: Array<{ name: string }> }> }

export function readPact(file: string): PactFileShape {
  return JSON.parse(readFileSync(file, 'utf8')) as PactFileShape;
}

/** States named in a pact that no handler knows. */
function unknownStatesIn(files: string[], extra: string[] = []): string[] {
  const unknown = new Set<string>();
  for (const f of files) {
    for (const i of readPact(f).interactions ?? []) {
      for (const s of i.providerStates ?? []) if (!parseState(s.name) && !extra.includes(s.name)) unknown.add(s.name);
    }
  }
  return [...unknown];
}

const str = (v: unknown, fallback: string): string => (typeof v === 'string' && v ? v : fallback);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : fallback);

class VerificationContext {
  states: StateRun[] = [];
  hookFailures: string[] = [];
  rewrites: HeaderRewrite[] = [];
  /** A state of the interaction under way failed: its request gets a 500 that says so. */
  poisoned?: string;
  /** The consent a consentExists state made, for a following state of the same interaction. */
  current?: { consentId: string; clientConsentId: string };
  constructor(readonly setup: ProviderSetup, readonly log: (line: string) => void) {}
}

function stateHandler(ctx: VerificationContext, name: string, extra: VerifyOptions['extraStates']) {
  return async (raw?: unknown): Promise<JsonMap | undefined> => {
    const params = (raw && typeof raw === 'object' ? raw : {}) as JsonMap;
    const run: StateRun = { state: name, ok: true };
    ctx.states.push(run);
    try {
      const result = await resolveState(ctx, name, params, extra);
      ctx.log(`  state ✓ ${redact(name)}`);
      return result;
    } catch (e) {
      run.ok = false;
      run.error = redact(e instanceof Error ? e.message : String(e));
      ctx.poisoned = `provider state "${redact(name)}" failed: ${run.error}`;
      ctx.log(`  state ✗ ${redact(name)}: ${run.error}`);
      throw e;
    }
  };
}

async function resolveState(ctx: VerificationContext, name: string, params: JsonMap, extra: VerifyOptions['extraStates']): Promise<JsonMap | undefined> {
  const custom = extra?.[name];
  if (custom) return custom(params);
  const parsed = parseState(name);
  const kind = parsed?.kind;
  const scope = str(params.scope, DEFAULT_PARAMS.scope) as DebtScope;
  const { setup } = ctx;
  switch (kind) {
    case 'agreementClient':
      return { clientConsentId: setup.newClientConsentId() };
    case 'consentExists': {
      const created = await setup.registerAgreement(str(params.nin, DEFAULT_PARAMS.nin), num(params.days, parsed!.numbers.days!), scope);
      ctx.current = created;
      return { ...created };
    }
    case 'consentRevoked': {
      const consent = ctx.current ?? (await setup.registerAgreement(str(params.nin, DEFAULT_PARAMS.nin), num(params.days, 30), scope));
      await setup.revoke(consent.consentId);
      return { consentId: consent.consentId, clientConsentId: consent.clientConsentId };
    }
    case 'debtClient':
      return { audience: setup.target.audiences.debt };
    case 'authCode': {
      return { ...(await setup.authorizationCode(str(params.nin, DEFAULT_PARAMS.nin), scope)), clientId: setup.target.client.clientId };
    }
    case 'authCodeToken': {
      const { code, redirectUri } = await setup.authorizationCode(str(params.nin, DEFAULT_PARAMS.nin), scope);
      return { accessToken: await setup.exchangeCode(code, redirectUri) };
    }
    case 'feedEvents': {
      const from = (await setup.lastSequenceNr()) + 1;
      const consent = await setup.registerAgreement(str(params.nin, DEFAULT_PARAMS.nin), num(params.days, 30), scope);
      await setup.revoke(consent.consentId);
      return { fromSequenceNr: from, consentId: consent.consentId };
    }
    default:
      throw new Error(`unknown provider state "${name}": no handler knows it (known: ${stateKinds.join(', ')})`);
  }
}

const NOT_STATES = new Set(['toJSON', 'then', 'constructor', 'valueOf', 'toString', 'inspect', '$$typeof', '__proto__']);

/** Every name resolves to a handler; an unknown one throws when run (pact-js would only warn). */
function stateHandlers(ctx: VerificationContext, extra: VerifyOptions['extraStates']): NonNullable<VerifierOptions['stateHandlers']> {
  return new Proxy({}, {
    // Property names that libraries probe (JSON.stringify, await, inspection) are not states.
    get: (_t, name) => (typeof name === 'string' && !NOT_STATES.has(name) ? stateHandler(ctx, name, extra) : undefined),
  }) as NonNullable<VerifierOptions['stateHandlers']>;
}

const STATE_SETUP_PATH = '/_pactSetup';

function requestFilter(ctx: VerificationContext, formBodyWorkaround: boolean): RequestHandler {
  const rewrite = async (req: Request): Promise<void> => {
    const path = req.path;
    const label = `${req.method} ${path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{id}')}`;
    const original = req.headers.authorization;
    if (original !== undefined) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(original)?.[1];
      let fresh: string | undefined;
      let action: string;
      const needed = bearer && ctx.setup.issued.has(bearer) ? undefined : await ctx.setup.authorizationFor(req.method, path);
      if (bearer && ctx.setup.issued.has(bearer)) {
        action = 'kept: a fresh token injected by the provider state';
      } else if (needed) {
        fresh = needed.header;
        action = needed.why;
      } else {
        action = 'left as recorded (no fresh token applies; expect a failure)';
      }
      if (fresh) req.headers.authorization = fresh;
      ctx.rewrites.push({ request: label, header: 'Authorization', action });
    }
    // pact-js#1233: the proxy parsed the form and would forward JSON.stringify(body).
    if (formBodyWorkaround && req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object' && !Buffer.isBuffer(req.body)) {
      const encoded = Buffer.from(new URLSearchParams(req.body as Record<string, string>).toString());
      req.body = encoded;
      req.headers['content-length'] = String(encoded.length);
    }
  };
  return (req: Request, res: Response, next) => {
    // pact-js#1434: the filter sits in front of the state set-up route too; never swallow it.
    if (req.path === STATE_SETUP_PATH) return next();
    if (ctx.poisoned) {
      const message = ctx.poisoned;
      ctx.poisoned = undefined;
      res.status(500).json({ pactVerification: 'provider state set-up failed; the request was not sent to the provider', error: message });
      return;
    }
    rewrite(req).then(() => next(), (e: unknown) => {
      const message = redact(e instanceof Error ? e.message : String(e));
      ctx.log(`  request filter failed on ${req.method} ${req.path}: ${message}`);
      res.status(500).json({ pactVerification: 'could not obtain a fresh token for this request', error: message });
    });
  };
}

/** Turns the verifier's JSON result into interaction-level failures a person can read. */
function parseVerifierResult(raw: unknown): { failures: InteractionFailure[]; output: string[] } {
  let data: unknown = raw;
  if (raw instanceof Error) data = raw.message;
  if (typeof data === 'string') {
    const text = data;
    try {
      data = JSON.parse(text);
    } catch {
      return { failures: text ? [{ interaction: '(verifier)', details: [redact(text)] }] : [], output: [] };
    }
  }
  const d = (data ?? {}) as { errors?: Array<{ interaction?: string; mismatch?: unknown }>; output?: string[] };
  const failures = (d.errors ?? []).map((e) => ({
    interaction: redact((e.interaction ?? '(unknown interaction)').replace(/^Verifying a pact between \S+ and \S+\s*/, '')),
    details: mismatchLines(e.mismatch),
  }));
  return { failures, output: (d.output ?? []).map(redact) };
}

function mismatchLines(m: unknown): string[] {
  const mm = (m ?? {}) as { type?: string; message?: string; mismatches?: Array<Record<string, unknown>> };
  if (mm.type === 'error') return [redact(mm.message ?? 'error')];
  return (mm.mismatches ?? []).map((x) => {
    const where = x.path ? ` ${String(x.path)}` : x.key ? ` ${String(x.key)}` : '';
    const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
    const exp = x.expected !== undefined ? ` expected ${show(x.expected)}` : '';
    const act = x.actual !== undefined ? `, got ${show(x.actual)}` : '';
    const text = x.mismatch ? ` (${String(x.mismatch)})` : '';
    return redact(`[${String(x.type)}]${where}${exp}${act}${text}`.slice(0, 600));
  });
}

export async function verifyPacts(options: VerifyOptions = {}): Promise<VerifyReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const target = options.target ?? (await pactTarget());
  const dir = options.dir ?? pactDir();
  const providers = options.providers ?? [API_PROVIDER, ACCESS_PROVIDER];
  const setup = new ProviderSetup(target);
  const ctx = new VerificationContext(setup, log);
  const report: VerifyReport = { ok: true, target: target.name, providers: [], unknownStates: [], states: ctx.states, stateFailures: [], hookFailures: ctx.hookFailures, rewrites: ctx.rewrites };

  const files = providers.map((p) => pactFile(p, dir));
  const missing = options.broker?.pactBrokerUrl ? [] : files.filter((f) => !existsSync(f));
  if (missing.length) {
    report.ok = false;
    report.providers = providers.map((p) => ({ provider: p, baseUrl: '', ok: false, interactions: 0, failures: [], error: `no pact file ${pactFile(p, dir)}: generate it with the consumer tests (npx playwright test --project=pact-consumer --update-snapshots)` }));
    return report;
  }
  if (!options.broker?.pactBrokerUrl) {
    report.unknownStates = unknownStatesIn(files, Object.keys(options.extraStates ?? {}));
    if (report.unknownStates.length) {
      report.ok = false;
      log(`Unknown provider state(s), verification not started: ${report.unknownStates.map((s) => `"${redact(s)}"`).join(', ')}`);
      return report;
    }
  }

  for (const provider of providers) {
    const baseUrl = provider === API_PROVIDER ? target.apiBaseUrl : target.accessBaseUrl;
    const file = pactFile(provider, dir);
    const interactions = options.broker?.pactBrokerUrl ? 0 : (readPact(file).interactions ?? []).length;
    log(`Verifying ${provider} at ${baseUrl} (${interactions || 'broker'} interactions)`);
    const before = ctx.states.length;
    const verifier = new Verifier({
      provider,
      providerBaseUrl: baseUrl,
      ...(options.broker?.pactBrokerUrl ? options.broker : { pactUrls: [file] }),
      stateHandlers: stateHandlers(ctx, options.extraStates),
      requestFilter: requestFilter(ctx, options.formBodyWorkaround ?? true),
      beforeEach: async () => {
        ctx.current = undefined;
        ctx.poisoned = undefined;
        try {
          await options.beforeEach?.();
        } catch (e) {
          const message = redact(e instanceof Error ? e.message : String(e));
          ctx.hookFailures.push(message);
          ctx.poisoned = `hook beforeEach failed: ${message}`;
          throw e;
        }
      },
      logLevel: (process.env.NOGI_PACT_LOG_LEVEL as VerifierOptions['logLevel']) ?? 'error',
      failIfNoPactsFound: true,
    });
    const result: ProviderResult = { provider, baseUrl, ok: true, interactions, failures: [] };
    try {
      await verifier.verifyProvider();
    } catch (e) {
      result.ok = false;
      const parsed = parseVerifierResult(e);
      result.failures = parsed.failures;
      if (!parsed.failures.length) result.error = redact(e instanceof Error ? e.message : String(e));
    }
    const failedStates = ctx.states.slice(before).filter((s) => !s.ok);
    if (failedStates.length) result.ok = false;
    // Say on each failed interaction which of its states failed, and why (pact-js#631).
    const described = options.broker?.pactBrokerUrl ? [] : readPact(file).interactions ?? [];
    for (const f of result.failures) {
      const interaction = described.find((i) => i.description && f.interaction.endsWith(i.description));
      for (const s of interaction?.providerStates ?? []) {
        const failed = failedStates.find((x) => x.state === s.name);
        if (failed) f.details.unshift(`provider state "${redact(s.name)}" failed: ${failed.error}`);
      }
    }
    report.providers.push(result);
  }
  report.stateFailures = ctx.states.filter((s) => !s.ok);
  report.ok = report.providers.every((p) => p.ok) && report.stateFailures.length === 0 && report.hookFailures.length === 0;
  return report;
}

export function formatReport(r: VerifyReport): string {
  const lines: string[] = [`Pact verification against the ${r.target} target: ${r.ok ? 'PASSED' : 'FAILED'}`];
  if (r.unknownStates.length) lines.push(`Unknown provider states (no handler): ${r.unknownStates.map((s) => `"${s}"`).join(', ')}`);
  for (const p of r.providers) {
    lines.push(`${p.ok ? '✓' : '✗'} ${p.provider} at ${p.baseUrl} (${p.interactions} interactions)`);
    if (p.error) lines.push(`    ${p.error}`);
    for (const f of p.failures) {
      lines.push(`    ✗ ${f.interaction}`);
      for (const d of f.details) lines.push(`        ${d}`);
    }
  }
  lines.push(`Provider states run: ${r.states.length} (${r.stateFailures.length} failed)`);
  for (const s of r.stateFailures) lines.push(`    ✗ ${s.state}: ${s.error}`);
  for (const h of r.hookFailures) lines.push(`    ✗ hook beforeEach: ${h}`);
  const grouped = new Map<string, number>();
  for (const w of r.rewrites) grouped.set(`${w.request}: ${w.header} ${w.action}`, (grouped.get(`${w.request}: ${w.header} ${w.action}`) ?? 0) + 1);
  lines.push(`Headers rewritten by the request filter (Authorization only):`);
  for (const [k, n] of grouped) lines.push(`    ${k}${n > 1 ? ` (x${n})` : ''}`);
  return redact(lines.join('\n'));
}
