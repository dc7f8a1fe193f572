/**
 * What the verifier needs to build provider states and fresh tokens on a target, through the
 * target's PUBLIC endpoints and the one client (over undici, httpTransport): the token endpoint, PUT
 * /v1/consent/agreement, DELETE /v1/debt/{id}, the feed's lastSequenceNr, and for an
 * authorization code the simulator's login and consent pages walked over HTTP (a target whose
 * login is ID-porten cannot be walked without a browser, and the state then fails saying so).
 * Which token a request needs comes from the operation catalogue, not from its path.
 */
import { randomBytes } from 'node:crypto';
import { basicAuthorization } from '../client/credentials.ts';
import { NoGiClient, type ApiResult } from '../client/nogi-client.ts';
import { TokenCache } from '../client/token-cache.ts';
import { httpTransport } from '../client/transport.ts';
import { getCatalogue, type ServiceName } from '../contract/catalogue.ts';
import type { DebtScope } from '../contract/schemas.ts';
import type { Target } from '../config/target.ts';
import { suiteTarget } from '../config/suite-target.ts';
import { authorizeOverHttp } from '../drivers/simulator-http.ts';
import { redact, registerSecret } from '../reporting/redact.ts';

/** The target named by the environment (base URLs included); the simulator's fixture client when NOGI_TARGET=mock. */
export async function pactTarget(env: Record<string, string | undefined> = process.env): Promise<Target> {
  const target = await suiteTarget(env);
  registerSecret(target.client.clientSecret);
  return target;
}

class SetupError extends Error {
  constructor(step: string, detail: string) {
    super(redact(`${step}: ${detail}`));
    this.name = 'SetupError';
  }
}

const describe = (r: ApiResult<unknown>): string => `${r.status} ${r.text.slice(0, 200)}`;

export class ProviderSetup {
  /** Every token this setup obtained: the request filter leaves these alone (state-injected). */
  readonly issued = new Set<string>();
  readonly client: NoGiClient;
  private readonly tokens: TokenCache;

  constructor(readonly target: Target) {
    this.client = new NoGiClient(httpTransport, target);
    this.tokens = new TokenCache({
      nogi: this.client, client: target.client, audiences: target.audiences,
      check: (r, request) => {
        if (!r.ok || typeof r.data.access_token !== 'string') throw new SetupError(`client-credentials token for ${request.service}`, describe(r));
      },
      onIssued: (token) => this.issued.add(token),
    });
  }

  basicAuth(): string {
    return basicAuthorization(this.target.client);
  }

  /** A client-credentials token for a service (every scope of it), cached until near expiry. */
  async clientCredentials(service: ServiceName): Promise<string> {
    return this.tokens.for(service, (await getCatalogue()).service(service).scopes.join(' '));
  }

  /**
   * The Authorization a request of a pact needs on this target: client_secret_basic for the
   * token endpoint, a fresh client-credentials token of the operation's service otherwise.
   */
  async authorizationFor(method: string, path: string): Promise<{ header: string; why: string } | undefined> {
    const catalogue = await getCatalogue();
    const op = catalogue.match('access', method, path) ?? catalogue.match('api', method, path);
    if (!op?.secured) return undefined;
    if (op.grant === 'client_secret_basic') return { header: this.basicAuth(), why: 'replaced with the target client\'s client_secret_basic' };
    if (op.grant === 'client_credentials' && op.service) {
      return { header: `Bearer ${await this.clientCredentials(op.service)}`, why: `replaced with a fresh client-credentials token (${op.service})` };
    }
    return undefined;
  }

  newClientConsentId(): string {
    return `pact-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  /** PUT /v1/consent/agreement; returns the consent id. */
  async registerAgreement(nin: string, days: number, scope: DebtScope, clientConsentId = this.newClientConsentId()): Promise<{ consentId: string; clientConsentId: string }> {
    const r = await this.client.registerAgreement(await this.clientCredentials('agreement'), {
      nin, scope_of_consent: scope, consent_duration_days: days, client_consent_id: clientConsentId,
    });
    // Set-up only needs the consent; the status itself is what an interaction verifies.
    if (!r.ok || typeof r.data.consent?.id !== 'string') throw new SetupError('register agreement', describe(r));
    return { consentId: r.data.consent.id, clientConsentId };
  }

  /** DELETE /v1/debt/{id} with the debt client-credentials token. */
  async revoke(consentId: string): Promise<void> {
    const r = await this.client.revokeConsent(await this.clientCredentials('debt'), consentId);
    if (!r.ok) throw new SetupError('revoke consent', describe(r));
  }

  async lastSequenceNr(): Promise<number> {
    const r = await this.client.lastSequenceNr(await this.clientCredentials('feed'));
    if (!r.ok || typeof r.data.lastSequenceNr !== 'number') throw new SetupError('lastSequenceNr', describe(r));
    return r.data.lastSequenceNr;
  }

  /** Regular consent without a browser, accepted; returns the code from the callback URL (never followed). */
  async authorizationCode(nin: string, scope: DebtScope): Promise<{ code: string; redirectUri: string }> {
    const redirectUri = this.target.client.redirectUri;
    if (!redirectUri) throw new SetupError('authorization code', 'no registered callback URI (set NOGI_REDIRECT_URI or NOGI_CLIENT_REDIRECT_URI)');
    let callback: URL;
    try {
      callback = await authorizeOverHttp(this.client, { clientId: this.target.client.clientId, redirectUri, scope, nin });
    } catch (error) {
      throw new SetupError('authorization code', (error as Error).message);
    }
    const code = callback.searchParams.get('code');
    if (!code) throw new SetupError('authorization code', `callback without code: error=${callback.searchParams.get('error')}`);
    return { code, redirectUri };
  }

  /** Exchanges a code at the token endpoint; returns the access token. */
  async exchangeCode(code: string, redirectUri: string): Promise<string> {
    const r = await this.client.exchangeCode(this.target.client, code, redirectUri);
    if (!r.ok || typeof r.data.access_token !== 'string') throw new SetupError('authorization code token', describe(r));
    this.issued.add(r.data.access_token);
    return r.data.access_token;
  }
}
