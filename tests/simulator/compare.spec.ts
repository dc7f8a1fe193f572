/**
 * `compare` between two simulators: an identical one shows no difference; a deviating one shows
 * each difference its deviations make and nothing else. Recording the target's debt answers gives
 * a persona pack that loads into the simulator and holds no NIN or name of the target.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { httpTransport } from '../../src/client/transport.ts';
import type { Target } from '../../src/config/target.ts';
import { compareLifecycle, compareMarkdown, compareSides, compareWithSimulator, type CompareSide } from '../../src/compare/index.ts';
import { integratedConsent } from '../../src/lifecycles/integrated-consent.ts';
import { isSyntheticNin, syntheticNin } from '../../src/personas/nin.ts';
import { defaultFixturesDir, loadSimulatorFixtures, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { clients, credentials, NIN, PREPROD, SimHarness } from './helpers.ts';

const side = (label: string, sim: RunningSimulator, nin = NIN): CompareSide => ({
  label, transport: httpTransport, nin, client: credentials(clients.a), audiences: PREPROD,
  endpoints: { accessBaseUrl: sim.accessUrl, apiBaseUrl: sim.apiUrl },
});

async function withSimulators<T>(deviations: string[], run: (a: RunningSimulator, b: RunningSimulator) => Promise<T>): Promise<T> {
  const a = await new SimHarness().start();
  const b = await new SimHarness().start({ deviations });
  try {
    return await run(a.sim, b.sim);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

test('against an identical simulator compare finds no difference, over the whole integrated lifecycle', async () => {
  const result = await withSimulators([], (a, b) => compareSides(side('simulator', a), side('custom', b)));
  expect(result.differences).toEqual([]);
  // The lifecycle really ran, step by step as the gate's (src/lifecycles/): the debt was read, the consent revoked, errors answered.
  const statuses = Object.fromEntries(result.targetSteps.map((s) => [s.step, s.exchanges.map((e) => e.status)]));
  expect(statuses['4. Look up debt using the consent']).toEqual([200]);
  expect(statuses['5. Revoke a consent']).toEqual([204]);
  expect(statuses['Debt is refused with the revoked consent']![0]).toBeGreaterThanOrEqual(400);
  expect(statuses['Token with a wrong client secret']).toEqual([401]);
  expect(statuses['Look up debt without a token']![0]).toBeGreaterThanOrEqual(400);
  expect(result.targetSteps.every((s) => !s.error)).toBe(true);
  // Every step of the lifecycle but its feed poll, named as the lifecycle names them; the report names the lifecycle.
  const polled = integratedConsent.steps.filter((s) => s.poll).map((s) => s.title);
  expect(polled).toEqual(['The consents feed shows the consent created and archived']);
  expect(result.targetSteps.map((s) => s.step).filter((t) => integratedConsent.steps.some((s) => s.title === t)))
    .toEqual(integratedConsent.steps.map((s) => s.title).filter((t) => !polled.includes(t)));
  expect(result.lifecycle.name).toBe(compareLifecycle.name);
  expect(result.lifecycle.name).toMatch(/^integrated consent, without its polled "The consents feed/);
  expect(compareMarkdown(result)).toContain(`Lifecycle: ${compareLifecycle.name} (${integratedConsent.source})`);
});

test('against a deviating simulator compare names each difference and nothing else', async () => {
  const result = await withSimulators(['debt-missing-ssn', 'status-wrong-content-type'], (a, b) => compareSides(side('simulator', a), side('custom', b)));
  const named = result.differences.map((d) => `${d.step} | ${d.kind} ${d.where ?? ''} | ${d.simulator} → ${d.target} | ${d.verdict}`);
  expect(named.sort()).toEqual([
    '4. Look up debt using the consent | shape /numberOfCreditorsAnswered | integer → string (numeric string) | contract-or-errata',
    '4. Look up debt using the consent | shape /ssn | string (11 digits) → (absent) | contract-or-errata',
    'Check the state of the consent: active | content-type  | application/json → text/plain | contract-or-errata',
    'Check the state of the consent: active | shape / | object → string | contract-or-errata',
    "The client's other consent stays active | content-type  | application/json → text/plain | contract-or-errata",
    "The client's other consent stays active | shape / | object → string | contract-or-errata",
    'The revoked consent is inactive | content-type  | application/json → text/plain | contract-or-errata',
    'The revoked consent is inactive | shape / | object → string | contract-or-errata',
  ]);
  // The target's own contract findings say why the contract side is named.
  expect(result.differences.every((d) => d.targetFindings.length > 0)).toBe(true);
});

test('a status the target answers outside the contract is named on the contract side', async () => {
  // debt-invalid-token-401 answers 401 (undocumented) for an invalid token: a status difference where the target breaks the contract.
  const result = await withSimulators(['debt-invalid-token-401'], (a, b) => compareSides(side('simulator', a), side('custom', b)));
  const statuses = result.differences.filter((d) => d.kind === 'status');
  expect(statuses.map((d) => d.step)).toEqual(['Look up debt without a token']);
  expect(statuses[0]).toMatchObject({ simulator: '403', target: '401', verdict: 'contract-or-errata' });
});

test('--record: the target\'s debt answers become a persona pack with synthetic NINs and names that the simulator loads', async () => {
  // The "real" target: a simulator whose one person has a NIN and a name of its own.
  const targetFixtures = mkdtempSync(join(tmpdir(), 'nogi-target-'));
  cpSync(join(defaultFixturesDir, 'clients.json'), join(targetFixtures, 'clients.json'));
  const realNin = syntheticNin({ birthDate: new Date(Date.UTC(1977, 4, 17)) });
  const realName = 'Ragnhild Opptaksdatter';
  const loans = loadSimulatorFixtures().people.find((p) => p.nin === NIN)!.loans;
  writeFileSync(join(targetFixtures, 'people.json'), JSON.stringify({ people: [{ nin: realNin, name: realName, loans }] }));
  const targetSim = await startSimulator({ fixturesDir: targetFixtures, log: () => undefined });
  const reports = mkdtempSync(join(tmpdir(), 'nogi-compare-'));
  const pack = join(reports, 'personas');
  try {
    const target: Target = {
      name: 'custom', accessBaseUrl: targetSim.accessUrl, apiBaseUrl: targetSim.apiUrl, audiences: PREPROD,
      client: credentials(clients.a), nins: { withDebt: realNin, other: realNin }, feedLagMs: 3_000,
      capabilities: { secondClient: false, clientWithoutAgreement: false, faults: false, clock: false, regularConsent: false, loginDriver: 'idporten-testid' },
    };
    const outcome = await compareWithSimulator(target, { reportsDir: reports, record: pack });
    expect(outcome.recorded).toBe(1);
    expect(outcome.result.differences).toEqual([]);
    expect(readFileSync(outcome.reports.markdown, 'utf8')).toContain('No differences.');
    expect(JSON.parse(readFileSync(outcome.reports.json, 'utf8')).differences).toEqual([]);
  } finally {
    await targetSim.close();
  }

  // Nothing of the recorded person is left in the pack.
  const files = readdirSync(pack).sort();
  expect(files).toEqual(['clients.json', 'people.json']);
  for (const file of files) {
    const text = readFileSync(join(pack, file), 'utf8');
    expect(text).not.toContain(realNin);
    expect(text).not.toContain(realName);
  }
  const recorded = loadSimulatorFixtures(pack).people;
  expect(recorded).toHaveLength(1);
  expect(isSyntheticNin(recorded[0]!.nin)).toBe(true);
  expect(recorded[0]!.name).toMatch(/^\S+ \S+$/);
  expect(recorded[0]!.loans).toEqual(loans);

  // The simulator serves the pack (as with NOGI_SIM_FIXTURES=<pack>): the synthetic person has the recorded debt.
  const h = await new SimHarness().start({ fixturesDir: pack });
  try {
    const token = await h.token(clients.a, 'agreement', 'consent.create');
    const consent = await h.createConsent(token, { nin: recorded[0]!.nin });
    expect(consent.status).toBe(200);
    const debt = await h.client.getDebtByConsentId(await h.token(clients.a, 'debt', 'debt.unsecured.presentation'), (consent.body as { consent: { id: string } }).consent.id);
    expect(debt.status).toBe(200);
    expect(debt.data.ssn).toBe(recorded[0]!.nin);
    expect(debt.data.loans).toEqual(loans);
  } finally {
    await h.close();
  }
});
