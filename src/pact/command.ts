/**
 * `nogi-conformance pact verify | publish | can-i-deploy` (npm run pact:verify, pact:publish,
 * pact:can-i-deploy), and the gate's Pact step, which calls verifyAgainstTarget() directly. Both
 * run here, in the CLI's process; only the Pact core itself runs in a process of its own, to mask
 * what it prints (verifier-process.ts).
 *
 *   verify         the committed pacts (contracts/pacts, or NOGI_PACT_DIR) against the target the
 *                  environment names (NOGI_TARGET=custom with NOGI_ACCESS_BASE_URL,
 *                  NOGI_API_BASE_URL, NOGI_CLIENT_ID, NOGI_CLIENT_SECRET, ...). With no target in
 *                  the environment it starts the simulator in this process on free ports.
 *                  Writes reports/pact/verification.json and .txt (masked). Exit 0 pass, 1 fail,
 *                  2 configuration.
 *   publish        publishes the pacts to a Pact Broker (PACT_BROKER_BASE_URL + credentials).
 *   can-i-deploy   asks the broker whether this version may be deployed.
 * Without PACT_BROKER_BASE_URL, publish and can-i-deploy say so and exit 0 (skipped).
 *
 * The exit codes are the CLI's (src/cli/exit-codes.ts), written as numbers here: the CLI runs this
 * module, never the other way round.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/target.ts';
import { redact, redactValue } from '../reporting/redact.ts';
import { brokerFromEnv, canIDeploy, publishPacts } from './broker.ts';
import { pactDir } from './names.ts';
import { pactTarget } from './provider-setup.ts';
import { formatReport, type VerifyOptions, type VerifyReport } from './verify.ts';
import { verifyInVerifierProcess } from './verifier-process.ts';

export const pactActions = ['verify', 'publish', 'can-i-deploy'] as const;
export type PactAction = (typeof pactActions)[number];

const passed = 0;
const failed = 1;
const config = 2;

interface PactVerificationOutcome {
  /** 0 passed, 1 failed (or could not run), 2 configuration (the target is not configured). */
  exitCode: 0 | 1 | 2;
  /** The report, when the verification ran (also in reports/pact/verification.json and .txt). */
  report?: VerifyReport;
}

type Env = Record<string, string | undefined>;
const say = (line: string): void => void process.stdout.write(`${redact(line)}\n`);

/** The verifier's options for this environment: the pacts of NOGI_PACT_DIR, or from the broker when PACT_VERIFY_FROM_BROKER=1. */
function sourceOf(env: Env): Pick<VerifyOptions, 'dir' | 'broker'> {
  const broker = brokerFromEnv(env);
  if (!broker || env.PACT_VERIFY_FROM_BROKER !== '1') return { dir: pactDir(env) };
  return {
    dir: pactDir(env),
    broker: {
      pactBrokerUrl: broker.baseUrl, pactBrokerToken: broker.token, pactBrokerUsername: broker.username, pactBrokerPassword: broker.password,
      providerVersion: broker.version, providerVersionBranch: broker.branch, publishVerificationResult: env.PACT_PUBLISH_VERIFICATION_RESULTS === '1',
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
    },
  };
}

/**
 * The committed pacts verified against the target `env` names, or against a simulator started here
 * when it names none; the report printed and written to <NOGI_REPORTS_DIR>/pact/verification.json
 * and .txt, masked. Never throws for a verification that could not run: that is exit 1, said on
 * stderr (masked); a target that is not configured is exit 2.
 */
export async function verifyAgainstTarget(env: Env): Promise<PactVerificationOutcome> {
  let close: (() => Promise<void>) | undefined;
  try {
    let targetEnv = env;
    const named = (env.NOGI_TARGET ?? 'mock') !== 'mock' || env.NOGI_API_BASE_URL;
    if (!named) {
      const { startSimulator } = await import('../simulator/index.ts');
      const sim = await startSimulator({ testMode: true, log: () => {} });
      close = sim.close;
      targetEnv = { ...env, NOGI_TARGET: 'mock', NOGI_ACCESS_BASE_URL: sim.accessUrl, NOGI_API_BASE_URL: sim.apiUrl, NOGI_ADMIN_BASE_URL: sim.adminUrl, NOGI_SIM_ADMIN_TOKEN: sim.adminToken };
      say(`No target in the environment: verifying against a simulator started on ${sim.apiUrl} (API) and ${sim.accessUrl} (access)`);
    }
    const target = await pactTarget(targetEnv);
    const report = await verifyInVerifierProcess({ target, ...sourceOf(env) }, env);
    const text = formatReport(report);
    const dir = join(resolve(env.NOGI_REPORTS_DIR ?? 'reports'), 'pact');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'verification.json'), JSON.stringify(redactValue(report), null, 2));
    writeFileSync(join(dir, 'verification.txt'), `${text}\n`);
    say(`\n${text}\n(report: ${join(dir, 'verification.txt')})`);
    return { exitCode: report.ok ? passed : failed, report };
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${redact(e.message)}\n`);
      return { exitCode: config };
    }
    process.stderr.write(`${redact(e instanceof Error ? e.stack ?? e.message : String(e))}\n`);
    return { exitCode: failed };
  } finally {
    await close?.();
  }
}

/** One action of `nogi-conformance pact`; its exit code. */
export async function pact(action: PactAction, env: Env): Promise<number> {
  if (action === 'verify') return (await verifyAgainstTarget(env)).exitCode;
  try {
    const broker = brokerFromEnv(env);
    if (!broker) {
      say(`pact ${action} skipped: PACT_BROKER_BASE_URL is not set (and PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD). See src/pact/README.md.`);
      return passed;
    }
    if (action === 'publish') {
      const published = await publishPacts(broker);
      say(`Published ${published.length} pact(s) as nogi-partner-client ${broker.version}: ${published.join(', ')}`);
      return passed;
    }
    const result = await canIDeploy(broker);
    say(result.summary);
    return result.deployable ? passed : failed;
  } catch (e) {
    process.stderr.write(`${redact(e instanceof Error ? e.message : String(e))}\n`);
    return failed;
  }
}
