/**
 * The access (OAuth/OIDC) host: the operations of the OAuth contract, routed by the catalogue
 * (handlers keyed by operationId, checked at start), and the login and consent pages behind
 * /oauth2/auth, which no contract documents.
 */
import type express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SimContext } from '../context.ts';
import { answerJson, BODY_LIMIT, createHost, finishHost, formBody, isClientError, jsonBody, type HostLocals } from '../http.ts';
import { authorize, consentGet, consentPost, loginCancel, loginGet, loginPost } from './authorize.ts';
import { errorPage } from './pages.ts';
import { OAuthError, sendOAuthError, tokenEndpoint } from './token.ts';

/** reference/consent/openid-configuration.md, with our own public base URL. */
function openIdConfiguration(ctx: SimContext): Record<string, unknown> {
  const base = ctx.accessPublicUrl;
  const at = (operationId: string): string => base + ctx.catalogue.operation(operationId).path;
  return {
    issuer: ctx.issuer,
    authorization_endpoint: at('authorize'),
    token_endpoint: at('token'),
    jwks_uri: at('getJwks'),
    subject_types_supported: ['pairwise'],
    response_types_supported: ['code'],
    claims_supported: ['sub'],
    grant_types_supported: ['authorization_code', 'client_credentials'],
    response_modes_supported: ['query', 'fragment'],
    // userinfo_endpoint, revocation_endpoint and end_session_endpoint (in the published document)
    // are left out: NoGi's docs describe none of them and the simulator does not serve them, so
    // advertising them would send clients to a 404. Optional in the OAuth contract.
    scopes_supported: ['openid'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    id_token_signing_alg_values_supported: ['RS256'],
    request_parameter_supported: true,
    request_uri_parameter_supported: true,
    require_request_uri_registration: true,
    claims_parameter_supported: false,
    request_object_signing_alg_values_supported: ['RS256', 'none'],
  };
}

/** The OAuth operations whose answers the test mode checks against the OAuth contract (authorize answers pages and redirects). */
const CHECKED = new Set(['getOpenIdConfiguration', 'getJwks', 'token']);

export function createAccessApp(ctx: SimContext): express.Express {
  const app = createHost('access', { log: ctx.log, observe: (...m) => ctx.metrics.observe(...m), exchanges: ctx.exchanges, simNow: () => ctx.state.clock.now() });
  // Nothing on this host reads JSON, but a JSON token request (a common client mistake) is read
  // for the exchange hook, so that grading attributes it to the client it names. The routes see
  // what they always saw: no parsed body.
  const json = jsonBody();
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!ctx.exchanges.active || !req.is('application/json')) return next();
    json(req, res, () => {
      (res.locals as HostLocals).receivedBody = req.body;
      req.body = undefined;
      next();
    });
  });
  // Pages and OAuth answers: never framed (clickjacking of the consent page), never cached. The
  // one place token answers get Cache-Control: no-store (RFC 6749 §5.1).
  const tokenPath = ctx.catalogue.operation('token').path;
  app.use((req, res, next) => {
    res.set('Content-Security-Policy', "frame-ancestors 'none'").set('X-Frame-Options', 'DENY');
    const cached = req.path === ctx.catalogue.operation('getJwks').path || (req.path === tokenPath && ctx.deviations.skips('token-no-store'));
    if (!cached) res.set('Cache-Control', 'no-store');
    next();
  });
  const form = formBody();

  const wellKnown = (_req: Request, res: Response) => {
    answerJson(res, 200, openIdConfiguration(ctx));
  };
  const jwks = (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=300');
    answerJson(res, 200, ctx.keys.jwks);
  };
  const handlers: Record<string, RequestHandler[]> = {
    getOpenIdConfiguration: [wellKnown],
    getJwks: [jwks],
    authorize: [(req, res) => authorize(ctx, req, res)],
    token: [form, (req, res) => tokenEndpoint(ctx, req, res)],
  };
  const operations = ctx.catalogue.operations.filter((o) => o.host === 'access');
  const missing = operations.filter((o) => !Object.hasOwn(handlers, o.operationId)).map((o) => o.operationId);
  const unknown = Object.keys(handlers).filter((id) => !operations.some((o) => o.operationId === id));
  if (missing.length || unknown.length) throw new Error(`The simulator's access handlers do not match the OAuth contract: missing ${missing.join(', ') || '-'}, unknown ${unknown.join(', ') || '-'}`);
  for (const op of operations) {
    // Express's route syntax differs from OpenAPI's; the access host's paths have no parameters.
    if (op.pathParams.length) throw new Error(`${op.operationId}: path parameters on the access host are not routed`);
    // The one place the OAuth contract check is asked for: the exchange hook runs it (context.ts checkAnswers).
    const mark: RequestHandler = (_req, res, next) => {
      if (CHECKED.has(op.operationId)) (res.locals as HostLocals).check = { contract: 'oauth', operationId: op.operationId };
      next();
    };
    app[op.method.toLowerCase() as 'get' | 'post'](op.path, mark, ...handlers[op.operationId]!);
  }
  // A wrong method on an OAuth endpoint: a JSON error naming the allowed one, not an HTML 404.
  for (const op of operations) {
    app.all(op.path, (req, res) => {
      const body = { error: 'invalid_request', error_description: `${req.method} is not allowed on ${op.path}; use ${op.method}` };
      res.set('Allow', op.method);
      answerJson(res, 405, body);
    });
  }
  app.get('/login', (req, res) => loginGet(ctx, req, res));
  app.post('/login', form, (req, res) => loginPost(ctx, req, res));
  app.get('/login/cancel', (req, res) => loginCancel(ctx, req, res));
  app.get('/consent', (req, res) => consentGet(ctx, req, res));
  app.post('/consent', form, (req, res) => consentPost(ctx, req, res));

  finishHost(app, 'access', ctx.log, {
    notFound: (req, res) => {
      res.status(404).type('html').send(errorPage(`Ingen side på ${req.path}`));
    },
    // Malformed or oversize bodies: a 4xx in the shape of the endpoint, never a 5xx.
    error: (err, req, res) => {
      const clientError = isClientError(err);
      if (req.path === ctx.catalogue.operation('token').path) {
        const reason = err.type === 'entity.too.large' ? `The body is larger than ${BODY_LIMIT}` : clientError ? `The body could not be read: ${err.message}` : 'The request could not be processed';
        return sendOAuthError(ctx, res, new OAuthError('invalid_request', reason));
      }
      res.status(clientError ? 400 : 500).type('html').send(errorPage(clientError ? 'Forespørselen kunne ikke leses.' : 'En feil oppstod.'));
    },
  });
  return app;
}
