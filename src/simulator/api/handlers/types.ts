import type { Context } from 'openapi-backend';
import type { CatalogueOperation } from '../../../contract/catalogue.ts';
import type { SimContext } from '../../context.ts';
import type { AccessToken, Fault } from '../../state.ts';
import type { SimResponse } from '../errors.ts';

/** One API call, once its token has passed the operation's audience and scope check. */
export interface Call {
  sim: SimContext;
  c: Context;
  operation: CatalogueOperation;
  token: AccessToken;
  fault?: Fault;
  path: string;
  traceId?: string;
}
export type OperationHandler = (call: Call) => SimResponse | Promise<SimResponse>;
