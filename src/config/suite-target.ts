/**
 * The target the suite runs against, as the environment names it; for `mock`, the credentials are
 * the simulator's own fixture clients. Every entry point (the Playwright fixtures, the global
 * setup, the Pact verifier, the CLI) resolves the target here.
 */
import { getCatalogue } from '../contract/catalogue.ts';
import { fixtureClients, type SimClient } from '../simulator/fixtures.ts';
import { ConfigError, resolveTarget, type ClientCredentials, type MockDefaults, type Target, type TargetName } from './target.ts';

const credentials = (c: SimClient): ClientCredentials => ({ clientId: c.client_id, clientSecret: c.client_secret, redirectUri: c.redirect_uris[0] });

function simulatorCredentials(): MockDefaults {
  const { a, b, withoutAgreement } = fixtureClients();
  return { client: credentials(a), secondClient: credentials(b), clientWithoutAgreement: credentials(withoutAgreement) };
}

/**
 * The target, or a ConfigError whose stack is its message: Playwright prints the stack, and a
 * person who forgot a variable needs the list of what is missing, not a trace into this file.
 */
export async function suiteTarget(env: Record<string, string | undefined> = process.env): Promise<Target> {
  const catalogue = await getCatalogue();
  try {
    return resolveTarget(catalogue, env, simulatorCredentials);
  } catch (error) {
    if (error instanceof ConfigError) error.stack = `${error.name}: ${error.message}`;
    throw error;
  }
}

/**
 * The environment a target project resolves its target from. `mock` is the simulator that
 * playwright.config.ts starts, on the ports it printed (NOGI_SIM_*_PORT, read by webServer.wait), whatever base URLs the
 * environment names for other targets; the others are named by the environment (.env).
 */
export function targetEnvironment(name: TargetName, env: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  if (name !== 'mock') return { ...env, NOGI_TARGET: name };
  const url = (port: string | undefined) => (port ? `http://127.0.0.1:${port}` : undefined);
  return {
    ...env,
    NOGI_TARGET: 'mock',
    NOGI_ACCESS_BASE_URL: url(env.NOGI_SIM_ACCESS_PORT),
    NOGI_API_BASE_URL: url(env.NOGI_SIM_API_PORT),
    NOGI_ADMIN_BASE_URL: url(env.NOGI_SIM_ADMIN_PORT),
  };
}
