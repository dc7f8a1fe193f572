/**
 * The admin surface (test mode only, its own port and bind address, default 127.0.0.1; not part
 * of NoGi). JSON in, JSON out.
 *
 * Who may call it (one middleware, adminAuth, over the route table in admin-routes.ts):
 *   - GET /healthz: anyone (liveness);
 *   - everything else, /metrics included (its labels name every client): `Authorization: Bearer
 *     <admin token>` (NOGI_SIM_ADMIN_TOKEN, or the one generated at start); else 401;
 *   - a run-time client (tenant) with its own credentials (HTTP Basic client_id:client_secret,
 *     as at the token endpoint) may read and forget its own grading recording and report, list
 *     the scenarios and play them on itself: the routes marked `tenant` there, for its own id
 *     only (another's: 403). Fixture clients' secrets are published: they get nothing.
 *
 *   GET  /healthz      liveness with the store reachable (open)
 *   GET  /metrics      Prometheus metrics (any mode with ops; admin token)
 *   GET  /state        summary: clock, deviations, faults, counts, contract violations
 *   GET  /deviations   the deviation names with what each does (and the rule it breaks), and which are on
 *   POST /clock        {"now": ISO-8601 | epoch ms, "freeze"?: boolean} | {"advanceSeconds": n} | {"reset": true}
 *   POST /faults       {"operationId": "getDebtWithConsentID", "status"?: 500 (or another documented
 *                       error status of that operation, e.g. 400), "latencyMs"?: n,
 *                       "creditorTimeout"?: n | true, "times"?: n}   (operationId "authorize":
 *                       status makes the auth flow end in error=server_error)
 *   DELETE /faults     clears all faults; DELETE /faults/:operationId clears one
 *   POST /deviations   {"enable": ["revoke-ignored"], "disable": [...]}
 *   POST /reset        forgets tokens, codes, sessions, consents, events, faults, violations;
 *                      deviations back to the start options; clock back to real time.
 *                      Sequence numbers keep increasing. (With a shared PostgreSQL store this
 *                      forgets the state of every instance.)
 *   POST /sweep        runs the sweep now (expired sessions, codes, tokens; events past retention)
 *
 * Tenants: clients created at run time, each isolated from the others (the client is in the store,
 * so every instance on it knows it; its clock offset and faults are this instance's; the fixture
 * clients stay):
 *   POST   /clients                {"name"?, "integratedConsent"?: true, "allowed_scopes"?: [...],
 *                                   "redirect_uris"?: [...]} → 201 the client with its secret
 *   GET    /clients/:id            the client (no secret), its clock and faults
 *   POST   /clients/:id/clock      {"advanceSeconds": n} | {"now": ISO | ms} | {"reset": true}: the client's own time
 *   POST   /clients/:id/faults     as POST /faults, for this client's requests only
 *   DELETE /clients/:id/faults     clears the client's faults
 *   POST   /clients/:id/reset      forgets the client's consents, events, tokens, codes, sessions, faults, clock
 *   DELETE /clients/:id            forgets the client itself with all of the above and its recording
 * Tenants are capped (maxTenants, NOGI_SIM_MAX_TENANTS: 409 past it), their names at
 * MAX_NAME_CHARS, and the sweep deletes those idle (wall clock) past NOGI_SIM_TENANT_IDLE_DAYS.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import { matchAdminRoute } from './admin-routes.ts';
import type { SimContext } from './context.ts';
import { DEVIATION_TABLE, DEVIATIONS, isDeviation, type DeviationName } from './deviations.ts';
import { createHost, finishHost, isClientError, jsonBody } from './http.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimClient } from './fixtures.ts';
import { gradingRouter } from './grading-routes.ts';
import { recorderOf } from './recording.ts';
import { sameSecret, type Fault } from './state.ts';

/**
 * The auth endpoint's fault: its flow ends in a redirect with error=server_error (auth-endpoint.md
 * documents no 5xx of its own), asked for with status 500.
 */
const AUTHORIZE = { operationId: 'authorize', statuses: [500] } as const;

/** Operation → the error statuses a fault may answer: every API operation's documented ones, and the auth endpoint's. */
function faultable(ctx: SimContext): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const op of ctx.catalogue.operations) {
    if (op.host === 'api') out.set(op.operationId, op.statuses.filter((s) => s >= 400));
  }
  ctx.catalogue.operation(AUTHORIZE.operationId); // throws, at start, if the contract has no such operation
  out.set(AUTHORIZE.operationId, [...AUTHORIZE.statuses]);
  return out;
}

/** The admin surface's refusals: client errors (finishHost logs them as such, one line, no stack). */
class BadRequest extends Error {
  readonly status = 400;
}
class NotFound extends Error {
  readonly status = 404;
}

/** A run-time client's name, at most (longer: 400). */
const MAX_NAME_CHARS = 200;
/** Redirect URIs of a run-time client at most, and the length of each. */
const MAX_REDIRECT_URIS = 10;
const MAX_URI_CHARS = 2000;

/** RFC 6749 section 2.3.1: id and secret are form-urlencoded inside the Basic credentials. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * The one check of who calls the admin surface: the admin token (Bearer) for every route but the
 * open ones, or a tenant's own client credentials (Basic) for the tenant routes, for its own id.
 * Runs before the body is parsed: a stranger's body is never read.
 */
function adminAuth(ctx: SimContext, token: string): RequestHandler {
  const refuse = (res: Response) => {
    res.status(401).set('WWW-Authenticate', 'Bearer realm="nogi-sim-admin"').json({
      error: 'the admin surface needs Authorization: Bearer <the admin token> (NOGI_SIM_ADMIN_TOKEN, or the one the simulator printed at start); a run-time client may read its own grading with its own client_id and client_secret (HTTP Basic)',
    });
  };
  return async (req, res, next) => {
    const hit = matchAdminRoute(req.method, req.path);
    if (hit?.route.open) return next();
    const header = req.get('authorization') ?? '';
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (bearer) return sameSecret(bearer[1]!, token) ? next() : refuse(res);
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!basic) return refuse(res);
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const tenant = colon < 0 ? undefined : await ctx.state.authenticateTenant(formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1)));
    if (!tenant) return refuse(res);
    res.locals.clientId = tenant.client_id;
    const own = hit?.route.tenant && (hit.param === undefined || hit.param.toLowerCase() === tenant.client_id.toLowerCase());
    if (own) return next();
    res.status(403).json({ error: `client ${tenant.client_id} may read only its own grading (GET /grading/clients/${tenant.client_id}/report, .../exchanges, POST .../scenarios); the rest of the admin surface needs the admin token` });
  };
}

const nonNegative = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BadRequest(`${name} must be a number of 0 or more`);
  return v;
};

export function createAdminApp(ctx: SimContext, auth: { token: string }): express.Express {
  const app = createHost('admin', { log: ctx.log, observe: (...m) => ctx.metrics.observe(...m), exchanges: ctx.exchanges, simNow: () => ctx.state.clock.now() });
  app.use(adminAuth(ctx, auth.token));
  app.use(jsonBody());
  const { state } = ctx;
  // Operations (any mode): liveness with the store reachable, and Prometheus metrics.
  app.get('/healthz', async (_req, res) => {
    try {
      await state.ping();
      res.set('Cache-Control', 'no-store').json({ status: 'ok', store: state.storeDescription });
    } catch (e) {
      res.status(503).json({ status: 'unavailable', error: `the store does not answer: ${(e as Error).message}` });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
  if (!ctx.testMode) {
    // Outside test mode the admin port serves only the two above: no clock, faults or reset.
    app.use((req, res) => {
      res.status(404).json({ error: `no endpoint ${req.method} ${req.path} (the test-mode admin surface needs --test-mode)` });
    });
    return app;
  }
  const faultStatuses = faultable(ctx);
  state.onTenantDeleted.push((id) => recorderOf(ctx).forget(id));
  const summary = async () => ({ ...(await state.summary()), deviations: ctx.deviations.names });

  app.get('/state', async (_req, res) => {
    res.json({ accessUrl: ctx.accessPublicUrl, apiUrl: ctx.apiPublicUrl, ...(await summary()) });
  });
  app.post('/sweep', async (_req, res) => {
    res.json({ swept: await state.sweep() });
  });
  app.get('/deviations', (_req, res) => {
    res.json({ available: DEVIATIONS, details: DEVIATION_TABLE, enabled: ctx.deviations.names });
  });
  app.post('/clock', (req, res) => {
    const b = (req.body ?? {}) as { now?: unknown; advanceSeconds?: unknown; reset?: unknown; freeze?: unknown };
    if (b.reset === true) state.clock.reset();
    if (b.now !== undefined) {
      const ms = typeof b.now === 'number' ? b.now : typeof b.now === 'string' ? Date.parse(b.now) : NaN;
      if (!Number.isFinite(ms)) throw new BadRequest('now must be an ISO-8601 string or epoch milliseconds');
      state.clock.set(ms, b.freeze === true);
    }
    if (b.advanceSeconds !== undefined) {
      if (typeof b.advanceSeconds !== 'number' || !Number.isFinite(b.advanceSeconds)) throw new BadRequest('advanceSeconds must be a number');
      state.clock.advance(b.advanceSeconds);
    }
    res.json(state.clock.describe());
  });
  /** A fault from a POST /faults body, checked against the operation's documented statuses. */
  const parseFault = (body: unknown): [string, Fault] => {
    const b = (body ?? {}) as Record<string, unknown>;
    const op = b.operationId;
    const documented = typeof op === 'string' ? faultStatuses.get(op) : undefined;
    if (typeof op !== 'string' || !documented) throw new BadRequest(`operationId must be one of ${[...faultStatuses.keys()].join(', ')}`);
    const fault: Fault = {};
    if (b.status !== undefined) {
      if (!documented.includes(Number(b.status))) throw new BadRequest(`status for ${op} must be one of its documented error statuses: ${documented.join(', ')}`);
      fault.status = Number(b.status);
    }
    fault.latencyMs = nonNegative(b.latencyMs, 'latencyMs');
    fault.creditorTimeout = b.creditorTimeout === true ? 1 : nonNegative(b.creditorTimeout, 'creditorTimeout');
    fault.times = nonNegative(b.times, 'times');
    if (fault.status === undefined && !fault.latencyMs && !fault.creditorTimeout) throw new BadRequest('give at least one of status, latencyMs, creditorTimeout');
    return [op, Object.fromEntries(Object.entries(fault).filter(([, v]) => v !== undefined)) as Fault];
  };
  app.post('/faults', (req, res) => {
    state.faults.set(...parseFault(req.body));
    res.json({ faults: Object.fromEntries(state.faults) });
  });
  app.delete('/faults', (_req, res) => {
    state.faults.clear();
    res.json({ faults: {} });
  });
  app.delete('/faults/:operationId', (req, res) => {
    state.faults.delete(req.params.operationId!);
    res.json({ faults: Object.fromEntries(state.faults) });
  });
  app.post('/deviations', (req, res) => {
    const b = (req.body ?? {}) as { enable?: unknown; disable?: unknown };
    const list = (v: unknown, name: string): DeviationName[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !isDeviation(x))) {
        throw new BadRequest(`${name} must be a list of: ${Object.keys(DEVIATIONS).join(', ')}`);
      }
      return v as DeviationName[];
    };
    const enable = list(b.enable, 'enable');
    const disable = list(b.disable, 'disable');
    ctx.deviations.enable(enable);
    ctx.deviations.disable(disable);
    res.json({ enabled: ctx.deviations.names });
  });
  app.post('/reset', async (_req, res) => {
    await state.reset();
    ctx.deviations.reset();
    res.json(await summary());
  });
  const scopes = ['openid', ...[...ctx.catalogue.services.values()].flatMap((s) => s.scopes)];
  const strings = (v: unknown, name: string, fallback: string[]): string[] => {
    if (v === undefined) return fallback;
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x === '')) throw new BadRequest(`${name} must be a non-empty list of strings`);
    return v as string[];
  };
  app.post('/clients', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const allowed = strings(b.allowed_scopes, 'allowed_scopes', scopes);
    const unknown = allowed.filter((s) => !scopes.includes(s));
    if (unknown.length) throw new BadRequest(`allowed_scopes: ${unknown.join(', ')} not a scope of the contract (${scopes.join(', ')})`);
    const redirectUris = strings(b.redirect_uris, 'redirect_uris', ['http://127.0.0.1/callback']);
    if (redirectUris.length > MAX_REDIRECT_URIS) throw new BadRequest(`redirect_uris: at most ${MAX_REDIRECT_URIS}`);
    for (const u of redirectUris) {
      if (u.length > MAX_URI_CHARS) throw new BadRequest(`redirect_uris: at most ${MAX_URI_CHARS} characters each`);
      if (!URL.canParse(u)) throw new BadRequest(`redirect_uris: ${u} is not a URL`);
    }
    if (b.integratedConsent !== undefined && typeof b.integratedConsent !== 'boolean') throw new BadRequest('integratedConsent must be a boolean');
    if (b.name !== undefined && typeof b.name !== 'string') throw new BadRequest('name must be a string');
    if (typeof b.name === 'string' && b.name.length > MAX_NAME_CHARS) throw new BadRequest(`name: at most ${MAX_NAME_CHARS} characters, got ${b.name.length}`);
    const held = await state.countClients();
    if (held >= ctx.limits.tenants) {
      res.status(409).json({ error: `this sandbox holds ${held} run-time clients, its cap (NOGI_SIM_MAX_TENANTS=${ctx.limits.tenants}): delete one (DELETE /clients/:id), or wait for idle ones to expire` });
      return;
    }
    const client: SimClient = {
      name: (b.name as string | undefined) ?? 'Sandbox client', client_id: randomUUID(), client_secret: randomBytes(24).toString('base64url'),
      redirect_uris: redirectUris, allowed_scopes: allowed, integratedConsent: (b.integratedConsent as boolean | undefined) ?? true,
    };
    await state.addTenant(client);
    res.status(201).json(client);
  });
  const tenantOf = async (req: Request) => {
    const t = await state.loadTenant(String(req.params.id));
    if (!t) throw new NotFound(`no run-time client ${req.params.id} (fixture clients share the global clock and faults)`);
    return t;
  };
  const describeTenant = (t: NonNullable<ReturnType<typeof state.tenant>>) => {
    const { client_secret_sha256: _hash, ...client } = t.client;
    return { ...client, clock: { now: new Date(state.now(client.client_id)).toISOString(), offsetSeconds: t.offsetMs / 1000 }, faults: Object.fromEntries(t.faults) };
  };
  app.get('/clients/:id', async (req, res) => {
    res.json(describeTenant(await tenantOf(req)));
  });
  app.post('/clients/:id/clock', async (req, res) => {
    const t = await tenantOf(req);
    const b = (req.body ?? {}) as { now?: unknown; advanceSeconds?: unknown; reset?: unknown };
    if (b.reset === true) t.offsetMs = 0;
    if (b.now !== undefined) {
      const ms = typeof b.now === 'number' ? b.now : typeof b.now === 'string' ? Date.parse(b.now) : NaN;
      if (!Number.isFinite(ms)) throw new BadRequest('now must be an ISO-8601 string or epoch milliseconds');
      t.offsetMs = ms - state.clock.now();
    }
    if (b.advanceSeconds !== undefined) {
      if (typeof b.advanceSeconds !== 'number' || !Number.isFinite(b.advanceSeconds)) throw new BadRequest('advanceSeconds must be a number');
      t.offsetMs += b.advanceSeconds * 1000;
    }
    res.json(describeTenant(t).clock);
  });
  app.post('/clients/:id/faults', async (req, res) => {
    const t = await tenantOf(req);
    t.faults.set(...parseFault(req.body));
    res.json({ faults: Object.fromEntries(t.faults) });
  });
  app.delete('/clients/:id/faults', async (req, res) => {
    (await tenantOf(req)).faults.clear();
    res.json({ faults: {} });
  });
  app.delete('/clients/:id', async (req, res) => {
    const t = await tenantOf(req);
    await state.deleteTenant(t);
    res.status(204).end();
  });
  app.post('/clients/:id/reset', async (req, res) => {
    const t = await tenantOf(req);
    await state.resetTenant(t);
    res.json(describeTenant(t));
  });
  app.use('/grading', gradingRouter(ctx));
  finishHost(app, 'admin', ctx.log, {
    notFound: (req, res) => {
      res.status(404).json({ error: `no admin endpoint ${req.method} ${req.path}` });
    },
    error: (err, _req, res) => {
      const status = isClientError(err) ? err.status! : 500;
      res.status(status).json({ error: err.message });
    },
  });
  return app;
}
