/**
 * A sandbox that can be hosted for partners (issue 18): the admin surface answers only its token
 * (liveness aside), a tenant's own credentials reach only its own grading, the admin surface
 * listens on loopback unless told otherwise, tenants are capped and expire, and made-up admin
 * paths cannot grow /metrics.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ADMIN_ROUTES } from '../../src/simulator/admin-routes.ts';
import type { SimClient } from '../../src/simulator/index.ts';
import { clients, SimHarness } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;
const own = (c: SimClient) => ({ clientId: c.client_id, clientSecret: c.client_secret });

test.describe('one simulator', () => {
  const h = new SimHarness();
  test.beforeAll(async () => {
    await h.start({ maxTenants: 5 });
  });
  test.afterAll(async () => {
    await h.close();
  });

  async function tenant(name = 'Partner'): Promise<SimClient> {
    const r = await h.admin('POST', '/clients', { name });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as SimClient;
  }

  test('without the admin token every admin route answers 401; /healthz stays open', async () => {
    const someone = await tenant();
    const paths = ADMIN_ROUTES.map((r) => [r.method, r.path.replace(/:[A-Za-z]+/g, (p) => (p === ':operationId' ? 'feed' : someone.client_id)), r.open] as const);
    expect(paths.length).toBeGreaterThan(20);
    for (const [method, path, open] of paths) {
      const body = method === 'POST' ? {} : undefined;
      for (const as of [null, 'not-the-token-but-long-enough', { clientId: clients.a.client_id, clientSecret: clients.a.client_secret }]) {
        const r = await h.admin(method, path, body, as);
        expect(r.status, `${method} ${path} as ${JSON.stringify(as)}`).toBe(open ? 200 : 401);
        if (!open) expect(r.headers['www-authenticate']).toMatch(/^Bearer /);
      }
    }
    // Made-up paths too: a stranger learns nothing of what exists.
    expect((await h.admin('GET', '/no/such/route', undefined, null)).status).toBe(401);
    expect((await h.admin('GET', '/no/such/route')).status).toBe(404);
    // Nothing changed: the client is still there, the clock not moved.
    expect((await h.admin('GET', `/clients/${someone.client_id}`)).status).toBe(200);
    expect((await h.admin('DELETE', `/clients/${someone.client_id}`)).status).toBe(204);
  });

  test("a tenant's own credentials reach its own recording and scenarios, nothing of another's", async () => {
    const [mine, theirs] = [await tenant('Mine'), await tenant('Theirs')];
    try {
      await h.token(mine, 'agreement', 'consent.create');
      await h.token(theirs, 'agreement', 'consent.create');
      const me = own(mine);
      expect((await h.admin('GET', '/grading/scenarios', undefined, me)).status).toBe(200);
      const recording = await h.admin('GET', `/grading/clients/${mine.client_id}/exchanges`, undefined, me);
      expect(recording.status).toBe(200);
      expect((recording.body as { exchanges: unknown[] }).exchanges.length).toBeGreaterThan(0);
      expect((await h.admin('GET', `/grading/clients/${mine.client_id.toUpperCase()}/report`, undefined, me)).status).toBe(200);
      expect((await h.admin('POST', `/grading/clients/${mine.client_id}/scenarios`, { name: 'server-error-once', operationId: 'createConsent' }, me)).status).toBe(200);

      // Another tenant's grading: refused, and its recording untouched.
      for (const [method, path, body] of [
        ['GET', `/grading/clients/${theirs.client_id}/exchanges`],
        ['GET', `/grading/clients/${theirs.client_id}/report`],
        ['DELETE', `/grading/clients/${theirs.client_id}/exchanges`],
        ['POST', `/grading/clients/${theirs.client_id}/scenarios`, { name: 'server-error-once', operationId: 'createConsent' }],
        ['GET', `/grading/clients/${clients.a.client_id}/report`],
      ] as const) {
        const r = await h.admin(method, path, body, me);
        expect(r.status, `${method} ${path}`).toBe(403);
      }
      const theirRecording = await h.admin('GET', `/grading/clients/${theirs.client_id}/exchanges`);
      expect((theirRecording.body as { exchanges: { note?: string }[] }).exchanges.some((e) => /server-error-once/.test(JSON.stringify(e)))).toBe(false);
      // Everything else needs the admin token, its own client included.
      for (const [method, path] of [
        ['GET', '/grading/clients'], ['GET', '/state'], ['POST', '/reset'], ['GET', '/metrics'], ['POST', '/clients'],
        ['GET', `/clients/${mine.client_id}`], ['POST', `/clients/${mine.client_id}/clock`], ['DELETE', `/clients/${theirs.client_id}`],
      ] as const) {
        expect((await h.admin(method, path, method === 'POST' ? {} : undefined, me)).status, `${method} ${path}`).toBe(403);
      }
      // A wrong secret is no tenant at all.
      expect((await h.admin('GET', `/grading/clients/${mine.client_id}/report`, undefined, { ...me, clientSecret: `${me.clientSecret}x` })).status).toBe(401);
    } finally {
      for (const c of [mine, theirs]) await h.admin('DELETE', `/clients/${c.client_id}`);
    }
  });

  test('tenants are capped, their names bounded, and a deleted one is gone with its data', async () => {
    const long = await h.admin('POST', '/clients', { name: 'x'.repeat(2_000) });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toMatch(/at most 200 characters/);
    expect((await h.admin('POST', '/clients', { redirect_uris: Array.from({ length: 11 }, (_, i) => `http://127.0.0.1/cb${i}`) })).status).toBe(400);
    const made: SimClient[] = [];
    for (let i = 0; i < 5; i++) made.push(await tenant(`capped ${i}`));
    const refused = await h.admin('POST', '/clients', { name: 'one too many' });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/NOGI_SIM_MAX_TENANTS=5/);
    // Delete frees a place; the deleted client no longer authenticates anywhere.
    const gone = made.pop()!;
    const token = await h.token(gone, 'agreement', 'consent.create');
    expect((await h.createConsent(token)).status).toBe(200);
    expect((await h.admin('DELETE', `/clients/${gone.client_id}`)).status).toBe(204);
    expect((await h.admin('DELETE', `/clients/${gone.client_id}`)).status).toBe(404);
    expect((await h.admin('GET', `/clients/${gone.client_id}`)).status).toBe(404);
    expect((await h.createConsent(token)).status).toBe(401);
    expect((await h.client.clientCredentialsToken(own(gone), 'https://api-preprod.norskgjeld.no/v1/consent/agreement', 'consent.create')).status).toBe(401);
    made.push(await tenant('in its place'));
    for (const c of made) expect((await h.admin('DELETE', `/clients/${c.client_id}`)).status).toBe(204);
  });

  test('a grading route answered is logged and labelled by its whole path, not the part its router sees', async () => {
    const someone = await tenant('Logged');
    const answered = async () => {
      const text = (await h.admin('GET', '/metrics')).body as string;
      return Number(/^nogi_sim_http_requests_total\{host="admin",operation="\/grading\/clients\/:clientId\/report",method="GET",status="200"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    try {
      const before = await answered();
      expect((await h.admin('GET', `/grading/clients/${someone.client_id}/report`, undefined, own(someone))).status).toBe(200);
      // The line is written when the answer has left ('finish'), which may be after the client has it.
      await expect.poll(() => h.logs.filter((l) => l.startsWith('[admin] GET ') && l.includes(`${someone.client_id}/report 200 `))).toEqual([expect.stringMatching(new RegExp(`^\\[admin\\] GET /grading/clients/${someone.client_id}/report 200 `))]);
      expect(await answered()).toBe(before + 1);
    } finally {
      await h.admin('DELETE', `/clients/${someone.client_id}`);
    }
  });

  test('made-up admin paths share one metrics label: /metrics stays small', async () => {
    const size = async () => ((await h.admin('GET', '/metrics')).body as string).length;
    await h.admin('GET', '/made-up-warmup');
    await h.admin('GET', '/made-up-warmup', undefined, null);
    const before = await size();
    const n = 2_000;
    const started = Date.now();
    for (let i = 0; i < n; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => h.admin('GET', `/made-up-${i + j}/x`, undefined, (i + j) % 2 ? null : h.sim.adminToken)));
    }
    expect(Date.now() - started).toBeLessThan(8_000);
    const text = (await h.admin('GET', '/metrics')).body as string;
    expect(text).not.toMatch(/made-up/);
    expect(text).toMatch(/nogi_sim_http_requests_total\{host="admin",operation="other",method="GET",status="404"\}/);
    expect(text).toMatch(/nogi_sim_http_requests_total\{host="admin",operation="other",method="GET",status="401"\}/);
    expect(text.length - before, 'metrics growth after 2,000 made-up paths').toBeLessThan(2_000);
    expect(text.length).toBeLessThan(100_000);
  });
});

test('idle tenants are deleted by the sweep; used ones stay', async () => {
  const h = await new SimHarness().start({ tenantIdleMs: 600 });
  try {
    const idle = (await h.admin('POST', '/clients', { name: 'idle' })).body as SimClient;
    const busy = (await h.admin('POST', '/clients', { name: 'busy' })).body as SimClient;
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await h.token(busy, 'agreement', 'consent.create');
    }
    const swept = (await h.admin('POST', '/sweep')).body as { swept: { tenants: number } };
    expect(swept.swept.tenants).toBe(1);
    expect((await h.admin('GET', `/clients/${idle.client_id}`)).status).toBe(404);
    expect((await h.admin('GET', `/clients/${busy.client_id}`)).status).toBe(200);
  } finally {
    await h.close();
  }
});

/** A non-loopback IPv4 address of this machine, if it has one. */
const lanAddress = (): string | undefined => Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

test('--host 0.0.0.0 without a token: a generated token on stderr, the admin surface on 127.0.0.1 only', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts', '--host', '0.0.0.0', '--memory', '--test-mode'], {
    cwd: root,
    env: {
      ...process.env, NOGI_SIM_ACCESS_PORT: '0', NOGI_SIM_API_PORT: '0', NOGI_SIM_ADMIN_PORT: '0', NOGI_SIM_ADMIN_TOKEN: '', NOGI_SIM_ADMIN_HOST: '',
      NOGI_SIM_LOG: '', NOGI_SIM_DATA_DIR: mkdtempSync(join(tmpdir(), 'nogi-sim-host-')),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await expect.poll(() => out.split('\n').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    const [access, , , admin] = out.split('\n');
    expect(access).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const lines = err.split('\n').filter((l) => /admin token/.test(l));
    expect(lines).toHaveLength(1);
    const token = /: (\S+)$/.exec(lines[0]!)![1]!;
    expect(token.length).toBeGreaterThanOrEqual(16);
    expect((await fetch(`${admin}/state`)).status).toBe(401);
    expect((await fetch(`${admin}/state`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(out, 'never in the request log').not.toContain(token);
    const lan = lanAddress();
    if (lan) {
      const reach = (port: string) => new Promise<boolean>((resolve) => {
        const s = connect(Number(port), lan, () => (s.destroy(), resolve(true)));
        s.once('error', () => resolve(false));
      });
      expect(await reach(new URL(access!).port), `the access host listens on ${lan}`).toBe(true);
      expect(await reach(new URL(admin!).port), `the admin surface does not listen on ${lan}`).toBe(false);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
