/**
 * The grading part of the admin surface (test mode), mounted with one line in the admin app:
 *   app.use('/grading', gradingRouter(ctx))
 *
 *   GET    /grading/scenarios                          what each scenario plays and the rules it exercises
 *   GET    /grading/clients                            clients with a recording
 *   GET    /grading/clients/:clientId/exchanges        the client's recording (masked)
 *   DELETE /grading/clients/:clientId/exchanges        forget it (start a fresh grading)
 *   GET    /grading/clients/:clientId/report           the judgement: rules, verdicts, evidence, fixes, score
 *                                                      (?errorReference=<ref>, repeatable: references the client's logs kept)
 *   POST   /grading/clients/:clientId/scenarios        {"name": "server-error-once", ...options}
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { judge } from '../grading/judge.ts';
import type { ClientReport } from '../grading/report.ts';
import type { SimContext } from './context.ts';
import { recorderOf } from './recording.ts';
import { playScenario, ScenarioError, scenarios } from './scenarios.ts';

function clientReport(ctx: SimContext, clientId: string, errorReferences: string[] = []): ClientReport {
  const judgement = judge({ clientId, exchanges: recorderOf(ctx).exchanges(clientId), catalogue: ctx.catalogue, audiences: ctx.audiences, errorReferences });
  return { ...judgement, unauthenticated: recorderOf(ctx).unauthenticated(clientId), dropped: recorderOf(ctx).dropped(clientId), generatedAt: new Date().toISOString(), sandbox: { accessUrl: ctx.accessPublicUrl, apiUrl: ctx.apiPublicUrl, contract: ctx.contracts.version } };
}

export function gradingRouter(ctx: SimContext): express.Router {
  const router = express.Router();
  const recorder = recorderOf(ctx);
  const known = async (req: Request, res: Response): Promise<string | undefined> => {
    const client = await ctx.state.client(String(req.params.clientId));
    if (!client) res.status(404).json({ error: `no client ${req.params.clientId} in this sandbox's fixtures` });
    return client?.client_id;
  };
  router.get('/scenarios', (_req, res) => void res.json({ scenarios }));
  router.get('/clients', (_req, res) => void res.json({ clients: recorder.clients() }));
  router.get('/clients/:clientId/exchanges', async (req, res) => {
    const id = await known(req, res);
    if (id) res.json({ clientId: id, exchanges: recorder.exchanges(id), dropped: recorder.dropped(id) });
  });
  router.delete('/clients/:clientId/exchanges', async (req, res) => {
    const id = await known(req, res);
    if (!id) return;
    recorder.forget(id);
    res.json({ clientId: id, exchanges: [] });
  });
  router.get('/clients/:clientId/report', async (req, res) => {
    const id = await known(req, res);
    // ?errorReference=… (repeatable): references the partner's logs kept, for error-reference-kept.
    const refs = ([] as unknown[]).concat(req.query.errorReference ?? []).filter((r): r is string => typeof r === 'string').slice(0, 20);
    if (id) res.json(clientReport(ctx, id, refs));
  });
  router.post('/clients/:clientId/scenarios', async (req, res) => {
    const id = await known(req, res);
    if (!id) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    res.json({ clientId: id, played: await playScenario(ctx, id, String(body.name ?? ''), body) });
  });
  router.use((err: Error, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof ScenarioError) res.status(err.status).json({ error: err.message });
    else next(err);
  });
  return router;
}
