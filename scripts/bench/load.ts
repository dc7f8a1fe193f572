/** One load run with autocannon, bounded in count (amount) and time (duration), as plain figures. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  /** How often autocannon samples, and so checks whether the amount is reached (its default 1000 ms makes every load last a second or more; quick mode uses less). */
  sampleIntervalMs?: number;
  /** The server's process: its CPU time over the run is measured (Linux). */
  pid?: number;
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
  /**
   * CPU time the server's process spent per request answered, in µs (user + system, from
   * /proc/PID/stat; null where there is no /proc). Unlike req/s it does not depend on how much of
   * a shared machine the server got: the figure to compare when the load is high.
   */
  cpuUsPerRequest: number | null;
}

let ticksPerSecond: number | undefined;
/** CPU seconds (user + system) a process has used, or undefined without /proc. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // Fields after the command (which may hold spaces) in parentheses: utime is the 14th, stime the 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(/\s+/);
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

export async function load(spec: LoadSpec): Promise<LoadFigures> {
  const bodyFor = spec.bodyFor;
  const cpuBefore = spec.pid === undefined ? undefined : cpuSeconds(spec.pid);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    // autocannon may call back at once (a bad option): then there is no time bound to set.
    let settled = false;
    let timeBound: NodeJS.Timeout | undefined;
    const instance = autocannon({
      url: spec.url,
      connections: Math.min(spec.connections, spec.amount),
      duration: spec.duration,
      amount: spec.amount,
      // Only when given: an undefined option would replace autocannon's default and fail its checks.
      ...(spec.sampleIntervalMs === undefined ? {} : { sampleInt: spec.sampleIntervalMs }),
      method: spec.method,
      headers: spec.headers,
      body: spec.body,
      requests: bodyFor ? [{ setupRequest: (req) => ({ ...req, body: bodyFor() }) }] : undefined,
    }, (err, res) => {
      settled = true;
      clearTimeout(timeBound);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(res);
    });
    // With an amount, autocannon ignores duration: the time bound is ours.
    if (!settled) timeBound = setTimeout(() => instance.stop(), spec.duration * 1000);
  });
  const cpuAfter = spec.pid === undefined ? undefined : cpuSeconds(spec.pid);
  const total = result.requests.total;
  const seconds = result.duration;
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined && total > 0 ? ((cpuAfter - cpuBefore) / total) * 1e6 : null;
  return {
    requests: total,
    rps: seconds > 0 ? total / seconds : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    cpuUsPerRequest: cpu,
  };
}
