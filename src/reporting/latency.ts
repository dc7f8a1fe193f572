/** Latency per endpoint over a few samples: p50, p95 and max (nearest-rank percentiles). */

/** The test annotation a test records the calls it made under, once (its description: Timing[] as JSON). */
export const timingsAnnotation = 'timings';

/** One call a test made: endpoint is the method and the contract's path template. */
export interface Timing {
  endpoint: string;
  /** The HTTP status; 0 or absent when no answer came (network failure, timeout). */
  status?: number;
  ms: number;
}

export interface LatencyStats {
  endpoint: string;
  samples: number;
  p50: number;
  p95: number;
  max: number;
  failures: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

const round = (n: number): number => Math.round(n * 10) / 10;

export function latencyStats(endpoint: string, ms: number[], failures = 0): LatencyStats {
  const sorted = [...ms].sort((a, b) => a - b);
  return { endpoint, samples: ms.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), max: round(sorted[sorted.length - 1] ?? Number.NaN), failures };
}
