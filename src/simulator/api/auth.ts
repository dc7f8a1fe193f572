/**
 * Audience and scope checks for an API call, after the security handler found a live token: the
 * token must be for the operation's service and carry one of the operation's scopes, both as the
 * catalogue (the contract's security requirements) says.
 */
import type { CatalogueOperation } from '../../contract/catalogue.ts';
import type { SimContext } from '../context.ts';
import type { AccessToken } from '../state.ts';

/** Undefined when the token may call the operation, else why not. */
export function refuse(ctx: SimContext, token: AccessToken, operation: CatalogueOperation): string | undefined {
  if (ctx.deviations.skips('audience-and-scope')) return undefined;
  if (operation.service && token.service !== operation.service) {
    return `The access token was issued for audience ${token.audience}, not the ${operation.service} audience`;
  }
  if (operation.scopes.length && !token.scopes.some((s) => operation.scopes.includes(s))) {
    return `The access token lacks scope ${operation.scopes.join(' or ')}`;
  }
  return undefined;
}
