/**
 * A certificate from a gate run on the simulator (custom target, limited with --grep to the
 * integrated lifecycle to stay quick), signed and verified through the CLI as a new user would;
 * one changed byte makes verification fail with the reason; the gate reports its --min-score.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Certificate } from '../../src/certificate/document.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, clients, customTarget, runCli } from './helpers.ts';

test.describe.configure({ timeout: 180_000 });

test('a gate run on the simulator meets --min-score 100, is certified and verifies offline; a changed byte fails with the reason', async () => {
  const sim = await startSimulator({ host: '127.0.0.1', log: () => undefined });
  try {
    const reports = test.info().outputPath('reports');
    const env = cleanEnv({ ...customTarget(sim), NOGI_REPORTS_DIR: reports, NOGI_PACT_DIR: test.info().outputPath('pacts'), NOGI_DATA_DIR: test.info().outputPath('data') });
    const gate = await runCli(['gate', '--grep', 'integrated consent lifecycle', '--min-score', '100'], env);
    // The gate itself: a conformant provider passes, the progress names the lifecycle steps.
    expect(gate.code, gate.stdout + gate.stderr).toBe(0);
    expect(gate.stdout).toContain('✓ 5. Revoke a consent');
    const gateMd = readFileSync(join(reports, 'gate.md'), 'utf8');
    expect(gateMd).toContain('**PASSED**');
    expect(gateMd).toContain('≥ --min-score 100%');

    const certify = await runCli(['certify'], env);
    expect(certify.code, certify.stdout + certify.stderr).toBe(0);
    expect(certify.stdout).toContain('DEVELOPMENT certificate');
    const certificate = JSON.parse(readFileSync(join(reports, 'certificate.json'), 'utf8')) as Certificate;
    expect(certificate).toMatchObject({ source: 'gate', development: true, clientId: clients.a.client_id, target: { name: 'custom', accessBaseUrl: sim.accessUrl, apiBaseUrl: sim.apiUrl } });
    expect(certificate.checks.some((c) => c.verdict === 'pass' && /integrated consent lifecycle/.test(c.title))).toBe(true);
    const text = readFileSync(join(reports, 'certificate.json'), 'utf8') + readFileSync(join(reports, 'certificate.jws'), 'utf8');
    expect(text).not.toContain(clients.a.client_secret);

    const jws = join(reports, 'certificate.jws');
    const key = join(reports, 'certificate-key.public.jwk');
    const verified = await runCli(['verify', jws, '--key', key], env);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toContain('VALID');

    const original = readFileSync(jws, 'utf8').trim();
    const [header, payload, signature] = original.split('.');
    const changed = Buffer.from(payload!, 'base64url').toString('utf8').replace('"development":true', '"development":false');
    writeFileSync(jws, [header, Buffer.from(changed).toString('base64url'), signature].join('.'));
    const tampered = await runCli(['verify', jws, '--key', key], env);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('✗ signature: the signature does not match the content');
  } finally {
    await sim.close();
  }
});
