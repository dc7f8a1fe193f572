/**
 * The access (OAuth/OIDC) host: the operations of the OAuth contract, routed by the catalogue
 * (handlers keyed by operationId, checked at start), and the login and consent pages behind
 * /oauth2/auth, which no contract documents.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { SimContext } from '../context.ts';
import { checkResponse } from '../context.ts';
import { requestLogger } from '../log.ts';
import { recordExchanges } from '../../grading/recorder.ts';
import { authorize, consentGet, consentPost, loginCancel, loginGet, loginPost } from './authorize.ts';
import { errorPage } from './pages.ts';
import { OAuthError, sendOAuthError, tokenEndpoint } from './token.ts';

/** reference/consent/openid-configuration.md, with our own public base URL. */
export function openIdConfiguration(ctx: SimContext): Record<string, unknown> {
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

const BODY_LIMIT = '64kb';

export function createAccessApp(ctx: SimContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogger('access', ctx.log, (...m) => ctx.metrics.observe(...m)));
  app.use(recordExchanges(ctx, 'access'));
  // Pages and OAuth answers: never framed (clickjacking of the consent page), never cached. The
  // one place token answers get Cache-Control: no-store (RFC 6749 §5.1).
  const tokenPath = ctx.catalogue.operation('token').path;
  app.use((req, res, next) => {
    res.set('Content-Security-Policy', "frame-ancestors 'none'").set('X-Frame-Options', 'DENY');
    const cached = req.path === ctx.catalogue.operation('getJwks').path || (req.path === tokenPath && ctx.deviations.skips('token-no-store'));
    if (!cached) res.set('Cache-Control', 'no-store');
    next();
  });
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT });

  const wellKnown = (_req: Request, res: Response) => {
    const body = openIdConfiguration(ctx);
    res.json(body);
    checkResponse(ctx, 'oauth', 'getOpenIdConfiguration', 200, 'application/json', body);
  };
  const jwks = (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=300').json(ctx.keys.jwks);
    checkResponse(ctx, 'oauth', 'getJwks', 200, 'application/json', ctx.keys.jwks);
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
    app[op.method.toLowerCase() as 'get' | 'post'](op.path, ...handlers[op.operationId]!);
  }
  // A wrong method on an OAuth endpoint: a JSON error naming the allowed one, not an HTML 404.
  for (const op of operations) {
    app.all(op.path, (req, res) => {
      const body = { error: 'invalid_request', error_description: `${req.method} is not allowed on ${op.path}; use ${op.method}` };
      res.status(405).set('Allow', op.method).json(body);
    });
  }
  app.get('/login', (req, res) => loginGet(ctx, req, res));
  app.post('/login', form, (req, res) => loginPost(ctx, req, res));
  app.get('/login/cancel', (req, res) => loginCancel(ctx, req, res));
  app.get('/consent', (req, res) => consentGet(ctx, req, res));
  app.post('/consent', form, (req, res) => consentPost(ctx, req, res));

  app.use((req: Request, res: Response) => {
    res.status(404).type('html').send(errorPage(`Ingen side på ${req.path}`));
  });
  // Malformed or oversize bodies: a 4xx in the shape of the endpoint, never a 5xx.
  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const clientError = typeof err.status === 'number' && err.status >= 400 && err.status < 500;
    if (!clientError) ctx.log(`[access] error on ${req.method} ${req.path}: ${err.message}`);
    if (res.headersSent) return;
    if (req.path === ctx.catalogue.operation('token').path) {
      const reason = err.type === 'entity.too.large' ? `The body is larger than ${BODY_LIMIT}` : clientError ? `The body could not be read: ${err.message}` : 'The request could not be processed';
      return sendOAuthError(ctx, res, new OAuthError('invalid_request', reason));
    }
    res.status(clientError ? 400 : 500).type('html').send(errorPage(clientError ? 'Forespørselen kunne ikke leses.' : 'En feil oppstod.'));
  });
  return app;
}
