/**
 * Secrets at rest (issue 18): the SQLite file holds no tenant's client secret, no access token and
 * no authorization code (exchanged or not), only their SHA-256, after a lifecycle and after /reset (what `strings` on the file would find).
 * A store from before (version 4, secrets in clear) is rewritten at open, and its free pages purged.
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { secretHash } from '../../src/simulator/secrets.ts';
import type { SimClient } from '../../src/simulator/index.ts';
import { openStore } from '../../src/simulator/store/index.ts';
import { credentials, SimHarness } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'nogi-secrets-'));
const file = join(dir, 'nogi-sim.db');
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bytes of the database as they are on disk now: the file and its write-ahead log. */
const onDisk = (db: string): Buffer => Buffer.concat([db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f)));

test('after a lifecycle and after /reset, the SQLite file holds no tenant client secret, no access token and no authorization code, only their hashes; what /reset deleted is overwritten', async () => {
  const h = await new SimHarness().start({ store: { engine: 'sqlite', file } });
  const created = await h.admin('POST', '/clients', { name: 'Partner', integratedConsent: true });
  expect(created.status).toBe(201);
  const tenant = created.body as SimClient;
  const agreement = await h.token(tenant, 'agreement', 'consent.create');
  const registered = await h.createConsent(agreement);
  expect(registered.status).toBe(200);
  const codeToken = await h.codeToken(tenant, 'debt.unsecured.presentation');
  // Two codes issued: one exchanged, one left pending (a row that lives until it is swept).
  const exchanged = (await h.authorize(tenant, { scope: 'debt.unsecured.presentation' })).searchParams.get('code')!;
  const pending = (await h.authorize(tenant, { scope: 'debt.unsecured.presentation' })).searchParams.get('code')!;
  expect(exchanged).toBeTruthy();
  expect(pending).toBeTruthy();
  // The store finds a code by its hash: the exchange works, and a replay is refused.
  expect((await h.client.exchangeCode(credentials(tenant), exchanged, tenant.redirect_uris[0]!)).status).toBe(200);
  expect((await h.client.exchangeCode(credentials(tenant), exchanged, tenant.redirect_uris[0]!)).status).toBe(400);
  expect((await h.client.call('getDebtWithAuthCodeToken', { token: codeToken })).status).toBe(200);
  // The tokens still work: the store finds them by their hash.
  expect((await h.createConsent(agreement)).status).toBe(200);

  const secrets = { 'client secret': tenant.client_secret, 'agreement token': agreement, 'code-flow token': codeToken, 'exchanged authorization code': exchanged, 'pending authorization code': pending };
  const check = (when: string) => {
    const bytes = onDisk(file);
    for (const [what, value] of Object.entries(secrets)) expect(bytes.includes(value), `${what} in the file ${when}`).toBe(false);
  };
  // The positive control: the file is the store's, with the rows just written (their hashes).
  expect(onDisk(file).includes(tenant.client_id)).toBe(true);
  expect(onDisk(file).includes(secretHash(agreement))).toBe(true);
  expect(onDisk(file).includes(secretHash(tenant.client_secret))).toBe(true);
  expect(onDisk(file).includes(secretHash(pending))).toBe(true);
  check('after the lifecycle');

  expect((await h.admin('POST', '/reset')).status).toBeLessThan(300);
  check('after /reset');
  // Closed, the write-ahead log is checkpointed into the file: secure_delete zeroed the deleted rows, hashes and NINs alike.
  await h.close();
  check('after /reset and a restart');
  expect(onDisk(file).includes(secretHash(agreement))).toBe(false);
  expect(onDisk(file).includes(tenant.client_id)).toBe(true);
});

test('a store from before (secrets in clear) is rewritten at open: tokens and codes keyed on their hash, secrets hashed, the old values gone from the file', async () => {
  const { SqliteEngine } = await import('../../src/simulator/store/sqlite.ts');
  const { MIGRATIONS } = await import('../../src/simulator/store/sql.ts');
  const old = join(dir, 'old.db');
  const token = `old-token-${'x'.repeat(40)}`;
  const secret = `old-secret-${'y'.repeat(30)}`;
  const code = `old-code-${'z'.repeat(40)}`;
  // What a simulator of schema version 4 left behind.
  const engine = new SqliteEngine(old);
  await engine.tx(async (q) => {
    await q.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    for (const m of MIGRATIONS.filter((m) => m.version <= 4)) {
      for (const s of m.statements('sqlite')) await q.run(s);
      await q.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)', [m.version, m.name]);
    }
    const t = { token, clientId: 'tenant-1', grant: 'client_credentials', service: 'agreement', audience: 'x', scopes: ['consent.create'], expiresAt: 1 };
    await q.run('INSERT INTO tokens (token, client_id, consent_id, grant_type, expires_at, data) VALUES (?, ?, NULL, ?, 1, ?)', [token, 'tenant-1', 'client_credentials', JSON.stringify(t)]);
    const c = { name: 'n', client_id: 'tenant-1', client_secret: secret, redirect_uris: [], allowed_scopes: [], integratedConsent: false };
    await q.run('INSERT INTO clients (client_id, data, last_used) VALUES (?, ?, 0)', ['tenant-1', JSON.stringify(c)]);
    const ac = { code, clientId: 'tenant-1', redirectUri: 'http://x/cb', consentId: 'c-1', consentTerms: { scope: 'debt.unsecured.presentation', singleUse: true, expiresAt: 2 }, scope: 'debt.unsecured.presentation', openid: false, nin: '1', expiresAt: 2, used: false };
    await q.run('INSERT INTO codes (code, client_id, used, expires_at, data) VALUES (?, ?, 0, 2, ?)', [code, 'tenant-1', JSON.stringify(ac)]);
  });
  await engine.close();
  expect(onDisk(old).includes(token)).toBe(true);
  expect(onDisk(old).includes(code)).toBe(true);

  const store = await openStore({ engine: 'sqlite', file: old });
  try {
    expect(await store.getToken(secretHash(token))).toMatchObject({ tokenHash: secretHash(token), clientId: 'tenant-1', scopes: ['consent.create'] });
    expect(await store.getCode(secretHash(code))).toMatchObject({ codeHash: secretHash(code), clientId: 'tenant-1', consentId: 'c-1', used: false });
    expect(await store.getCode(code)).toBeUndefined();
    expect(await store.useCode(secretHash(code))).toBe(true);
    expect(await store.getClient('tenant-1')).toEqual({ name: 'n', client_id: 'tenant-1', client_secret_sha256: secretHash(secret), redirect_uris: [], allowed_scopes: [], integratedConsent: false });
  } finally {
    await store.close();
  }
  const bytes = onDisk(old);
  expect(bytes.includes(token)).toBe(false);
  expect(bytes.includes(secret)).toBe(false);
  expect(bytes.includes(code)).toBe(false);
});
