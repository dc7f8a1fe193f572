/** Broker publishing and can-i-deploy against a fake broker on 127.0.0.1; skipped without configuration. */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { brokerFromEnv, canIDeploy, publishPacts } from '../../../src/pact/broker.ts';
import { runCliInProcess } from '../../runs/helpers.ts';

interface Seen { method: string; url: string; auth?: string; body: string }

async function fakeBroker(answer: (req: IncomingMessage) => unknown) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      res.setHeader('content-type', 'application/hal+json');
      res.end(JSON.stringify(answer(req)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => server.close(r)) };
}

test('publish sends both pacts for the consumer version; can-i-deploy reads the verdict', async () => {
  const broker = await fakeBroker((req) => (req.url?.startsWith('/can-i-deploy') ? { summary: { deployable: false, reason: 'no verification of nogi-consent-api' } } : {}));
  try {
    const cfg = brokerFromEnv({ PACT_BROKER_BASE_URL: broker.url, PACT_BROKER_TOKEN: 'broker-token-123', PACT_CONSUMER_VERSION: '1.2.3', PACT_BRANCH: 'main' })!;
    expect(await publishPacts(cfg)).toEqual(['nogi-consent-api', 'nogi-access']);
    const publish = broker.seen[0]!;
    expect([publish.method, publish.url, publish.auth]).toEqual(['POST', '/contracts/publish', 'Bearer broker-token-123']);
    const body = JSON.parse(publish.body) as { pacticipantName: string; pacticipantVersionNumber: string; branch: string; contracts: Array<{ providerName: string; content: string }> };
    expect([body.pacticipantName, body.pacticipantVersionNumber, body.branch]).toEqual(['nogi-partner-client', '1.2.3', 'main']);
    expect(JSON.parse(Buffer.from(body.contracts[0]!.content, 'base64').toString()).provider.name).toBe('nogi-consent-api');

    const verdict = await canIDeploy(cfg);
    expect(verdict.deployable).toBe(false);
    expect(verdict.summary).toContain('no verification of nogi-consent-api');
    expect(broker.seen[1]!.url).toBe('/can-i-deploy?pacticipant=nogi-partner-client&version=1.2.3&environment=production');
  } finally {
    await broker.close();
  }
});

test('a broker URL without credentials is refused; no broker means skipped with a message', async () => {
  expect(() => brokerFromEnv({ PACT_BROKER_BASE_URL: 'http://127.0.0.1:9' })).toThrow(/PACT_BROKER_TOKEN/);
  const env = { ...process.env };
  delete env.PACT_BROKER_BASE_URL;
  const cwd = mkdtempSync(join(tmpdir(), 'nogi-pact-broker-'));
  // Once as `npm run pact:publish` runs it (through bin/), the rest in-process: a child proves nothing more.
  const bin = fileURLToPath(new URL('../../../bin/nogi-conformance.js', import.meta.url));
  const published = spawnSync(process.execPath, [bin, 'pact', 'publish'], { cwd, env, encoding: 'utf8' });
  expect(published.status, published.stderr).toBe(0);
  expect(published.stdout).toContain('pact publish skipped: PACT_BROKER_BASE_URL is not set');
  const canIDeploySkipped = await runCliInProcess(['pact', 'can-i-deploy'], env, cwd);
  expect(canIDeploySkipped.code, canIDeploySkipped.stderr).toBe(0);
  expect(canIDeploySkipped.stdout).toContain('pact can-i-deploy skipped: PACT_BROKER_BASE_URL is not set');
  const refused = await runCliInProcess(['pact', 'can-i-deploy'], { ...env, PACT_BROKER_BASE_URL: 'http://127.0.0.1:9', PACT_BROKER_TOKEN: '' }, cwd);
  expect([refused.code, refused.stderr]).toEqual([1, 'PACT_BROKER_BASE_URL is set but no credentials: set PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD\n']);
  const mistyped = await runCliInProcess(['pact', 'publsh'], env, cwd);
  expect([mistyped.code, mistyped.stderr]).toEqual([2, 'nogi-conformance: pact takes verify, publish or can-i-deploy, got "publsh"; did you mean publish?\n']);
});
