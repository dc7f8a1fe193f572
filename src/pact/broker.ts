/**
 * Pact Broker publishing and can-i-deploy over the broker's HTTP API (no Ruby CLI, no binaries
 * downloaded): POST /contracts/publish and GET /can-i-deploy. Configured only from the
 * environment; without PACT_BROKER_BASE_URL nothing is contacted.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { redact, registerSecret } from '../reporting/redact.ts';
import { ACCESS_PROVIDER, API_PROVIDER, CONSUMER, pactDir, pactFile } from './names.ts';

export interface BrokerConfig {
  baseUrl: string;
  token?: string;
  username?: string;
  password?: string;
  /** The pacticipant asked about by can-i-deploy (default the consumer). */
  pacticipant: string;
  version: string;
  branch?: string;
  environment: string;
}

function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function brokerFromEnv(env: Record<string, string | undefined>): BrokerConfig | undefined {
  const baseUrl = env.PACT_BROKER_BASE_URL?.replace(/\/+$/, '');
  if (!baseUrl) return undefined;
  const token = env.PACT_BROKER_TOKEN;
  const username = env.PACT_BROKER_USERNAME;
  const password = env.PACT_BROKER_PASSWORD;
  if (!token && !(username && password)) {
    throw new Error('PACT_BROKER_BASE_URL is set but no credentials: set PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD');
  }
  registerSecret(token);
  registerSecret(password);
  const version = env.PACT_CONSUMER_VERSION ?? env.GIT_COMMIT ?? git(['rev-parse', 'HEAD']);
  if (!version) throw new Error('No version to publish: set PACT_CONSUMER_VERSION (or run inside the git repository)');
  return {
    baseUrl, token, username, password, version,
    pacticipant: env.PACT_PACTICIPANT ?? CONSUMER,
    branch: env.PACT_BRANCH ?? git(['rev-parse', '--abbrev-ref', 'HEAD']),
    environment: env.PACT_ENVIRONMENT ?? 'production',
  };
}

function headers(cfg: BrokerConfig): Record<string, string> {
  const auth = cfg.token ? `Bearer ${cfg.token}` : `Basic ${Buffer.from(`${cfg.username}:${cfg.password}`).toString('base64')}`;
  return { authorization: auth, accept: 'application/hal+json, application/json', 'content-type': 'application/json' };
}

async function brokerCall(cfg: BrokerConfig, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${cfg.baseUrl}${path}`, { method, headers: headers(cfg), body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw new Error(redact(`Pact Broker ${method} ${path}: ${res.status} ${text.slice(0, 300)}`));
  return parsed;
}

/** Publishes both pact files (contracts/pacts) for the consumer version; returns the provider names. */
export async function publishPacts(cfg: BrokerConfig, dir = pactDir()): Promise<string[]> {
  const providers = [API_PROVIDER, ACCESS_PROVIDER] as const;
  await brokerCall(cfg, 'POST', '/contracts/publish', {
    pacticipantName: CONSUMER,
    pacticipantVersionNumber: cfg.version,
    branch: cfg.branch,
    contracts: providers.map((provider) => ({
      consumerName: CONSUMER,
      providerName: provider,
      specification: 'pact',
      contentType: 'application/json',
      content: readFileSync(pactFile(provider, dir)).toString('base64'),
    })),
  });
  return [...providers];
}

export async function canIDeploy(cfg: BrokerConfig): Promise<{ deployable: boolean; summary: string }> {
  const q = new URLSearchParams({ pacticipant: cfg.pacticipant, version: cfg.version, environment: cfg.environment });
  const body = await brokerCall(cfg, 'GET', `/can-i-deploy?${q}`);
  const summary = (body.summary ?? {}) as { deployable?: boolean; reason?: string };
  const deployable = summary.deployable === true;
  return { deployable, summary: `can-i-deploy ${cfg.pacticipant} ${cfg.version} to ${cfg.environment}: ${deployable ? 'yes' : 'no'}${summary.reason ? ` (${summary.reason})` : ''}` };
}
