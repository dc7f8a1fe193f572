/**
 * Names and places shared by the consumer tests, the verifier, the cross-check and the broker
 * scripts. One consumer (a partner's client, i.e. our typed NoGiClient), two providers: the API
 * host and the access (OAuth) host, because NoGi runs them on two origins.
 */
import { resolve } from 'node:path';
import { packageRoot } from '../package-root.ts';

export const CONSUMER = 'nogi-partner-client';
export const API_PROVIDER = 'nogi-consent-api';
export const ACCESS_PROVIDER = 'nogi-access';
export type ProviderName = typeof API_PROVIDER | typeof ACCESS_PROVIDER;

const root = packageRoot;

/** Where pact files are written and read: contracts/pacts, or NOGI_PACT_DIR (e.g. a temp dir). */
export const pactDir = (env: Record<string, string | undefined> = process.env): string =>
  resolve(root, env.NOGI_PACT_DIR ?? 'contracts/pacts');

const pactFileName = (provider: ProviderName): string => `${CONSUMER}-${provider}.json`;
export const pactFile = (provider: ProviderName, dir = pactDir()): string => resolve(dir, pactFileName(provider));
