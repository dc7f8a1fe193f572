/**
 * `compare`: the same lifecycle (the integrated consent one, src/lifecycles/) against the embedded simulator and a target, paired step by
 * step (src/compare/lifecycle.ts), diffed (diff.ts) and reported (report.ts). With `record`, the
 * target's debt answers become a persona pack for the simulator (src/personas/pack.ts).
 */
import type { Transport } from '../client/transport.ts';
import { httpTransport } from '../client/transport.ts';
import { audiencesFor, preprod, type Target } from '../config/target.ts';
import { getCatalogue } from '../contract/catalogue.ts';
import { PersonaRecorder } from '../personas/pack.ts';
import { fixtureClients, loadSimulatorFixtures, startSimulator } from '../simulator/index.ts';
import { compareRuns } from './diff.ts';
import { compareLifecycle, runCompareLifecycle, type CompareSide } from './lifecycle.ts';
import { writeCompareReports, type CompareResult } from './report.ts';

export { compareLifecycle, type CompareSide } from './lifecycle.ts';
export { compareMarkdown } from './report.ts';

/** Runs compare's lifecycle (`compareLifecycle`, named in the reports) on both sides (one after the other: the target's rate limits are not ours to test). */
export async function compareSides(simulator: CompareSide, target: CompareSide, debtScope?: string): Promise<CompareResult> {
  const simSteps = await runCompareLifecycle(simulator, debtScope);
  const targetSteps = await runCompareLifecycle(target, debtScope);
  return {
    lifecycle: { name: compareLifecycle.name, source: compareLifecycle.source },
    target: { name: target.label, accessBaseUrl: target.endpoints.accessBaseUrl, apiBaseUrl: target.endpoints.apiBaseUrl },
    differences: compareRuns(simSteps, targetSteps),
    simulator: simSteps,
    targetSteps,
  };
}

export interface CompareOptions {
  reportsDir: string;
  /** A folder for the persona pack recorded from the target's debt answers. */
  record?: string;
  debtScope?: string;
  transport?: Transport;
}

export interface CompareOutcome {
  result: CompareResult;
  reports: { markdown: string; json: string };
  /** People in the recorded pack, when recording. */
  recorded?: number;
}

/** The target against a fresh embedded simulator (default fixtures, no deviations). */
export async function compareWithSimulator(target: Target, options: CompareOptions): Promise<CompareOutcome> {
  const transport = options.transport ?? httpTransport;
  const sim = await startSimulator({ log: () => undefined });
  try {
    const a = fixtureClients().a;
    const people = loadSimulatorFixtures().people;
    // The target's TestID person when the simulator has it too; else the simulator's first person with debt.
    const nin = people.some((p) => p.nin === target.nins.withDebt) ? target.nins.withDebt : people.find((p) => p.loans.length)!.nin;
    const recorder = options.record ? new PersonaRecorder() : undefined;
    const result = await compareSides(
      {
        label: 'simulator', transport, nin,
        endpoints: { accessBaseUrl: sim.accessUrl, apiBaseUrl: sim.apiUrl },
        client: { clientId: a.client_id, clientSecret: a.client_secret },
        // The simulator accepts the preprod audiences.
        audiences: audiencesFor(await getCatalogue(), preprod.apiBaseUrl),
      },
      {
        label: target.name, transport, nin: target.nins.withDebt, endpoints: target, client: target.client, audiences: target.audiences,
        onExchange: recorder?.observe,
      },
      options.debtScope,
    );
    const reports = writeCompareReports(options.reportsDir, result);
    const recorded = recorder && options.record ? recorder.write(options.record) : undefined;
    return { result, reports, recorded };
  } finally {
    await sim.close();
  }
}
