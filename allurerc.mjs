// Allure 3 (npm `allure`, no Java) for `nogi-conformance` runs and `npm run report`: one
// self-contained HTML file, so a report downloaded from CI opens straight from disk.
import { defineConfig } from 'allure';

export default defineConfig({
  name: 'NoGi conformance',
  plugins: {
    awesome: {
      options: {
        reportName: 'NoGi conformance',
        singleFile: true,
        groupBy: ['parentSuite', 'suite', 'subSuite'],
        stepTreeExpansion: 'expand_failed_only',
      },
    },
  },
});
