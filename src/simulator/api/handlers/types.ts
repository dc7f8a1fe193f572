import type { Context } from 'openapi-backend';
import type { SimContext } from '../../context.ts';
import type { AccessToken, Fault } from '../../state.ts';
import type { SimResponse } from '../errors.ts';

export interface Call {
  sim: SimContext;
  c: Context;
  token: AccessToken;
  fault?: Fault;
  path: string;
  traceId?: string;
}
export type OperationHandler = (call: Call) => SimResponse | Promise<SimResponse>;
