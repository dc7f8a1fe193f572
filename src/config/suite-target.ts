/**
 * The target the suite runs against, as the environment names it; for `mock`, the credentials are
 * the simulator's own fixture clients. Every entry point (the Playwright fixtures, the global
 * setup, the Pact verifier, the CLI) resolves the target here.
 */
import { getCatalogue } from '../contract/catalogue.ts';
import { fixtureClients, type SimClient } from '../simulator/fixtures.ts';
import { ConfigError, resolveTarget, type ClientCredentials, type MockDefaults, type Target } from './target.ts';

const credentials = (c: SimClient): ClientCredentials => ({ clientId: c.client_id, clientSecret: c.client_secret, redirectUri: c.redirect_uris[0] });

export function simulatorCredentials(): MockDefaults {
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
