/**
 * A run against a target that is not configured stops before any test, with one message listing
 * every missing setting and where to set it: no stack trace, no secret, no test run.
 * (A nested run: what is under test is the runner's behaviour itself.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

test('an unconfigured custom target stops the run once with the list of what is missing', () => {
  const reports = mkdtempSync(join(tmpdir(), 'nogi-self-config-'));
  const secret = 'self-config-secret-Pq7';
  const env: NodeJS.ProcessEnv = { ...process.env, NOGI_TARGET: 'custom', NOGI_CLIENT_SECRET: secret, NOGI_REPORTS_DIR: reports, FORCE_COLOR: '0' };
  for (const key of ['NOGI_ACCESS_BASE_URL', 'NOGI_API_BASE_URL', 'NOGI_ADMIN_BASE_URL', 'NOGI_CLIENT_ID', 'NOGI_PROGRESS']) delete env[key];
  try {
    // Playwright's own command line, as `npx playwright test` runs it (without npm's start-up).
    const r = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--project=custom', '--reporter=line', 'specs/integrated-consent.spec.ts'], { env, encoding: 'utf8', timeout: 90_000 });
    const output = `${r.stdout}${r.stderr}`;
    expect(r.status, output).not.toBe(0);
    expect(output).toContain('The custom target is not configured');
    for (const name of ['NOGI_ACCESS_BASE_URL is missing', 'NOGI_API_BASE_URL is missing', 'NOGI_CLIENT_ID is missing']) expect(output).toContain(name);
    expect(output).toContain('Set these in .env');
    expect(output, 'no stack trace').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(output, 'no test ran').not.toMatch(/\[custom\] ›/);
    expect(output).not.toContain(secret);
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
});
