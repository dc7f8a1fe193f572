/**
 * The pacts are deterministic: the consumer tests, run again into a temp dir, write files
 * byte-identical to the committed ones (so regenerating leaves `git status` clean). This runs
 * after the pact-consumer project, which has just (re)written contracts/pacts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { EX } from '../../../src/pact/examples.ts';
import { pactDir } from '../../../src/pact/names.ts';

test('generating the pacts twice gives byte-identical files', async () => {
  test.setTimeout(180_000);
  const out = mkdtempSync(join(tmpdir(), 'nogi-pacts-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A fresh runner: its own simulator ports and base URLs, none of this worker's internals.
    if (/^(NOGI_SIM_|NOGI_(ACCESS|API|ADMIN)_BASE_URL$|TEST_|PW_|PLAYWRIGHT_)/.test(k) || k === 'NODE_OPTIONS' || k === 'NOGI_PROGRESS') continue;
    env[k] = v;
  }
  env.NOGI_PACT_DIR = out;
  env.NOGI_REPORTS_DIR = join(out, 'reports');
  env.NOGI_TARGET = 'mock';
  const run = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--project=pact-consumer', '--reporter=line'], {
    env, encoding: 'utf8', timeout: 170_000,
  });
  expect(run.status, `nested consumer run failed (${run.signal ?? `exit ${run.status}`}):\n${run.stdout.slice(-6000)}\n${run.stderr.slice(-3000)}`).toBe(0);
  const committed = readdirSync(pactDir()).filter((f) => f.endsWith('.json')).sort();
  const regenerated = readdirSync(out).filter((f) => f.endsWith('.json')).sort();
  expect(regenerated).toEqual(committed);
  for (const f of committed) {
    const a = readFileSync(join(pactDir(), f), 'utf8');
    const b = readFileSync(join(out, f), 'utf8');
    // Compared as text, so that a failure shows where the two generations differ.
    expect(b, `${f} differs between two generations`).toBe(a);
    // No run-specific values leak into the file.
    expect(a.replaceAll(EX.redirectUri, '').replaceAll(encodeURIComponent(EX.redirectUri), '')).not.toMatch(/127\.0\.0\.1|localhost/);
  }
});
