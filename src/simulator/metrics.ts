/**
 * Prometheus metrics (prom-client) for the hosted sandbox, served on the admin port: requests and
 * latency per host and operation, and consents and feed events per client, read from the store
 * at scrape time. One registry per simulator (several run in one test process).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Catalogue, HostName } from '../contract/catalogue.ts';
import { adminRouteLabel } from './admin-routes.ts';
import type { SimulatorState } from './state.ts';

/** Pages behind /oauth2/auth that no contract documents, labelled by path (bounded label set). */
const PAGES = new Set(['/login', '/login/cancel', '/consent']);

export class SimMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'host' | 'operation' | 'method' | 'status'>;
  private readonly latency: Histogram<'host' | 'operation'>;

  constructor(private readonly catalogue: Catalogue, state: SimulatorState, defaults: boolean) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'nogi_sim_' });
    this.requests = new Counter({ name: 'nogi_sim_http_requests_total', help: 'Requests answered, by host, operation, method and status', labelNames: ['host', 'operation', 'method', 'status'], registers: [this.registry] });
    this.latency = new Histogram({ name: 'nogi_sim_http_request_duration_seconds', help: 'Time to answer, by host and operation', labelNames: ['host', 'operation'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [this.registry] });
    const perClient = (name: string, help: string, pick: 'consents' | 'activeConsents' | 'events') => new Gauge({
      name, help, labelNames: ['client_id'], registers: [this.registry],
      async collect() {
        this.reset();
        for (const c of await state.clientCounts()) this.set({ client_id: c.clientId }, c[pick]);
      },
    });
    perClient('nogi_sim_consents', 'Consents stored, per client', 'consents');
    perClient('nogi_sim_active_consents', 'Consents active now, per client', 'activeConsents');
    perClient('nogi_sim_feed_events', 'Feed events within retention (not yet swept), per client', 'events');
  }

  /**
   * The operation a request answered: the catalogue's operationId, a page path, an admin route's
   * template (admin-routes.ts), or "other". Never a path as the client wrote it: the label set stays bounded.
   */
  private operation(host: string, method: string, path: string): string {
    if (host === 'access' || host === 'api') {
      const op = this.catalogue.match(host as HostName, method, path);
      if (op) return op.operationId;
    }
    if (host === 'access' && PAGES.has(path)) return path;
    return host === 'admin' ? adminRouteLabel(method, path) : 'other';
  }

  /** The counter and histogram of each label set met so far (a bounded set: hosts, operations, methods, statuses). */
  private readonly children = new Map<string, { requests: { inc(): void }; latency: { observe(v: number): void } }>();

  observe(host: string, method: string, path: string, status: number, seconds: number): void {
    const operation = this.operation(host, method, path);
    // prom-client hashes the label object on every call; its child for the label set is kept instead.
    const key = `${host}\n${operation}\n${method}\n${status}`;
    let child = this.children.get(key);
    if (!child) {
      child = { requests: this.requests.labels({ host, operation, method, status: String(status) }), latency: this.latency.labels({ host, operation }) };
      this.children.set(key, child);
    }
    child.requests.inc();
    child.latency.observe(seconds);
  }
}
