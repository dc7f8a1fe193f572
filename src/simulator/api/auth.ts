/** Audience and scope checks for an API call, after the security handler found a live token. */
import type { SimContext } from '../context.ts';
import type { Service } from '../rules.ts';
import type { AccessToken } from '../state.ts';

/** Undefined when the token may call the service, else why not. */
export function refuse(ctx: SimContext, token: AccessToken, service: Service, anyOfScopes: readonly string[]): string | undefined {
  if (ctx.state.deviation('wrong-audience-accepted')) return undefined;
  if (token.service !== service) return `The access token was issued for audience ${token.audience}, not the ${service} audience`;
  if (!token.scopes.some((s) => anyOfScopes.includes(s))) return `The access token lacks scope ${anyOfScopes.join(' or ')}`;
  return undefined;
}
