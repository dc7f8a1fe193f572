/**
 * What every run checks before it starts Playwright: the target's configuration (ConfigError,
 * exit 2) and that its hosts answer HTTP at all (exit 3). doctor shows the same checks one by one.
 */
import { resolveTarget, type Target, type TargetName } from '../config/target.ts';
import { getCatalogue } from '../contract/catalogue.ts';
import { UnreachableError } from './exit-codes.ts';

/**
 * The resolved target, or undefined for `mock`: the runner starts the simulator itself (on free
 * ports, from playwright.config.ts), so there is nothing to configure or reach beforehand.
 * Throws ConfigError listing what is missing.
 */
export async function checkConfig(env: NodeJS.ProcessEnv): Promise<Target | undefined> {
  const catalogue = await getCatalogue();
  const name = (env.NOGI_TARGET ?? 'mock') as TargetName;
  if (name === 'mock') {
    // Still validates NOGI_TARGET-independent settings (test NINs, login driver).
    const placeholder = 'http://127.0.0.1:1';
    resolveTarget(catalogue, { ...env, NOGI_ACCESS_BASE_URL: placeholder, NOGI_API_BASE_URL: placeholder }, () => ({
      client: { clientId: 'mock', clientSecret: 'mock' },
      secondClient: { clientId: 'mock', clientSecret: 'mock' },
      clientWithoutAgreement: { clientId: 'mock', clientSecret: 'mock' },
    }));
    return undefined;
  }
  return resolveTarget(catalogue, env);
}

/** One host's answer to a plain GET: any HTTP status counts as reachable. */
export interface ReachabilityCheck {
  name: string;
  url: string;
  ok: boolean;
  status?: number;
  problem?: string;
  ms: number;
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer within the timeout';
  const code = e.cause?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host name does not resolve (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens there';
  if (code) return `${code}: ${e.cause?.message ?? ''}`.trim();
  return e.cause?.message ?? e.message ?? String(error);
}

/** Any HTTP answer counts as reachable; only network failures do not. */
export async function checkReachable(name: string, url: string, timeoutMs = 5_000): Promise<ReachabilityCheck> {
  const started = performance.now();
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return { name, url, ok: true, status: res.status, ms: performance.now() - started };
  } catch (error) {
    return { name, url, ok: false, problem: describe(error), ms: performance.now() - started };
  }
}

/** The access host's discovery document and the API host. */
export async function checkTargetReachable(target: Target, timeoutMs?: number): Promise<ReachabilityCheck[]> {
  return Promise.all([
    checkReachable('access host (OpenID discovery)', `${target.accessBaseUrl}/.well-known/openid-configuration`, timeoutMs),
    checkReachable('API host', `${target.apiBaseUrl}/feed/v1/consent/lastSequenceNr`, timeoutMs),
  ]);
}

export async function assertReachable(target: Target | undefined): Promise<void> {
  if (!target) return;
  const down = (await checkTargetReachable(target)).filter((check) => !check.ok);
  if (down.length === 0) return;
  throw new UnreachableError(
    `The ${target.name} target is unreachable:\n` +
      down.map((p) => `  - ${p.name} ${p.url}: ${p.problem}`).join('\n') +
      '\nCheck NOGI_ACCESS_BASE_URL / NOGI_API_BASE_URL, your network, VPN or proxy, and that the provider allows your outbound IP.',
  );
}
