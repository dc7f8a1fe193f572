/**
 * Health against a simulator, with the "published" OpenAPI document served from 127.0.0.1:
 * identical (no drift), modified (drift listed, exit 1), unreachable (drift unknown, no crash).
 * Latency comes from the @health specs' `timings` annotations (tests/runs/run-reports.spec.ts
 * tests the builder on hand-made results).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { currentContractVersion, versionPaths } from '../../src/contract/load.ts';
import type { HealthReport } from '../../src/cli/health.ts';
import { diffContracts } from '../../src/contract/diff.ts';
import { checkDrift, driftMarkdown, driftOf, type DriftReport } from '../../src/reporting/drift.ts';
import { latencyStats } from '../../src/reporting/latency.ts';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, customTarget, expectNoLeaks, runCli, startQuietSimulator } from './helpers.ts';

// Each test starts nested runs of the CLI: slower when the rest of npm test shares the machine.
test.describe.configure({ timeout: 180_000 });

const vendoredText = readFileSync(versionPaths(currentContractVersion()).openapi, 'utf8');
type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };

/** The provider "publishes" a changed document: one operation gone, one new, one response and one schema changed. */
function modified(): Doc {
  const doc = JSON.parse(vendoredText) as Doc;
  delete doc.paths['/feed/v1/consent/firstSequenceNr'];
  doc.paths['/v1/debt/{id}/history'] = { get: { operationId: 'consentHistory', responses: { '200': { description: 'ok' } } } as never };
  doc.paths['/v1/debt/{id}']!.get!.responses['404'] = { description: 'unknown consent' };
  const status = doc.components.schemas.consent_status!;
  status.properties = { ...status.properties, revokedAt: { type: 'string', format: 'date-time' } };
  status.required = [...(status.required ?? []), 'revokedAt'];
  return doc;
}

let sim: RunningSimulator;
let server: Server;
let base = '';
test.beforeAll(async () => {
  sim = await startQuietSimulator();
  const modifiedText = JSON.stringify(modified(), null, 2);
  server = createServer((req, res) => {
    if (req.url === '/same/openapi.json') res.writeHead(200, { 'content-type': 'application/json' }).end(vendoredText);
    else if (req.url === '/changed/openapi.json') res.writeHead(200, { 'content-type': 'application/json' }).end(modifiedText);
    else if (req.url === '/html/openapi.json') res.writeHead(200, { 'content-type': 'text/html' }).end('<html>moved</html>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await sim?.close();
});

async function health(specUrl: string) {
  const reports = test.info().outputPath('reports');
  const r = await runCli(['health', '--samples', '3', '--spec-url', specUrl], cleanEnv({ ...customTarget(sim), NOGI_REPORTS_DIR: reports }));
  const json = JSON.parse(readFileSync(join(reports, 'health.json'), 'utf8')) as HealthReport & { drift: DriftReport };
  const md = readFileSync(join(reports, 'health.md'), 'utf8');
  return { ...r, json, md, reports };
}

test('healthy target, published document unchanged: exit 0, latency per endpoint', async () => {
  const r = await health(`${base}/same/openapi.json`);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.json.status).toBe('healthy');
  expect(r.json.drift.status).toBe('none');
  const endpoints = r.json.latency;
  expect(endpoints.map((l) => l.endpoint)).toEqual(expect.arrayContaining(['POST /oauth2/token', 'GET /v1/debt/{id}', 'GET /v1/debt/{id}/status', 'GET /feed/v1/consent']));
  for (const l of endpoints) {
    // --samples 3: the @health subset ran three times, so every endpoint it calls has 3 or more samples.
    expect(l.samples, l.endpoint).toBeGreaterThanOrEqual(3);
    expect(l.failures, l.endpoint).toBe(0);
    expect(l.p50).toBeLessThanOrEqual(l.p95);
    expect(l.p95).toBeLessThanOrEqual(l.max);
  }
  expect(r.json.checks.every((c) => c.runs === 3 && c.outcome === 'passed')).toBe(true);
  expect(r.md).toMatch(/\| GET \/v1\/debt\/\{id\} \| \d+ \|/);
  expect(r.md).toContain('No drift');
  // Every file the run wrote, archives included: no secret, token or NIN.
  expectNoLeaks(r.reports);
});

// A run with drift exits 1 (tests/runs/run-reports.spec.ts); here, what the drift check finds and says.
test('the published document differs: drift listed, breaking changes named', async () => {
  const drift = await checkDrift(`${base}/changed/openapi.json`);
  expect(drift.status).toBe('drift');
  expect(drift.removedOperations).toEqual(['GET /feed/v1/consent/firstSequenceNr']);
  expect(drift.addedOperations).toEqual(['GET /v1/debt/{id}/history']);
  expect(drift.changedOperations.map((c) => c.operation)).toContain('GET /v1/debt/{id}');
  expect(drift.schemaChanges.map((c) => c.schema)).toContain('consent_status');
  const md = driftMarkdown(drift);
  // contract diff's summary: each change once, under who must act.
  expect(md).toMatch(/client must act[^]*- GET \/feed\/v1\/consent\/firstSequenceNr: operation removed/);
  expect(md).toMatch(/provider must act[^]*- GET \/v1\/debt\/\{id\}\/history: operation added/);
  expect(md).toMatch(/provider must act[^]*- schema consent_status\.revokedAt: required property added/);
  expect(md).toContain('nogi-conformance contract update');
});

// The run itself is proven above; an unreachable or non-OpenAPI document is the drift check's concern.
test('the published document cannot be fetched or is not OpenAPI: drift unknown, no crash', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const refused = await checkDrift(`http://127.0.0.1:${port}/openapi.json`);
  expect(refused.status).toBe('unknown');
  expect(refused.reason).toContain('ECONNREFUSED');
  const html = await checkDrift(`${base}/html/openapi.json`);
  expect(html.status).toBe('unknown');
  expect(html.reason).toContain('not OpenAPI');
});

test('diffContracts: an identical document has no drift; a changed response is a changed operation', () => {
  const same = JSON.parse(vendoredText);
  const labels = { from: 'vendored', to: 'published' };
  expect(driftOf(diffContracts(JSON.parse(vendoredText), same), labels).status).toBe('none');
  const changed = modified();
  const d = driftOf(diffContracts(JSON.parse(vendoredText), changed), labels);
  expect(d.changedOperations.find((c) => c.operation === 'GET /v1/debt/{id}')?.changes.map((c) => c.description).join('\n')).toContain('404');
  expect(d.breaking).toBeGreaterThan(0);
});

test('latency: nearest-rank p50 and p95, and max', () => {
  expect(latencyStats('x', [5, 1, 4, 2, 3, 10, 9, 8, 7, 6])).toEqual({ endpoint: 'x', samples: 10, p50: 5, p95: 10, max: 10, failures: 0 });
  expect(latencyStats('y', [7])).toMatchObject({ p50: 7, p95: 7, max: 7 });
});
