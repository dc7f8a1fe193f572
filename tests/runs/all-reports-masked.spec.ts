/**
 * After real runs, no client secret, no token and no NIN appears anywhere under the reports
 * folder: plain files, zip and gzip archives, base64 blobs (the Playwright HTML report embeds its
 * data as a base64 zip) included. The scanner is proved able to find each first.
 * The runs are the onboarding run on the mock target here, and the full gate from the installed
 * package (tests/runs/all-from-the-installed-package.spec.ts, which carries the certificate's checks too); each nested
 * run costs seconds, so the same runs carry several checks.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { zipSync, strToU8 } from 'fflate';
import { scanForLeaks } from '../../src/reporting/leak-scan.ts';
import { scrubReports } from '../../src/reporting/scrub.ts';
import { checklistItem, cleanEnv, clients, expectNoLeaks, NINS, needles, runCli } from './helpers.ts';

test('the scanner finds a secret, a token and a NIN in plain text, base64, zips and base64 zips', () => {
  const dir = test.info().outputPath('planted');
  mkdirSync(dir, { recursive: true });
  const token = `${'a'.repeat(43)}.${'B'.repeat(43)}`;
  writeFileSync(join(dir, 'plain.txt'), `debt of ${NINS[0]}`);
  writeFileSync(join(dir, 'headers.json'), JSON.stringify({ authorization: `Basic ${Buffer.from(`${clients.a.client_id}:${clients.a.client_secret}`).toString('base64')}` }));
  const zip = zipSync({ 'data/attachment.txt': strToU8(`Authorization: Bearer ${token}`) });
  writeFileSync(join(dir, 'trace.zip'), zip);
  writeFileSync(join(dir, 'index.html'), `<script>window.report="data:application/zip;base64,${Buffer.from(zipSync({ 'r.json': strToU8(JSON.stringify({ nin: NINS[1] })) })).toString('base64')}"</script>`);
  const { leaks } = scanForLeaks(dir, needles);
  const found = leaks.map((l) => `${l.needle} @ ${l.where.split(' › ')[0]}`);
  expect(found).toEqual(expect.arrayContaining(['NIN 1…1 @ plain.txt', 'client secret A @ headers.json', 'simulator token @ trace.zip', 'NIN 2…1 @ index.html']));
});

test('scrubReports masks what Playwright writes itself, inside the HTML report data too, and leaves its code alone', () => {
  const dir = test.info().outputPath('scrub');
  mkdirSync(join(dir, 'playwright-html'), { recursive: true });
  const code = '<script>const x={code:someFunctionName};</script>';
  const data = Buffer.from(zipSync({ 'report.json': strToU8(JSON.stringify({ steps: [{ title: `Fill "${NINS[0]}" getByTestId('nin-input')` }] })) })).toString('base64');
  writeFileSync(join(dir, 'playwright-html', 'index.html'), `${code}<template id="playwrightReportBase64">data:application/zip;base64,${data}</template>`);
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ title: `Fill "${NINS[1]}"` }));
  expect(scanForLeaks(dir, needles).leaks).toHaveLength(2);
  const { changed } = scrubReports(dir);
  expect(changed).toHaveLength(2);
  expect(scanForLeaks(dir, needles).leaks).toEqual([]);
  expect(readFileSync(join(dir, 'playwright-html', 'index.html'), 'utf8')).toContain(code);
  expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual({ title: 'Fill "2*********1"' });
});

test.describe('after runs', () => {
  test.describe.configure({ timeout: 600_000 });

  // One onboarding run on the mock target, as a partner's first run: every item passes, the
  // progress shows the gate's spec steps, and nothing secret reaches a report.
  test('onboarding on the mock target (simulator started by the runner): every item passes, no leak', async () => {
    const reports = test.info().outputPath('reports');
    const r = await runCli(['onboarding', '--target', 'mock'], cleanEnv({ NOGI_REPORTS_DIR: reports, NOGI_ALLURE_REPORT: '1' }));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readdirSync(reports)).toEqual(expect.arrayContaining(['allure-report', 'allure-results', 'playwright-html', 'junit.xml', 'results.json', 'onboarding.md', 'onboarding.html']));
    const md = readFileSync(join(reports, 'onboarding.md'), 'utf8');
    expect(md).toContain('Details (each request and response, masked): allure-report/index.html or playwright-html/index.html.');
    for (const title of ['Token for the agreement API', 'Integrated-consent agreement granted', 'Debt lookup', 'Consent status', 'Revoke', 'Consents feed access', 'auth page reachable', 'callback URI registered']) {
      expect(checklistItem(md, title)).toContain('passed');
    }
    expect(r.stdout, 'the same spec steps the gate runs').toContain('✓ 4. Look up debt using the consent');
    expectNoLeaks(reports);
    expect(r.stdout).not.toContain(clients.a.client_secret);
  });
});
