/**
 * Operable as a hosted service: /healthz and Prometheus metrics on the admin port, graceful
 * shutdown that lets in-flight requests finish within the grace period, a connection cap.
 */
import { connect, type Socket } from 'node:net';
import { expect, test } from '@playwright/test';
import { clients, SimHarness } from './helpers.ts';

const a = clients.a;

test('healthz and metrics: requests per operation, consents and events per client', async () => {
  const h = await new SimHarness().start();
  try {
    // Liveness is open to anyone; the metrics (their labels name every client) need the admin token.
    const health = await h.admin('GET', '/healthz', undefined, null);
    expect({ status: health.status, body: health.body }).toEqual({ status: 200, body: { status: 'ok', store: 'memory (nothing survives a restart)' } });
    expect((await fetch(`${h.sim.adminUrl}/metrics`)).status).toBe(401);
    const create = await h.token(a, 'agreement', 'consent.create');
    expect((await h.createConsent(create)).status).toBe(200);
    expect((await h.createConsent(create)).status).toBe(200);
    const r = await fetch(`${h.sim.adminUrl}/metrics`, { headers: { authorization: `Bearer ${h.sim.adminToken}` } });
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await r.text();
    expect(text).toMatch(/nogi_sim_http_requests_total\{host="api",operation="createConsent",method="PUT",status="200"\} 2/);
    expect(text).toMatch(/nogi_sim_http_requests_total\{host="access",operation="token",method="POST",status="200"\} 1/);
    expect(text).toContain(`nogi_sim_consents{client_id="${a.client_id}"} 2`);
    expect(text).toContain(`nogi_sim_active_consents{client_id="${a.client_id}"} 2`);
    expect(text).toContain(`nogi_sim_feed_events{client_id="${a.client_id}"} 2`);
    expect(text).toMatch(/nogi_sim_http_request_duration_seconds_count\{host="api",operation="createConsent"\} 2/);
  } finally {
    await h.close();
  }
});

test('outside test mode the admin port (NOGI_SIM_OPS) serves only healthz and metrics', async () => {
  const h = await new SimHarness().start({ testMode: false, ops: true });
  try {
    expect((await h.admin('GET', '/healthz', undefined, null)).status).toBe(200);
    expect((await h.admin('GET', '/metrics')).status).toBe(200);
    expect((await h.admin('GET', '/metrics', undefined, null)).status).toBe(401);
    expect((await h.admin('POST', '/reset', undefined, null)).status).toBe(401);
    expect((await h.admin('POST', '/reset')).status).toBe(404);
    expect((await h.admin('POST', '/clock', { advanceSeconds: 1 })).status).toBe(404);
  } finally {
    await h.close();
  }
});

test('graceful shutdown: an in-flight request finishes; one past the grace period is cut; no new connections', async () => {
  const h = await new SimHarness().start({ shutdownGraceMs: 3_000 });
  const feed = await h.token(a, 'feed', 'client.access.consent.events');
  await h.admin('POST', '/faults', { operationId: 'lastSequenceNr', latencyMs: 800, times: 1 });
  const inFlight = h.api('GET', '/feed/v1/consent/lastSequenceNr', { token: feed });
  await new Promise((r) => setTimeout(r, 200));
  const closed = h.close();
  expect((await inFlight).status).toBe(200);
  await closed;
  await expect(fetch(`${h.sim.apiUrl}/feed/v1/consent/lastSequenceNr`)).rejects.toThrow();

  const short = await new SimHarness().start({ shutdownGraceMs: 300 });
  const token = await short.token(a, 'feed', 'client.access.consent.events');
  await short.admin('POST', '/faults', { operationId: 'lastSequenceNr', latencyMs: 5_000, times: 1 });
  const slow = short.api('GET', '/feed/v1/consent/lastSequenceNr', { token });
  await new Promise((r) => setTimeout(r, 200));
  const started = Date.now();
  await short.close();
  expect(Date.now() - started, 'close waited about the grace period, not the 5 s latency').toBeLessThan(3_000);
  await expect(slow).rejects.toThrow();
});

test('a connection past the cap is refused; those within it are served', async () => {
  const h = await new SimHarness().start({ maxConnections: 3 });
  const { hostname, port } = new URL(h.sim.apiUrl);
  const open = (): Promise<Socket> => new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s));
    s.once('error', reject);
  });
  const held = [await open(), await open(), await open()];
  try {
    const extra = await open();
    // The server drops a connection over maxConnections as soon as it accepts it.
    const ended = await new Promise<boolean>((resolve) => {
      extra.once('close', () => resolve(true));
      extra.write('GET /feed/v1/consent/lastSequenceNr HTTP/1.1\r\nHost: x\r\n\r\n');
      setTimeout(() => resolve(false), 3_000);
    });
    expect(ended).toBe(true);
    const answer = await new Promise<string>((resolve) => {
      held[0]!.once('data', (d) => resolve(String(d)));
      held[0]!.write('GET /feed/v1/consent/lastSequenceNr HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
  } finally {
    for (const s of held) s.destroy();
    await h.close();
  }
});

test('an admin refusal (400, 404) is logged as the client error it is, one line without a stack', async () => {
  const h = await new SimHarness().start();
  try {
    const bad = await h.admin('POST', '/faults', { operationId: 'no-such-operation' });
    expect(bad.status).toBe(400);
    expect((await h.admin('POST', '/clock', { now: 'not a date' })).status).toBe(400);
    expect((await h.admin('DELETE', '/clients/no-such-tenant')).status).toBe(404);
    const lines = h.logs.filter((l) => l.startsWith('[admin] ') && !/^\[admin\] (GET|POST|DELETE) /.test(l));
    expect(lines.filter((l) => l.includes('internal error'))).toEqual([]);
    expect(lines).toEqual([
      expect.stringMatching(/^\[admin\] client error 400 on POST \/faults: operationId must be one of /),
      expect.stringMatching(/^\[admin\] client error 400 on POST \/clock: now must be /),
      expect.stringMatching(/^\[admin\] client error 404 on DELETE \/clients\/no-such-tenant: /),
    ]);
    // One line each: no stack frames.
    expect(h.logs.join('\n')).not.toMatch(/\n\s+at /);
  } finally {
    await h.close();
  }
});
