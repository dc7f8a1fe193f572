/** reports/compare.md (people) and compare.json (tools); masked by the one redaction module. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { currentContractVersion } from '../contract/load.ts';
import { namingContract } from '../reporting/contract-line.ts';
import { join } from 'node:path';
import { redact } from '../reporting/redact.ts';
import { comparedHeaders, type Difference } from './diff.ts';
import type { StepRecord } from './lifecycle.ts';

export interface CompareResult {
  /** The lifecycle both sides ran (src/lifecycles/), as compare names it. */
  lifecycle: { name: string; source: string };
  target: { name: string; accessBaseUrl: string; apiBaseUrl: string };
  differences: Difference[];
  simulator: StepRecord[];
  targetSteps: StepRecord[];
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(differences: Difference[], target: string): string {
  if (differences.length === 0) return '_None._\n';
  const rows = differences.map((d) =>
    `| ${cell(d.step)} | \`${cell(d.request)}\` | ${d.kind}${d.where ? ` \`${cell(d.where)}\`` : ''} | ${cell(d.simulator)} | ${cell(d.target)} | ${cell(d.targetFindings.join('; ') || '–')} |`);
  return [`| step | request | what | simulator | ${target} | ${target} vs the contract |`, '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

export function compareMarkdown(result: CompareResult): string {
  const name = result.target.name;
  const simulatorSide = result.differences.filter((d) => d.verdict === 'simulator');
  const contractSide = result.differences.filter((d) => d.verdict === 'contract-or-errata');
  const pairs = result.simulator.reduce((n, s) => n + s.exchanges.length, 0);
  return `# Simulator vs ${name}

Target: ${result.target.accessBaseUrl} (access), ${result.target.apiBaseUrl} (API).
Lifecycle: ${result.lifecycle.name} (${result.lifecycle.source}), with compare's probes (discovery,
refusals without credentials, feed reads). It ran on both: ${result.simulator.length} steps, ${pairs} exchanges on the simulator, paired step by step.
Compared: status, content type, headers (${comparedHeaders.join(', ')}),
JSON shape (keys, types, formats; values ignored) and error identifiers (\`error\`, \`code\`, \`status\`).

**${result.differences.length === 0 ? 'No differences.' : `${result.differences.length} difference(s)`}**

## Where the simulator differs from ${name} (${simulatorSide.length})

${name} answers within the contract here: the simulator should answer as ${name} does.

${table(simulatorSide, name)}
## Where the contract or the errata may be wrong (${contractSide.length})

${name} also disagrees with the contract here: either ${name} has a defect, or the contract
(contracts/versions/<version>/openapi.json) or its errata (errata.overlay.yaml beside it) should say what ${name} does.

${table(contractSide, name)}`;
}

/** Writes compare.md and compare.json into `dir`; returns their paths. */
export function writeCompareReports(dir: string, result: CompareResult): { markdown: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const markdown = join(dir, 'compare.md');
  const json = join(dir, 'compare.json');
  // The simulator side and the contract findings are this process's contract version.
  const version = currentContractVersion();
  writeFileSync(markdown, redact(namingContract('compare.md', compareMarkdown(result), version)));
  const steps = (records: StepRecord[]) => records.map((s) => ({
    step: s.step, error: s.error,
    exchanges: s.exchanges.map((e) => ({ request: `${e.method} ${e.pathTemplate}`, status: e.status, contentType: e.contentType, findings: e.findings.length })),
  }));
  writeFileSync(json, redact(JSON.stringify({
    contract: version,
    lifecycle: result.lifecycle,
    target: result.target,
    differences: result.differences,
    steps: { simulator: steps(result.simulator), target: steps(result.targetSteps) },
  }, null, 2)) + '\n');
  return { markdown, json };
}
