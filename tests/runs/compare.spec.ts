/**
 * `nogi-conformance compare` as a partner runs it: exit 0 and "No differences" against a provider
 * that answers as the simulator does, exit 2 with one line for the mistakes.
 * (What compare finds against deviating providers: tests/simulator/compare.spec.ts.)
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunningSimulator } from '../../src/simulator/index.ts';
import { cleanEnv, customTarget, folderOutsideProject, runCli, startQuietSimulator } from './helpers.ts';

let sim: RunningSimulator;
test.beforeAll(async () => {
  sim = await startQuietSimulator();
});
test.afterAll(async () => {
  await sim.close();
});

test('compare --target custom --record against a provider like the simulator: exit 0, reports and a persona pack', async () => {
  const reports = mkdtempSync(join(tmpdir(), 'nogi-compare-run-'));
  const r = await runCli(['compare', '--target', 'custom', '--record', '--reports', reports], cleanEnv(customTarget(sim)));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('No differences between the simulator and custom.');
  expect(readFileSync(join(reports, 'compare.md'), 'utf8')).toContain('No differences.');
  expect(JSON.parse(readFileSync(join(reports, 'compare.json'), 'utf8')).differences).toEqual([]);
  // The pack is beside the reports, not in them (every NIN under reports/ is masked, synthetic ones too).
  expect(existsSync(join(reports, 'personas'))).toBe(false);
  expect(existsSync(join(folderOutsideProject(), 'personas', 'custom', 'people.json'))).toBe(true);
});

test('compare against the simulator itself, and --record elsewhere, are usage errors: exit 2, one line', async () => {
  const self = await runCli(['compare', '--target', 'mock'], cleanEnv({}));
  expect(self.code).toBe(2);
  expect(self.stderr.trim()).toBe('nogi-conformance: compare needs a target other than the simulator it compares with: --target preprod or --target custom');
  const misplaced = await runCli(['doctor', '--record'], cleanEnv({}));
  expect(misplaced.code).toBe(2);
  expect(misplaced.stderr).toContain('--record goes with compare');
});
