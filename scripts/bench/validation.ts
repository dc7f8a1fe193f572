/**
 * Benchmark: response validation with validators compiled once (what the suite does) against a
 * baseline that builds a validator per response (what "validate by remembering to call a
 * validator" often ends up doing). Prints ratios measured side by side in the same run.
 *   npx tsx scripts/bench/validation.ts [iterations]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { loadApiContract } from '../../src/contract/load.ts';
import { ContractValidator } from '../../src/contract/validator.ts';
import { getCatalogue } from '../../src/contract/catalogue.ts';
import { Argument, benchArgs, wholeNumber } from './args.ts';

const response = {
  status: 200,
  contentType: 'application/json',
  body: {
    ssn: '14842249091',
    loans: [
      { creditorName: 'EXAMPLE LENDER', loan: { type: 'chargeCard', timestamp: '2022-11-03T00:00:00Z', coBorrower: 2, interestBearingBalance: 6069400, nonInterestBearingBalance: 641000 } },
      { creditorName: 'EKSEMPEL BANK', loan: { type: 'repaymentLoan', timestamp: '2025-06-30T22:00:00Z', coBorrower: 0, originalBalance: 25000000, balance: 18342000, terms: 54, nominalInterestRate: 1340, installmentCharges: 6500, installmentChargePeriod: 'MONTHLY' } },
    ],
    numberOfCreditorsAnswered: 2,
    numberOfcreditorsMissing: 0,
    consent: { exp: 1785312537, id: '3649911c-a58a-4b76-9794-edd8c692e84f', scope: 'debt.unsecured.presentation' },
  },
};

function measure(label: string, run: () => void, count: number) {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const start = performance.now();
  for (let i = 0; i < count; i++) run();
  const ms = performance.now() - start;
  return { label, perCallMs: ms / count, heapMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 };
}

export interface ValidationFigures {
  iterations: number;
  compiledOnceUsPerResponse: number;
  compilePerResponseUsPerResponse: number;
  speedup: number;
}

export async function benchValidation(iterations: number, log: (line: string) => void = console.log): Promise<ValidationFigures> {
  const document = await loadApiContract();
  const operations = (await getCatalogue()).operations.filter((o) => o.contract === 'api');
  const compiledOnce = new ContractValidator(document, 'bench', operations);
  // The baseline is ~1000x slower per call: give it fewer calls, compare per-call cost.
  const baselineCount = Math.max(1, Math.round(iterations / 100));
  const baseline = measure('compile per response (baseline)', () => new ContractValidator(document, 'bench', operations).validateResponse('getDebtWithConsentID', response), baselineCount);
  const ours = measure('compiled once (suite)', () => compiledOnce.validateResponse('getDebtWithConsentID', response), iterations);
  
  for (const r of [baseline, ours]) log(`${r.label.padEnd(34)} ${(r.perCallMs * 1000).toFixed(1).padStart(10)} µs/response  heap +${r.heapMb.toFixed(1)} MiB`);
  log(`speed-up: ${(baseline.perCallMs / ours.perCallMs).toFixed(0)}x per validated response`);
  return { iterations, compiledOnceUsPerResponse: ours.perCallMs * 1000, compilePerResponseUsPerResponse: baseline.perCallMs * 1000, speedup: baseline.perCallMs / ours.perCallMs };
}

// Run on its own: npx tsx scripts/bench/validation.ts [iterations]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { args } = benchArgs('validation', [], [new Argument('[iterations]', 'responses validated, 1-100000').argParser(wholeNumber('the number of iterations', 1, 100_000)).default(2000)]);
  await benchValidation(args[0] as number);
}
