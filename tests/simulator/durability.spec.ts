/**
 * State that outlives the process and is shared between instances:
 * - `npm run mock` (main.ts, SQLite in a data directory) killed with SIGKILL and started again:
 *   every consent whose registration was acknowledged can be fetched, revoked and seen in the feed;
 * - two simulator instances on one PostgreSQL: what one registers, the other fetches, revokes
 *   and shows in the feed, with sequence numbers that keep increasing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { SimClient } from '../../src/simulator/index.ts';
import { clients, SimHarness } from './helpers.ts';
import { missing, startPostgres, type PgCluster } from './postgres.ts';

const root = new URL('../../', import.meta.url).pathname;
const A = clients.a;

/** main.ts as `npm run mock` runs it, on free ports, until it has printed its URLs. */
async function mock(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NOGI_SIM_LOG: '', NOGI_SIM_ACCESS_PORT: '0', NOGI_SIM_API_PORT: '0', NOGI_SIM_TEST_MODE: '', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await expect.poll(() => out.split('\n').length, { timeout: 30_000, message: `the simulator printed no URLs: ${err}` }).toBeGreaterThanOrEqual(4);
  const [accessUrl, apiUrl] = out.split('\n');
  return { h: new SimHarness().attach({ accessUrl: accessUrl!, apiUrl: apiUrl! }), child, exited, err: () => err };
}

interface Tokens { create: string; debt: string; feed: string }
const tokensOf = async (h: SimHarness): Promise<Tokens> => ({
  create: await h.token(A, 'agreement', 'consent.create'),
  debt: await h.token(A, 'debt', 'debt.unsecured.presentation'),
  feed: await h.token(A, 'feed', 'client.access.consent.events'),
});

/** Registers n consents concurrently; the ids of those acknowledged with 200. */
async function register(h: SimHarness, t: Tokens, n: number): Promise<string[]> {
  const replies = await Promise.all(Array.from({ length: n }, () => h.createConsent(t.create)));
  return replies.filter((r) => r.status === 200).map((r) => (r.body as { consent: { id: string } }).consent.id);
}

/** Each consent is active, then revoked (204), inactive, and both its events are in the feed, in order. */
async function fetchRevokeAndFeed(h: SimHarness, t: Tokens, ids: string[]): Promise<void> {
  for (const id of ids) {
    const status = await h.client.call('getConsentStatusWithID', { token: t.debt, params: { id } });
    expect(status.status, `status of ${id}`).toBe(200);
    expect((status.body as { active: boolean }).active).toBe(true);
    expect((await h.client.call('revokeConsentByID', { token: t.debt, params: { id } })).status).toBe(204);
    expect((await h.client.call('getConsentStatusWithID', { token: t.debt, params: { id } })).body).toMatchObject({ active: false });
  }
  const page = await h.client.call('feed', { token: t.feed, query: { fromSequenceNr: 0, limit: 1000 } });
  expect(page.status).toBe(200);
  const events = (page.body as { result: { consentId: string; eventType: string; sequenceNr: number }[] }).result;
  const seqs = events.map((e) => e.sequenceNr);
  expect(seqs, 'sequence numbers increase').toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
  for (const id of ids) {
    expect(events.filter((e) => e.consentId === id).map((e) => e.eventType), `feed events of ${id}`).toEqual(['SAMTYKKE_OPPRETTET', 'SAMTYKKE_ARKIVERT']);
  }
}

test('npm run mock, SIGKILL, start again: acknowledged consents can be fetched, revoked and seen in the feed', async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'nogi-sim-data-'));
  try {
    const first = await mock({ NOGI_SIM_DATA_DIR: dataDir });
    expect(first.err()).toContain(join(dataDir, 'nogi-sim.db'));
    const t = await tokensOf(first.h);
    const ids = await register(first.h, t, 40);
    expect(ids).toHaveLength(40);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await mock({ NOGI_SIM_DATA_DIR: dataDir });
    try {
      // The access tokens were stored too: a partner's cached token still works after the restart.
      await fetchRevokeAndFeed(second.h, t, ids);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('SIGKILL during 200 concurrent registrations loses no acknowledged consent', async () => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'nogi-sim-data-'));
  try {
    const first = await mock({ NOGI_SIM_DATA_DIR: dataDir });
    const t = await tokensOf(first.h);
    const acknowledged: string[] = [];
    const inFlight = Array.from({ length: 200 }, () => first.h.createConsent(t.create).then(
      (r) => { if (r.status === 200) acknowledged.push((r.body as { consent: { id: string } }).consent.id); },
      () => undefined, // cut by the kill: never acknowledged
    ));
    await expect.poll(() => acknowledged.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(20);
    first.child.kill('SIGKILL');
    await Promise.all(inFlight);
    await first.exited;
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    const second = await mock({ NOGI_SIM_DATA_DIR: dataDir });
    try {
      for (const id of acknowledged) {
        const r = await second.h.client.call('getConsentStatusWithID', { token: t.debt, params: { id } });
        expect(r.status, `acknowledged consent ${id} after SIGKILL`).toBe(200);
      }
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.describe('two instances on one PostgreSQL', () => {
  test.skip(missing !== undefined, missing);
  let pg: PgCluster;
  const one = new SimHarness();
  const two = new SimHarness();
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    pg = await startPostgres();
    // Started together: the migration runs once, under an advisory lock.
    await Promise.all([one, two].map((h) => h.start({ store: { engine: 'postgres', url: pg.url } })));
  });
  test.afterAll(async () => {
    await Promise.all([one, two].map((h) => h.sim?.close()));
    await pg?.stop();
  });

  test('a consent registered through one is fetched, revoked and seen in the feed through the other', async () => {
    const t1 = await tokensOf(one);
    const t2 = await tokensOf(two);
    const viaOne = await register(one, t1, 10);
    const viaTwo = await register(two, t2, 10);
    expect([...viaOne, ...viaTwo]).toHaveLength(20);
    await fetchRevokeAndFeed(two, t2, viaOne);
    await fetchRevokeAndFeed(one, t1, viaTwo);
    const last = async (h: SimHarness, t: Tokens) => ((await h.client.call('lastSequenceNr', { token: t.feed })).body as { lastSequenceNr: number }).lastSequenceNr;
    expect(await last(one, t1)).toBe(await last(two, t2));
    // A client_consent_id registered through one is the same consent through the other.
    const again = await one.createConsent(t1.create, { client_consent_id: 'shared-1' });
    const same = await two.createConsent(t2.create, { client_consent_id: 'shared-1' });
    expect((same.body as { consent: { id: string } }).consent.id).toBe((again.body as { consent: { id: string } }).consent.id);
  });

  test('a client created at run time through one instance gets tokens and registers consents through the other', async () => {
    const created = await one.admin('POST', '/clients', { name: 'Hosted partner' });
    expect(created.status).toBe(201);
    const client = created.body as SimClient;
    const t = await two.token(client, 'agreement', 'consent.create');
    expect((await two.createConsent(t)).status).toBe(200);
    expect((await two.admin('GET', `/clients/${client.client_id}`)).body).toMatchObject({ client_id: client.client_id, name: 'Hosted partner' });
  });
});
