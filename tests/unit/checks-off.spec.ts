/**
 * Checks listed and switched off by name, as the CLI and the reports show them: `checks` lists
 * every check with its rule; an unknown name is a usage error (exit 2); a check switched off
 * shows in gate.md, onboarding.md, the health summary and certificates as switched off, never as
 * passed (builders fed a hand-made results object, as tests/runs/run-reports.spec.ts does).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runCliInProcess } from '../runs/helpers.ts';
import { gateSummary } from '../../src/cli/gate.ts';
import { healthMarkdown, healthReport } from '../../src/cli/health.ts';
import type { RunResults, RunTest } from '../../src/reporting/results.ts';
import { gateChecks, onboardingChecks } from '../../src/certificate/sources.ts';
import { scoreOf } from '../../src/certificate/document.ts';
import { checkNames, checks, CHECK_OFF_ANNOTATION, describeCheckOff, type CheckName } from '../../src/contract/checks.ts';

/** Runs a command line in-process from an empty folder, with its output captured. */
const cli = (argv: string[], env: NodeJS.ProcessEnv = {}) => runCliInProcess(argv, env, mkdtempSync(join(tmpdir(), 'nogi-checks-')));

const ranTest = (title: string, off: CheckName[], outcome: RunTest['outcome'] = 'passed'): RunTest => ({
  project: 'mock', file: 'integrated-consent.spec.ts', titlePath: [title], title, tags: ['@gate', '@onboarding', '@health'], outcome, durationMs: 10,
  annotations: off.map((name) => ({ type: CHECK_OFF_ANNOTATION, description: describeCheckOff(name) })), attemptAnnotations: [], steps: [],
});
const results = (tests: RunTest[]): RunResults => ({
  tests, errors: [], counts: { passed: tests.filter((t) => t.outcome === 'passed').length, failed: tests.filter((t) => t.outcome === 'failed').length, skipped: 0 },
});
const off: CheckName[] = ['content_type_conformance', 'feed_invariants'];

test('`checks` lists every check of the registry with its rule and source; one switched off is marked', async () => {
  const { code, stdout } = await cli(['checks'], { NOGI_CHECKS_OFF: 'feed_invariants' });
  expect(code).toBe(0);
  for (const name of checkNames) {
    expect(stdout).toContain(`${name} (`);
    expect(stdout).toContain(`  rule: ${checks[name].rule}`);
    expect(stdout).toContain(`  source: ${checks[name].source}`);
  }
  expect(stdout).toMatch(/^feed_invariants \(each response\) — SWITCHED OFF/m);
  expect(stdout.match(/SWITCHED OFF/g)).toHaveLength(1);
  expect(stdout).toMatch(/^use_after_free \(stateful/m);
});

test('an unknown check name is a usage error, exit 2, with the closest name: in --checks-off and in NOGI_CHECKS_OFF', async () => {
  const flag = await cli(['gate', '--checks-off', 'content_type_conformence']);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toContain('--checks-off: unknown check "content_type_conformence"; did you mean content_type_conformance?');
  const variable = await cli(['checks'], { NOGI_CHECKS_OFF: 'ignored_auth,use_after_fre' });
  expect(variable.code).toBe(2);
  expect(variable.stderr).toContain('NOGI_CHECKS_OFF: unknown check "use_after_fre"; did you mean use_after_free?');
  expect(variable.stdout).toBe('');
});

test('gate.md lists each check switched off with its rule, and says so beside the tally; none without', () => {
  const md = gateSummary(results([ranTest('integrated consent lifecycle', off), ranTest('security', off)]), 'mock', 0, { status: 'passed', exitCode: 0 });
  expect(md).toContain('Tests: 2 tests ran (2 passed, 0 failed), 0 skipped; switched off (not judged): content_type_conformance, feed_invariants.');
  const section = md.slice(md.indexOf('## Checks switched off'));
  expect(section).toContain(`- \`content_type_conformance\`: ${checks.content_type_conformance.rule}`);
  expect(section).toContain(`- \`feed_invariants\`: ${checks.feed_invariants.rule}`);
  expect(section).not.toContain('ignored_auth');
  const plain = gateSummary(results([ranTest('integrated consent lifecycle', [])]), 'mock', 0);
  expect(plain).not.toContain('switched off');
});

test('certificates carry a check switched off as not exercised, never as passed; the health summary lists it', () => {
  const run = results([ranTest('integrated consent lifecycle @gate', off)]);
  const verdicts = gateChecks(run);
  expect(verdicts.filter((v) => v.id.startsWith('check-switched-off:'))).toEqual(off.map((name) => ({
    id: `check-switched-off:${name}`, title: `check ${name} switched off (not judged): ${checks[name].rule}`, verdict: 'not exercised',
  })));
  expect(scoreOf(verdicts)).toMatchObject({ passed: 1, failed: 0, notExercised: 2 });
  expect(onboardingChecks(run).filter((v) => v.verdict === 'not exercised' && v.id.startsWith('check-switched-off:'))).toHaveLength(2);
  const health = healthMarkdown(healthReport('mock', run, { status: 'skipped' }));
  expect(health).toContain('## Checks switched off');
  expect(health).toContain(`- \`feed_invariants\`: ${checks.feed_invariants.rule}`);
});
