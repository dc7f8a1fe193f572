/**
 * The admin surface (test mode only, its own port; not part of NoGi). JSON in, JSON out.
 *
 *   GET  /state        summary: clock, deviations, faults, counts, contract violations
 *   GET  /deviations   the deviation names with what each does, and which are on
 *   POST /clock        {"now": ISO-8601 | epoch ms, "freeze"?: boolean} | {"advanceSeconds": n} | {"reset": true}
 *   POST /faults       {"operationId": "getDebtWithConsentID", "status"?: 500 (or another documented
 *                       error status of that operation, e.g. 400), "latencyMs"?: n,
 *                       "creditorTimeout"?: n | true, "times"?: n}   (operationId "authorize":
 *                       status makes the auth flow end in error=server_error)
 *   DELETE /faults     clears all faults; DELETE /faults/:operationId clears one
 *   POST /deviations   {"enable": ["revoke-ignored"], "disable": [...]}
 *   POST /reset        forgets tokens, codes, sessions, consents, events, faults, violations;
 *                      deviations back to the start options; clock back to real time.
 *                      Sequence numbers keep increasing.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { SimContext } from './context.ts';
import { requestLogger } from './log.ts';
import { DEVIATIONS, isDeviation, type Fault } from './state.ts';

const FAULTABLE = [
  'createConsent', 'feed', 'firstSequenceNr', 'lastSequenceNr', 'getDebtWithAuthCodeToken',
  'getDebtWithConsentID', 'revokeConsentByID', 'getConsentStatusWithID', 'authorize',
];

class BadRequest extends Error {}

const nonNegative = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new BadRequest(`${name} must be a number of 0 or more`);
  return v;
};

export function createAdminApp(ctx: SimContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger('admin', ctx.log));
  app.use(express.json({ limit: '64kb' }));
  const { state } = ctx;

  app.get('/state', (_req, res) => {
    res.json({ accessUrl: ctx.accessPublicUrl, apiUrl: ctx.apiPublicUrl, ...state.summary() });
  });
  app.get('/deviations', (_req, res) => {
    res.json({ available: DEVIATIONS, enabled: [...state.deviations] });
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
  app.post('/faults', (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const op = b.operationId;
    if (typeof op !== 'string' || !FAULTABLE.includes(op)) throw new BadRequest(`operationId must be one of ${FAULTABLE.join(', ')}`);
    const fault: Fault = {};
    if (b.status !== undefined) {
      const documented = op === 'authorize' ? ['500'] : ctx.contracts.api.documentedStatuses(op).filter((s) => Number(s) >= 400);
      if (!documented.includes(String(b.status))) throw new BadRequest(`status for ${op} must be one of its documented error statuses: ${documented.join(', ')}`);
      fault.status = Number(b.status);
    }
    fault.latencyMs = nonNegative(b.latencyMs, 'latencyMs');
    fault.creditorTimeout = b.creditorTimeout === true ? 1 : nonNegative(b.creditorTimeout, 'creditorTimeout');
    fault.times = nonNegative(b.times, 'times');
    if (fault.status === undefined && !fault.latencyMs && !fault.creditorTimeout) throw new BadRequest('give at least one of status, latencyMs, creditorTimeout');
    state.faults.set(op, Object.fromEntries(Object.entries(fault).filter(([, v]) => v !== undefined)) as Fault);
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
    const list = (v: unknown, name: string): string[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !isDeviation(x))) {
        throw new BadRequest(`${name} must be a list of: ${Object.keys(DEVIATIONS).join(', ')}`);
      }
      return v as string[];
    };
    const enable = list(b.enable, 'enable');
    const disable = list(b.disable, 'disable');
    for (const d of enable) if (isDeviation(d)) state.deviations.add(d);
    for (const d of disable) if (isDeviation(d)) state.deviations.delete(d);
    res.json({ enabled: [...state.deviations] });
  });
  app.post('/reset', (_req, res) => {
    state.reset();
    res.json(state.summary());
  });
  app.use((req, res) => {
    res.status(404).json({ error: `no admin endpoint ${req.method} ${req.path}` });
  });
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof BadRequest ? 400 : err.status && err.status < 500 ? err.status : 500;
    res.status(status).json({ error: err.message });
  });
  return app;
}
