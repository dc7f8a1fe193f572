// Prints the plain closing line CI reads, from Playwright's JSON report. Exits non-zero when the
// report is missing or unreadable, so a broken summary never passes for a green run. Above it, each
// failed test with the head of its error: CI keeps only the end of a long log, and a failure that
// shows its name alone cannot be diagnosed afterwards. (The report was masked by the scrub reporter.)
import { existsSync, readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const file = process.argv[2] ?? 'reports/results.json';
let report;
try {
  report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
} catch (error) {
  console.error(`${file} is not valid JSON: ${error.message}`);
}
if (!report) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const ERROR_LINES = 25;
const head = (text) => {
  const lines = stripVTControlCharacters(text).split('\n');
  return lines.length > ERROR_LINES ? [...lines.slice(0, ERROR_LINES), `… (${lines.length - ERROR_LINES} more lines)`] : lines;
};

/** Every test of the report, with the titles of the suites around it. */
function* tests(suites, titles = []) {
  for (const suite of suites ?? []) {
    const path = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) for (const test of spec.tests ?? []) yield { title: [...path, spec.title].join(' › '), test };
    yield* tests(suite.suites, path);
  }
}

const { stats, errors = [] } = report;
const failures = [...tests(report.suites)].filter(({ test }) => test.status === 'unexpected');
for (const { title, test } of failures) {
  console.log(`\n✘ [${test.projectName}] ${title}`);
  const result = test.results.at(-1);
  for (const error of result?.errors ?? []) for (const line of head(error.message ?? error.value ?? '')) console.log(`    ${line}`);
}
for (const error of errors) for (const line of head(error.message ?? '')) console.log(`  run error: ${line}`);
if (failures.length || errors.length) console.log('');

const passed = stats.expected + stats.flaky;
const failed = stats.unexpected + (errors.length && !stats.unexpected ? 1 : 0);
console.log(`${passed} passed, ${failed} failed, ${stats.skipped} skipped`);
