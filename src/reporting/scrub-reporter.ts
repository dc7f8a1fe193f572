/**
 * The last reporter of every run: once all reports are written (onExit), masks what Playwright
 * itself wrote under the reports folder (src/reporting/scrub.ts). Listed in playwright.config.ts.
 */
import type { Reporter } from '@playwright/test/reporter';
import { scrubReports } from './scrub.ts';

export default class ScrubReporter implements Reporter {
  constructor(private readonly options: { dir?: string } = {}) {}

  printsToStdio(): boolean {
    return false;
  }

  async onExit(): Promise<void> {
    scrubReports(this.options.dir ?? process.env.NOGI_REPORTS_DIR ?? 'reports');
  }
}
