/** One load run with autocannon, bounded in count (amount) and time (duration), as plain figures. */
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** A fresh body per request (e.g. a new client_consent_id), so a PUT creates state each time. */
  bodyFor?: () => string;
  connections: number;
  /** Seconds, the time bound. */
  duration: number;
  /** Requests, the count bound (whichever comes first). */
  amount: number;
}

export interface LoadFigures {
  requests: number;
  /** Requests per second (total / elapsed). */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

export async function load(spec: LoadSpec): Promise<LoadFigures> {
  const bodyFor = spec.bodyFor;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: spec.url,
      connections: Math.min(spec.connections, spec.amount),
      duration: spec.duration,
      amount: spec.amount,
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      requests: bodyFor ? [{ setupRequest: (req) => ({ ...req, body: bodyFor() }) }] : undefined,
    }, (err, res) => {
      clearTimeout(timeBound);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(res);
    });
    // With an amount, autocannon ignores duration: the time bound is ours.
    const timeBound = setTimeout(() => instance.stop(), spec.duration * 1000);
  });
  const total = result.requests.total;
  const seconds = result.duration;
  return {
    requests: total,
    rps: seconds > 0 ? total / seconds : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
  };
}
