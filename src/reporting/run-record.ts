/**
 * Which run left the results in a reports folder: the command, the target it ran against and
 * when it ended (reports/run.json). Every run removes the record before it starts and writes it
 * after its reports, so a certificate (or anything reading results.json and a summary beside it)
 * can tell a gate's results from an onboarding's, and never takes a stale summary or a target
 * named later for the one the run was against.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunRecord {
  command: 'gate' | 'onboarding' | 'health';
  target: { name: string; accessBaseUrl: string | null; apiBaseUrl: string | null };
  /** The provider's contract version that judged the run (contracts/versions/). */
  contract: string;
  clientId: string | null;
  finishedAt: string;
}

const file = (reportsDir: string): string => join(reportsDir, 'run.json');

export function forgetRunRecord(reportsDir: string): void {
  rmSync(file(reportsDir), { force: true });
}

export function writeRunRecord(reportsDir: string, record: RunRecord): void {
  writeFileSync(file(reportsDir), `${JSON.stringify(record, null, 2)}\n`);
}

export function readRunRecord(reportsDir: string): RunRecord | undefined {
  const path = file(reportsDir);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RunRecord) : undefined;
}
