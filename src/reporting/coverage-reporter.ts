/**
 * Contract coverage: which documented operation × status code pairs (and OAuth endpoint ×
 * outcome pairs) a run exercised, and which it did not. Reads the per-test attachment the
 * `nogi` fixture writes; writes reports/coverage.json and reports/coverage.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { getCatalogue } from '../contract/catalogue.ts';
import { getContracts } from '../contract/index.ts';

export const coverageAttachment = 'nogi-contract-coverage';

/** What the fixtures record for each exchange; `outcome` names a callback's result. */
export interface CoverageRecord {
  contract: 'api' | 'oauth';
  operationId: string;
  status: number;
  outcome?: string;
}

/** The documented callback outcomes of /oauth2/auth (auth-endpoint.md), beside its statuses. */
const authorizeOutcomes = ['code', 'consent_denied', 'login_cancelled', 'invalid_scopes', 'server_error'];

export interface CoverageRow {
  contract: string;
  operationId: string;
  outcome: string;
  documented: boolean;
  exercised: number;
}

export function coverageMatrix(records: CoverageRecord[], documented: Array<{ contract: string; operationId: string; outcomes: string[] }>): CoverageRow[] {
  const counts = new Map<string, number>();
  const key = (c: string, op: string, o: string) => `${c}|${op}|${o}`;
  for (const r of records) {
    const k = key(r.contract, r.operationId, r.outcome ?? String(r.status));
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const rows: CoverageRow[] = [];
  for (const d of documented) {
    for (const outcome of d.outcomes) {
      const k = key(d.contract, d.operationId, outcome);
      rows.push({ contract: d.contract, operationId: d.operationId, outcome, documented: true, exercised: counts.get(k) ?? 0 });
      counts.delete(k);
    }
  }
  for (const [k, exercised] of counts) {
    const [contract, operationId, outcome] = k.split('|') as [string, string, string];
    rows.push({ contract, operationId, outcome, documented: false, exercised });
  }
  return rows;
}

export function coverageMarkdown(rows: CoverageRow[], contractVersion?: string): string {
  const documented = rows.filter((r) => r.documented);
  const covered = documented.filter((r) => r.exercised > 0);
  const lines = [
    '# Contract coverage',
    '',
    ...(contractVersion ? [`Operations and statuses of the provider's contract ${contractVersion} (contracts/versions/${contractVersion}).`, ''] : []),
    `${covered.length} of ${documented.length} documented operation × status (or outcome) pairs exercised.`,
    '',
    '| contract | operation | status / outcome | exercised |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.contract} | ${r.operationId} | ${r.outcome}${r.documented ? '' : ' (undocumented)'} | ${r.exercised || '**not exercised**'} |`),
  ];
  const missing = documented.filter((r) => r.exercised === 0);
  if (missing.length) lines.push('', '## Not exercised', '', ...missing.map((r) => `- ${r.contract} ${r.operationId} ${r.outcome}`));
  return `${lines.join('\n')}\n`;
}

export default class CoverageReporter implements Reporter {
  private readonly records: CoverageRecord[] = [];
  private readonly outputDir: string;

  constructor(options: { outputDir?: string } = {}) {
    this.outputDir = options.outputDir ?? 'reports';
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    for (const a of result.attachments) {
      if (a.name === coverageAttachment && a.body) this.records.push(...(JSON.parse(a.body.toString('utf8')) as CoverageRecord[]));
    }
  }

  async onEnd(): Promise<void> {
    if (!this.records.length) return;
    const contracts = await getContracts();
    const documented = (await getCatalogue(contracts.version)).operations.map((op) => ({
      contract: op.contract,
      operationId: op.operationId,
      // /oauth2/auth: its redirect is counted by the callback's outcome; its pages are not counted.
      outcomes: op.operationId === 'authorize' ? ['400', ...authorizeOutcomes] : op.statuses.map(String),
    }));
    const rows = coverageMatrix(this.records, documented);
    mkdirSync(this.outputDir, { recursive: true });
    writeFileSync(join(this.outputDir, 'coverage.json'), `${JSON.stringify(rows, null, 2)}\n`);
    writeFileSync(join(this.outputDir, 'coverage.md'), coverageMarkdown(rows, contracts.version));
  }

  printsToStdio(): boolean {
    return false;
  }
}
