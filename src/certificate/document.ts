/**
 * The conformance certificate: a JSON document that names exactly what was checked (the suite,
 * the contract hashes, the target, the client, every verdict and the score), signed as a JWS over
 * its RFC 8785 canonical form (sign.ts). It never holds a secret or a NIN: it is built through
 * src/reporting/redact.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { packageRoot } from '../package-root.ts';
import { contractPaths, contractsDir, currentContractVersion, readUpstreamSource, sha256, versionPaths, type ContractVersion } from '../contract/load.ts';
import { redactValue } from '../reporting/redact.ts';

export const CERTIFICATE_TYPE = 'nogi-conformance-certificate';
export const CERTIFICATE_VERSION = 1;

export type Verdict = 'pass' | 'fail' | 'not exercised';
export type CertificateSource = 'gate' | 'onboarding' | 'client-report';

export interface CheckVerdict {
  id: string;
  title: string;
  verdict: Verdict;
}

export interface Score {
  passed: number;
  failed: number;
  notExercised: number;
  /** passed / (passed + failed) in percent, one decimal; checks not exercised do not count. */
  percent: number;
}

export type ContractKey = 'upstream' | 'errata' | 'oauth';
/**
 * The three contract files a certificate is bound to, by the names a verifier looks them up under:
 * the provider's document of the version that judged, that version's errata, and the OAuth
 * contract; in `dir` laid out as this suite's contracts/ (default: this suite's).
 */
export function certifiedContracts(version: ContractVersion = currentContractVersion(), dir: string = contractsDir): Record<ContractKey, string> {
  const files = versionPaths(version, `${dir.replace(/\/?$/, '/')}versions/`);
  return { upstream: files.openapi, errata: files.errata, oauth: `${dir.replace(/\/?$/, '/')}${contractPaths.oauth.slice(contractsDir.length)}` };
}

export interface Certificate {
  type: typeof CERTIFICATE_TYPE;
  version: typeof CERTIFICATE_VERSION;
  /** Signed with a development key generated on this machine: proves nothing to a third party. */
  development: boolean;
  suite: { name: string; version: string; commit: string };
  /** The provider's contract version that judged (contracts/versions/), and the commit it names. */
  contract: { version: ContractVersion; commit: string | null };
  contracts: Record<ContractKey, { file: string; sha256: string }>;
  source: CertificateSource;
  target: { name: string; accessBaseUrl: string | null; apiBaseUrl: string | null };
  clientId: string | null;
  issuedAt: string;
  expiresAt: string;
  checks: CheckVerdict[];
  score: Score;
}

const projectRoot = `${packageRoot}${sep}`;

const verdictOfOutcome = { passed: 'pass', failed: 'fail', skipped: 'not exercised' } as const satisfies Record<string, Verdict>;
/** Checks from a run's outcomes (tests, checklist items). */
export function checksFromOutcomes(items: ReadonlyArray<{ id: string; title: string; outcome: keyof typeof verdictOfOutcome }>): CheckVerdict[] {
  return items.map((i) => ({ id: i.id, title: i.title, verdict: verdictOfOutcome[i.outcome] }));
}

export function scoreOf(checks: readonly CheckVerdict[]): Score {
  const passed = checks.filter((c) => c.verdict === 'pass').length;
  const failed = checks.filter((c) => c.verdict === 'fail').length;
  const judged = passed + failed;
  return { passed, failed, notExercised: checks.length - judged, percent: judged === 0 ? 0 : Math.round((passed / judged) * 1000) / 10 };
}

/** The SHA-256 of each certified contract file, as found in `dir` (default: this suite's contracts/). */
export function contractHashes(paths: Record<ContractKey, string> = certifiedContracts()): Certificate['contracts'] {
  const entry = (key: ContractKey) => ({ file: paths[key].slice(paths[key].lastIndexOf('contracts/')), sha256: sha256(readFileSync(paths[key])) });
  return { upstream: entry('upstream'), errata: entry('errata'), oauth: entry('oauth') };
}

/** The suite's package version and git commit (NOGI_SUITE_COMMIT when installed without .git). */
function suiteInfo(env: NodeJS.ProcessEnv = process.env): Certificate['suite'] {
  const pkg = JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { name: string; version: string };
  let commit = env.NOGI_SUITE_COMMIT ?? 'unknown';
  // Installed as a package there is no .git of the suite's own (git would find the partner's repository).
  if (!env.NOGI_SUITE_COMMIT && existsSync(`${projectRoot}.git`)) {
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      // A checkout with uncommitted changes to tracked files is not the commit it names.
      commit = git('rev-parse', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+dirty' : '');
    } catch {
      // Not a git checkout (an npm install): the version alone names the suite.
    }
  }
  return { name: pkg.name, version: pkg.version, commit };
}

export interface CertificateInput {
  source: CertificateSource;
  checks: CheckVerdict[];
  target: Certificate['target'];
  clientId?: string;
  development: boolean;
  /** Default: now. */
  issuedAt?: Date;
  /** The contract version that judged; default: this process's (NOGI_CONTRACT or the default). */
  contractVersion?: ContractVersion;
  validDays?: number;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_VALID_DAYS = 90;

export function buildCertificate(input: CertificateInput): Certificate {
  const issued = input.issuedAt ?? new Date();
  const contractVersion = input.contractVersion ?? currentContractVersion(input.env);
  const expires = new Date(issued.getTime() + (input.validDays ?? DEFAULT_VALID_DAYS) * 86_400_000);
  const certificate: Certificate = {
    type: CERTIFICATE_TYPE,
    version: CERTIFICATE_VERSION,
    development: input.development,
    suite: suiteInfo(input.env),
    contract: { version: contractVersion, commit: readUpstreamSource(contractVersion).commit ?? null },
    contracts: contractHashes(certifiedContracts(contractVersion)),
    source: input.source,
    target: input.target,
    clientId: input.clientId ?? null,
    issuedAt: issued.toISOString(),
    expiresAt: expires.toISOString(),
    checks: input.checks,
    score: scoreOf(input.checks),
  };
  // Check titles and evidence come from test names and reports: mask before anything is signed.
  return redactValue(certificate);
}

/** --min-score: a percentage from 0 to 100. Undefined text: no threshold. */
export function parseMinScore(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text) || n < 0 || n > 100) throw new RangeError(`--min-score must be a percentage from 0 to 100, got "${text}"`);
  return n;
}

/** The line a run prints when a threshold is given; `ok` false makes the run fail (exit 1). */
export function meetsMinScore(score: Score, min: number | undefined): { ok: boolean; line?: string } {
  if (min === undefined) return { ok: true };
  const ok = score.percent >= min;
  return { ok, line: `score ${score.percent}% (${score.passed} passed, ${score.failed} failed, ${score.notExercised} not exercised) ${ok ? '≥' : 'is below'} --min-score ${min}%` };
}
