/**
 * The admin surface's routes, one fixed table: who may call each (the admin token, or a tenant
 * for its own client id), and the label /metrics gives it. A request that matches no route is
 * labelled `other`, so made-up paths cannot grow the metrics (issue 18).
 */

export interface AdminRoute {
  method: string;
  /** Express-style path template: the /metrics label. */
  path: string;
  /** Open to anyone (liveness). */
  open?: true;
  /** A tenant authenticating with its own client credentials may call it for its own `:clientId`. */
  tenant?: true;
  pattern: RegExp;
}

const route = (method: string, path: string, access: { open?: true; tenant?: true } = {}): AdminRoute => ({
  method, path, ...access,
  pattern: new RegExp(`^${path.replace(/:[A-Za-z]+/g, '([^/]+)')}/?$`),
});

export const ADMIN_ROUTES: readonly AdminRoute[] = [
  route('GET', '/healthz', { open: true }),
  route('GET', '/metrics'),
  route('GET', '/state'),
  route('POST', '/sweep'),
  route('GET', '/deviations'),
  route('POST', '/deviations'),
  route('POST', '/clock'),
  route('POST', '/faults'),
  route('DELETE', '/faults'),
  route('DELETE', '/faults/:operationId'),
  route('POST', '/reset'),
  route('POST', '/clients'),
  route('GET', '/clients/:id'),
  route('DELETE', '/clients/:id'),
  route('POST', '/clients/:id/clock'),
  route('POST', '/clients/:id/faults'),
  route('DELETE', '/clients/:id/faults'),
  route('POST', '/clients/:id/reset'),
  // Grading (grading-routes.ts): a tenant reads its own recording and plays its own scenarios.
  route('GET', '/grading/scenarios', { tenant: true }),
  route('GET', '/grading/clients'),
  route('GET', '/grading/clients/:clientId/exchanges', { tenant: true }),
  route('DELETE', '/grading/clients/:clientId/exchanges', { tenant: true }),
  route('GET', '/grading/clients/:clientId/report', { tenant: true }),
  route('POST', '/grading/clients/:clientId/scenarios', { tenant: true }),
];

/** The route a request is for, with its path parameter (the client id, where there is one), or undefined. */
export function matchAdminRoute(method: string, path: string): { route: AdminRoute; param?: string } | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  for (const r of ADMIN_ROUTES) {
    if (r.method !== m) continue;
    const hit = r.pattern.exec(path);
    if (hit) return { route: r, param: hit[1] === undefined ? undefined : safeDecode(hit[1]) };
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The /metrics label of a request to the admin port: its route's template, or `other`. */
export const adminRouteLabel = (method: string, path: string): string => matchAdminRoute(method, path)?.route.path ?? 'other';
