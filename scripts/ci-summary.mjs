// Prints the plain closing line CI reads, from Playwright's JSON report. Exits non-zero when the
// report is missing or unreadable, so a broken summary never passes for a green run.
import { existsSync, readFileSync } from 'node:fs';

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
const { stats, errors = [] } = report;
const passed = stats.expected + stats.flaky;
const failed = stats.unexpected + (errors.length && !stats.unexpected ? 1 : 0);
console.log(`${passed} passed, ${failed} failed, ${stats.skipped} skipped`);
