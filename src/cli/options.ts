/**
 * The options of nogi-conformance, each defined once (its flag, its text, its check), and the
 * environment a run hands to Playwright. A command names the options it takes (src/cli/commands.ts);
 * a module of its own so that the runs (gate, onboarding, health) and main depend on it, never on
 * each other.
 */
import { isAbsolute, resolve } from 'node:path';
import { Option } from 'commander';
import { checkContractVersion } from '../contract/load.ts';
import { parseChecksOff, UnknownCheckName, type CheckName } from '../contract/checks.ts';
import { parseMinScore, type CertificateSource } from '../certificate/document.ts';
import { parseWholeNumber } from '../command-line.ts';
import { UsageError } from './exit-codes.ts';

const targetNames = ['mock', 'preprod', 'custom'] as const;

export interface Shard {
  index: number;
  total: number;
}

/** What the options of every command parse to; a command reads only those it takes. */
export interface CliOptions {
  target?: string;
  /** The provider's contract version that judges (contracts/versions/); sets NOGI_CONTRACT. */
  contract?: string;
  reports?: string;
  shard?: Shard;
  grep?: string;
  specUrl?: string;
  /** compare: save the target's debt answers as a persona pack. */
  record?: boolean;
  /** gate: --strict (true), --no-strict (false); unset: NOGI_STRICT, else strict (gate.ts strictProfile). */
  strict?: boolean;
  /** gate, onboarding, health: checks switched off by name (src/contract/checks.ts); sets NOGI_CHECKS_OFF. */
  checksOff?: CheckName[];
  /** gate, onboarding: pass when at least this percent of the judged checks passed. */
  minScore?: number;
  /** Health samples; undefined: NOGI_HEALTH_SAMPLES, else 5. */
  samples?: number;
  /** false with --no-drift. */
  drift: boolean;
  /** certify: which run's results (gate, onboarding, client-report). */
  from?: CertificateSource;
  /** certify: the signing key file; verify: the issuer's public key file. */
  key?: string;
  /** certify: days until the certificate expires. */
  validDays?: number;
  /** verify: the issuer's JWKS URL. */
  jwks?: string;
  /** verify: a contracts folder to compare the hashes with. */
  contracts?: string;
  /** client-report: errorReferences the client's logs kept (error-reference-kept). */
  errorReference?: string[];
  /** client-report: the client graded, the sandbox's admin URL, a scenario to play and its options. */
  client?: string;
  admin?: string;
  scenario?: string;
  operation?: string;
  set: Record<string, string | number>;
  reset: boolean;
  /** contract diff: the vendored version to compare with. */
  against?: string;
  /** contract update: the new version's id; when the provider published the document. */
  as?: string;
  published?: string;
}

/** `i/n` with 1 <= i <= n, checked here so that Playwright never sees a shard it would refuse. */
function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new UsageError(`--shard takes <index>/<total>, e.g. 1/3; got "${text}"`);
  const index = Number(match[1]);
  const total = Number(match[2]);
  if (total < 1 || index < 1 || index > total) throw new UsageError(`--shard ${text}: the index must be from 1 to the total (1/${total || 1} … ${total || 1}/${total || 1})`);
  return { index, total };
}

/** Health samples from --samples or NOGI_HEALTH_SAMPLES: a whole number from 1 to 20. */
const parseSamples = (text: string, source = '--samples'): number => parseWholeNumber(text, source, 1, 20);

function parseTarget(text: string): string {
  if (!(targetNames as readonly string[]).includes(text)) throw new UsageError(`--target must be mock, preprod or custom, got "${text}"`);
  return text;
}

function parseGrep(text: string): string {
  try {
    new RegExp(text);
  } catch (error) {
    throw new UsageError(`--grep: ${(error as Error).message}`);
  }
  return text;
}

/**
 * Every option, once. The parsers throw UsageError (exit 2, one line), which commander passes
 * through unchanged. Factories, because a commander Option belongs to one command.
 */
/** --min-score: a percentage, as a UsageError when it is not one. */
function parseMinScoreFlag(text: string): number | undefined {
  try {
    return parseMinScore(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** --contract: a version this suite vendors, with "did you mean" for a near miss. */
function parseContract(text: string): string {
  try {
    return checkContractVersion(text);
  } catch (e) {
    throw new UsageError(`--contract: ${(e as Error).message}`);
  }
}

/** --checks-off: names of the check registry, comma-separated; an unknown one with "did you mean". */
function parseChecksOffFlag(text: string): CheckName[] {
  try {
    return parseChecksOff(text, '--checks-off');
  } catch (e) {
    if (e instanceof UnknownCheckName) throw new UsageError(e.message);
    throw e;
  }
}

const certificateSources: readonly CertificateSource[] = ['gate', 'onboarding', 'client-report'];

function parseFrom(text: string): CertificateSource {
  if (!(certificateSources as readonly string[]).includes(text)) throw new UsageError(`--from must be one of ${certificateSources.join(', ')}, got "${text}"`);
  return text as CertificateSource;
}

const parseValidDays = (text: string): number => parseWholeNumber(text, '--valid-days', 1, 3650);

/** --set name=value, repeatable: a whole number stays a number (seconds=3), anything else a string. */
function collectSetting(text: string, previous: Record<string, string | number> = {}): Record<string, string | number> {
  const m = /^([A-Za-z]\w*)=(.+)$/.exec(text);
  if (!m) throw new UsageError(`--set takes name=value, got "${text}"`);
  return { ...previous, [m[1]!]: /^-?\d+$/.test(m[2]!) ? Number(m[2]) : m[2]! };
}

export const cliOptions = {
  target: () => new Option('--target <name>', 'mock (the embedded simulator, default), preprod, or custom (NOGI_ACCESS_BASE_URL, NOGI_API_BASE_URL); overrides NOGI_TARGET').argParser(parseTarget),
  contract: () => new Option('--contract <version>', 'the provider\'s contract version that judges: one of contracts/versions/index.json (default: its default, or NOGI_CONTRACT)').argParser(parseContract),
  reports: () => new Option('--reports <dir>', 'where reports go (default: reports/ in the current folder, or NOGI_REPORTS_DIR)'),
  shard: () => new Option('--shard <i/n>', 'run shard i of n, 1 <= i <= n (merge the blob reports afterwards)').argParser(parseShard),
  grep: () => new Option('--grep <regex>', 'only the tests whose title matches').argParser(parseGrep),
  specUrl: () => new Option('--spec-url <url>', 'the published OpenAPI document to compare with the vendored one (default: the provider\'s documentation site, or NOGI_PUBLISHED_SPEC_URL)'),
  samples: () => new Option('--samples <n>', 'how many times the health subset runs, 1-20 (default 5, or NOGI_HEALTH_SAMPLES)').argParser((text: string) => parseSamples(text)),
  noDrift: () => new Option('--no-drift', 'skip the drift check'),
  strict: () => new Option('--strict', 'the strict profile (the default): the RFC 6749 MUSTs the OAuth contract adopts (token Cache-Control: no-store, WWW-Authenticate on a 401, no scope beyond the requested) are errors; overrides NOGI_STRICT'),
  noStrict: () => new Option('--no-strict', 'those RFC MUSTs are warnings, as in onboarding'),
  checksOff: () => new Option('--checks-off <names>', 'switch checks off by name, comma-separated (`nogi-conformance checks` lists them), e.g. to stand for a documented provider defect: they judge nothing, and every report lists them as switched off, never as passed; overrides NOGI_CHECKS_OFF').argParser(parseChecksOffFlag),
  minScore: () => new Option('--min-score <percent>', 'pass when at least this percent of the judged checks passed (0-100), instead of requiring no failure').argParser(parseMinScoreFlag),
  record: () => new Option('--record', 'save the target\'s debt answers as a persona pack (synthetic NINs and names) in personas/<target>/'),
  from: () => new Option('--from <run>', 'gate (default), onboarding or client-report: which run\'s results to certify (the target and client it recorded in reports/run.json or client-report.json)').argParser(parseFrom),
  signingKey: () => new Option('--key <file>', 'the signing key (PEM or JWK, private); else NOGI_CERT_SIGNING_JWK; else a development key in NOGI_DATA_DIR (default .nogi/), and the certificate says "development": true'),
  validDays: () => new Option('--valid-days <n>', 'days until the certificate expires, 1-3650 (default 90)').argParser(parseValidDays),
  publicKey: () => new Option('--key <file>', 'the issuer\'s public key (PEM or JWK); certify writes certificate-key.public.jwk'),
  jwks: () => new Option('--jwks <url>', 'or the issuer\'s JWKS, the key picked by the certificate\'s kid'),
  contracts: () => new Option('--contracts <dir>', 'a contracts folder to compare the hashes with (versions/<version>/openapi.json and errata.overlay.yaml, oauth.openapi.yaml); default: this suite\'s contracts/'),
  client: () => new Option('--client <id>', 'the client to grade (required)'),
  admin: () => new Option('--admin <url>', 'the sandbox\'s admin URL (default NOGI_ADMIN_BASE_URL, else http://127.0.0.1:4430)'),
  scenario: () => new Option('--scenario <name>', 'play a scenario for this client instead of reporting (GET <admin>/grading/scenarios lists them)'),
  operation: () => new Option('--operation <id>', 'the operation a fault scenario applies to (default getDebtWithConsentID)'),
  set: () => new Option('--set <name=value>', 'a scenario option, repeatable: seconds=3, limit=10, gap=5, creditors=2, status=503, consentId=…').argParser(collectSetting),
  errorReference: () => new Option('--error-reference <value>', 'an errorReference your client\'s logs kept from a problem-details error, repeatable: proves it is kept for support').argParser((text: string, previous: string[] = []) => [...previous, text]),
  reset: () => new Option('--reset', 'forget the client\'s recording (start a fresh grading)'),
  against: () => new Option('--against <version>', 'the vendored contract version to compare with (default: the current one, NOGI_CONTRACT or the index\'s default)'),
  as: () => new Option('--as <id>', 'the new version\'s id (default: sha-<first 7 hex of its SHA-256>)'),
  published: () => new Option('--published <date>', 'when the provider published the document, YYYY-MM-DD (default: unknown)'),
} as const satisfies Record<string, () => Option>;
export type OptionName = keyof typeof cliOptions;

/** commander's parsed values as CliOptions: commander names each by its flag in camelCase (--min-score: minScore), as CliOptions does. */
export function toCliOptions(values: Record<string, unknown>): CliOptions {
  return {
    ...(values as Partial<CliOptions>),
    drift: values.drift !== false,
    record: values.record === true,
    set: (values.set as CliOptions['set'] | undefined) ?? {},
    reset: values.reset === true,
  };
}

/**
 * The environment a run hands to Playwright: .env, then the flags on top. The reports folder is
 * made absolute against the caller's folder: Playwright runs from the project's own folder.
 */
export function runEnvironment(options: CliOptions, base: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // CI templates pass unset variables as empty strings, and .env may say `KEY=`: both mean unset.
  for (const key of Object.keys(env)) if (key.startsWith('NOGI_') && env[key] === '') delete env[key];
  if (options.target) env.NOGI_TARGET = options.target;
  env.NOGI_TARGET ??= 'mock';
  if (options.contract) env.NOGI_CONTRACT = options.contract;
  if (options.checksOff) env.NOGI_CHECKS_OFF = options.checksOff.join(',');
  const reports = options.reports ?? env.NOGI_REPORTS_DIR ?? 'reports';
  env.NOGI_REPORTS_DIR = isAbsolute(reports) ? reports : resolve(cwd, reports);
  if (options.specUrl) env.NOGI_PUBLISHED_SPEC_URL = options.specUrl;
  if (options.samples !== undefined) env.NOGI_HEALTH_SAMPLES = String(options.samples);
  return env;
}

/** Health samples for this run: --samples, else NOGI_HEALTH_SAMPLES, else 5. */
export function healthSamples(env: NodeJS.ProcessEnv): number {
  return env.NOGI_HEALTH_SAMPLES === undefined ? 5 : parseSamples(env.NOGI_HEALTH_SAMPLES, 'NOGI_HEALTH_SAMPLES');
}
