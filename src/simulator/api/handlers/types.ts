import type { CatalogueOperation } from '../../../contract/catalogue.ts';
import type { SimContext } from '../../context.ts';
import type { AccessToken, Fault } from '../../state.ts';
import type { SimResponse } from '../errors.ts';

/** One API call, once its token has passed the operation's audience and scope check. */
export interface Call {
  sim: SimContext;
  /** The request as routed: path parameters (decoded), query and body (after leniency). */
  request: { params: Record<string, string>; query: Record<string, unknown>; body: unknown };
  operation: CatalogueOperation;
  token: AccessToken;
  fault?: Fault;
  path: string;
  traceId?: string;
}
export type OperationHandler = (call: Call) => SimResponse | Promise<SimResponse>;
