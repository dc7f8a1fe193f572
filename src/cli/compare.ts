/**
 * `nogi-conformance compare --target <preprod|custom> [--record]`: the lifecycle subset against
 * the embedded simulator and the target, diffed step by step (src/compare). Writes
 * reports/compare.md and compare.json; with --record, the target's debt answers as a persona pack
 * in personas/<target>/ of the current folder (synthetic NINs and names; load it with
 * NOGI_SIM_FIXTURES). Not under reports/: every NIN there is masked, synthetic ones too.
 * Exit 0: no difference; 1: differences; 2: configuration; 3: the target unreachable.
 */
import { resolve } from 'node:path';
import { compareWithSimulator } from '../compare/index.ts';
import { getCatalogue } from '../contract/catalogue.ts';
import { ExitCode, UsageError } from './exit-codes.ts';
import { assertReachable, checkConfig } from './preflight.ts';

export async function compare(env: NodeJS.ProcessEnv, options: { record?: boolean }): Promise<number> {
  const target = await checkConfig(env);
  if (!target) throw new UsageError('compare needs a target other than the simulator it compares with: --target preprod or --target custom');
  await assertReachable(target);
  const reportsDir = env.NOGI_REPORTS_DIR ?? 'reports';
  const debtScope = env.NOGI_DEBT_SCOPE;
  if (debtScope && !(await getCatalogue()).service('debt').scopes.includes(debtScope)) throw new UsageError(`NOGI_DEBT_SCOPE is not a debt scope of the contract: "${debtScope}"`);
  const record = options.record ? resolve('personas', target.name) : undefined;
  const { result, reports, recorded } = await compareWithSimulator(target, { reportsDir, record, debtScope });
  const contractSide = result.differences.filter((d) => d.verdict === 'contract-or-errata').length;
  process.stdout.write(
    `${result.differences.length === 0 ? `No differences between the simulator and ${target.name}.` : `${result.differences.length} difference(s) between the simulator and ${target.name} (${contractSide} where ${target.name} also breaks the contract).`}\n` +
      `Reports: ${reports.markdown}, ${reports.json}\n` +
      (record ? `Persona pack: ${recorded ?? 0} person(s) in ${record} (load it with NOGI_SIM_FIXTURES=${record})\n` : ''),
  );
  return result.differences.length === 0 ? ExitCode.passed : ExitCode.failed;
}
