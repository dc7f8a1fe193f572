/**
 * npm run pact:verify | pact:publish | pact:can-i-deploy
 *
 *   verify         the committed pacts (contracts/pacts, or NOGI_PACT_DIR) against the target the
 *                  environment names (NOGI_TARGET=custom with NOGI_ACCESS_BASE_URL,
 *                  NOGI_API_BASE_URL, NOGI_CLIENT_ID, NOGI_CLIENT_SECRET, ...). With no target in
 *                  the environment it starts the simulator in-process on free ports.
 *                  Writes reports/pact/verification.json and .txt. Exit 0 pass, 1 fail, 2 config.
 *   publish        publishes the pacts to a Pact Broker (PACT_BROKER_BASE_URL + credentials).
 *   can-i-deploy   asks the broker whether this version may be deployed.
 * Without PACT_BROKER_BASE_URL, publish and can-i-deploy say so and exit 0 (skipped).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { ConfigError } from '../config/target.ts';
import { redact, redactValue } from '../reporting/redact.ts';
import { brokerFromEnv, canIDeploy, publishPacts } from './broker.ts';
import { pactTarget } from './provider-setup.ts';
import { formatReport, verifyPacts } from './verify.ts';

async function verify(): Promise<number> {
  const env = process.env;
  let close: (() => Promise<void>) | undefined;
  let targetEnv: Record<string, string | undefined> = env;
  const named = (env.NOGI_TARGET ?? 'mock') !== 'mock' || env.NOGI_API_BASE_URL;
  if (!named) {
    const { startSimulator } = await import('../simulator/index.ts');
    const sim = await startSimulator({ testMode: true, log: () => {} });
    close = sim.close;
    targetEnv = { ...env, NOGI_TARGET: 'mock', NOGI_ACCESS_BASE_URL: sim.accessUrl, NOGI_API_BASE_URL: sim.apiUrl, NOGI_ADMIN_BASE_URL: sim.adminUrl, NOGI_SIM_ADMIN_TOKEN: sim.adminToken };
    console.log(`No target in the environment: verifying against a simulator started on ${sim.apiUrl} (API) and ${sim.accessUrl} (access)`);
  }
  try {
    const target = await pactTarget(targetEnv);
    const broker = brokerFromEnv(env);
    const fromBroker = broker && env.PACT_VERIFY_FROM_BROKER === '1';
    const report = await verifyPacts({
      target,
      broker: fromBroker ? {
        pactBrokerUrl: broker.baseUrl, pactBrokerToken: broker.token, pactBrokerUsername: broker.username, pactBrokerPassword: broker.password,
        providerVersion: broker.version, providerVersionBranch: broker.branch, publishVerificationResult: env.PACT_PUBLISH_VERIFICATION_RESULTS === '1',
        consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
      } : undefined,
    });
    const text = formatReport(report);
    const dir = join(env.NOGI_REPORTS_DIR ?? 'reports', 'pact');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'verification.json'), JSON.stringify(redactValue(report), null, 2));
    writeFileSync(join(dir, 'verification.txt'), `${text}\n`);
    console.log(`\n${text}\n(report: ${join(dir, 'verification.txt')})`);
    return report.ok ? 0 : 1;
  } finally {
    await close?.();
  }
}

/**
 * The Pact core prints its own verification output natively (state names hold the synthetic
 * NINs, diffs may hold tokens): run the verification in a child process and mask what it prints.
 */
function verifyMasked(): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'verify'], {
      env: { ...process.env, NOGI_PACT_CHILD: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pipe = (from: NodeJS.ReadableStream, to: NodeJS.WriteStream) =>
      createInterface({ input: from }).on('line', (line) => to.write(`${redact(line)}\n`));
    pipe(child.stdout!, process.stdout);
    pipe(child.stderr!, process.stderr);
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

async function main(): Promise<number> {
  const command = process.argv[2] ?? 'verify';
  try {
    if (command === 'verify') return process.env.NOGI_PACT_CHILD === '1' ? await verify() : await verifyMasked();
    const broker = brokerFromEnv(process.env);
    if (!broker) {
      console.log(`pact:${command} skipped: PACT_BROKER_BASE_URL is not set (and PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD). See src/pact/README.md.`);
      return 0;
    }
    if (command === 'publish') {
      const published = await publishPacts(broker);
      console.log(`Published ${published.length} pact(s) as nogi-partner-client ${broker.version}: ${published.join(', ')}`);
      return 0;
    }
    if (command === 'can-i-deploy') {
      const result = await canIDeploy(broker);
      console.log(result.summary);
      return result.deployable ? 0 : 1;
    }
    console.error(`Unknown command "${command}": use verify, publish or can-i-deploy`);
    return 2;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    console.error(redact(e instanceof Error ? e.stack ?? e.message : String(e)));
    return 1;
  }
}

process.exitCode = await main();
