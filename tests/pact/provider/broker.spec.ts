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
  const bin = fileURLToPath(new URL('../../../bin/nogi-conformance.js', import.meta.url));
  const cwd = mkdtempSync(join(tmpdir(), 'nogi-pact-broker-'));
  // As `npm run pact:publish` and `npm run pact:can-i-deploy` run them.
  for (const action of ['publish', 'can-i-deploy']) {
    const run = spawnSync(process.execPath, [bin, 'pact', action], { cwd, env, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`pact ${action} skipped: PACT_BROKER_BASE_URL is not set`);
  }
  const refused = spawnSync(process.execPath, [bin, 'pact', 'can-i-deploy'], { cwd, env: { ...env, PACT_BROKER_BASE_URL: 'http://127.0.0.1:9', PACT_BROKER_TOKEN: '' }, encoding: 'utf8' });
  expect([refused.status, refused.stderr]).toEqual([1, 'PACT_BROKER_BASE_URL is set but no credentials: set PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD\n']);
  const mistyped = spawnSync(process.execPath, [bin, 'pact', 'publsh'], { cwd, env, encoding: 'utf8' });
  expect([mistyped.status, mistyped.stderr]).toEqual([2, 'nogi-conformance: pact takes verify, publish or can-i-deploy, got "publsh"; did you mean publish?\n']);
});
