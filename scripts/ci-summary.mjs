// Prints the plain closing line CI reads, from Playwright's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/results.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const { stats, errors = [] } = JSON.parse(readFileSync(file, 'utf8'));
const passed = stats.expected + stats.flaky;
const failed = stats.unexpected + (errors.length && !stats.unexpected ? 1 : 0);
console.log(`${passed} passed, ${failed} failed, ${stats.skipped} skipped`);
